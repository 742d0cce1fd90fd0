// params.h - reading and sanity-checking the controller's parameter list, as a host UI would.
#pragma once

#include "midi_gen.h"
#include "vst3_abi.h"

#include <string>
#include <vector>

namespace host {

using namespace vst3;

struct ParamEntry {
    ParameterInfo info;
    std::string title, units, defaultText;
};

struct ParamReport {
    std::vector<ParamEntry> params;
    int errors = 0;
    std::vector<std::string> messages; // one per error
    std::vector<midi::ParamTarget> automatable;
};

// getParameterCount, getParameterInfo for each index, getParamStringByValue for the default value,
// normalized <-> plain round trip; IDs must be unique and defaults in [0, 1].
ParamReport readParameters(IEditController* controller);
void printParameters(const ParamReport& report);

// Hands the last values the processor sent for its read-only displays to the controller, as a host
// does, and prints what each display then reads ("displays: Status=Answering, Model=..."). values
// and seen are indexed by parameter id, below count.
void printDisplays(IEditController* controller, const ParamReport& report, const double* values,
                   const bool* seen, uint32_t count);

} // namespace host
