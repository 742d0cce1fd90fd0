// moduleinfo.h - writes Contents/Resources/moduleinfo.json from what a loaded module's factory
// reports (the fields of Steinberg's moduleinfo format: Name, Version, Factory Info, Classes), so
// the file can never drift from the binary. Plain JSON (Steinberg's own tool writes JSON5-style
// trailing commas; any JSON is valid JSON5).
#pragma once

#include "plugin_instance.h"

#include <string>

namespace host {

// Returns false with a message when the file cannot be written.
bool writeModuleInfo(const Module& module, const std::string& bundlePath,
                     const std::string& outPath, std::string& error);

} // namespace host
