// abuse.h - the bad-order / bad-input pass (--abuse): a fresh instance is driven through calls in
// the wrong order and with malformed arguments. A robust plugin answers with error codes (or
// ignores the call) and never crashes; each check prints one PASS/FAIL line.
#pragma once

#include "host_objects.h"
#include "plugin_instance.h"

#include <cstdint>
#include <string>
#include <vector>

namespace host {

struct AbuseConfig {
    int32_t blockSize = 512;
    double sampleRate = 48000;
    uint64_t seed = 1;
    std::vector<std::string> skip; // checks whose name contains one of these are skipped
};

struct AbuseResult {
    int passed = 0;
    int failed = 0;
};

AbuseResult runAbuse(Module& module, const ClassEntry& cls, HostApplication* app,
                     ComponentHandler* handler, const AbuseConfig& cfg);

} // namespace host
