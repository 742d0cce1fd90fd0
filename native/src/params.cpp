// params.cpp - see params.h.
#include "params.h"

#include "host_objects.h"
#include "plugin_instance.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace host {

ParamReport readParameters(IEditController* controller) {
    ParamReport rep;
    auto error = [&](const std::string& m) {
        ++rep.errors;
        rep.messages.push_back(m);
    };
    int32 count = controller->getParameterCount();
    if (count < 0) {
        error("getParameterCount returned " + std::to_string(count));
        return rep;
    }
    std::set<ParamID> seen;
    for (int32 i = 0; i < count; ++i) {
        ParamEntry e{};
        tresult r = controller->getParameterInfo(i, e.info);
        if (r != kResultOk) {
            error("getParameterInfo(" + std::to_string(i) + ") returned " + resultName(r));
            continue;
        }
        const ParameterInfo& pi = e.info;
        e.title = utf16ToUtf8(pi.title, 128);
        e.units = utf16ToUtf8(pi.units, 128);
        std::string tag = "parameter " + std::to_string(pi.id) + " \"" + e.title + "\"";
        if (!seen.insert(pi.id).second) error(tag + ": duplicate ID");
        if (pi.id == kNoParamId) error(tag + ": ID is kNoParamId");
        if (!std::isfinite(pi.defaultNormalizedValue) || pi.defaultNormalizedValue < 0 ||
            pi.defaultNormalizedValue > 1)
            error(tag + ": default normalized value outside [0, 1]");
        if (pi.stepCount < 0) error(tag + ": negative stepCount");
        if (e.title.empty()) error(tag + ": empty title");

        String128 text;
        for (auto& c : text)
            c = u'\xFFFF'; // detect a missing terminator
        r = controller->getParamStringByValue(pi.id, pi.defaultNormalizedValue, text);
        if (r != kResultOk) {
            error(tag + ": getParamStringByValue(default) returned " + resultName(r));
        } else {
            bool terminated = false;
            for (auto c : text)
                terminated |= (c == 0);
            if (!terminated) error(tag + ": getParamStringByValue result not null-terminated");
            e.defaultText = utf16ToUtf8(text, 128);
        }
        double plain = controller->normalizedParamToPlain(pi.id, pi.defaultNormalizedValue);
        double back = controller->plainParamToNormalized(pi.id, plain);
        if (!std::isfinite(plain) || !std::isfinite(back) ||
            std::fabs(back - pi.defaultNormalizedValue) > 1e-6)
            error(tag + ": normalized->plain->normalized does not round-trip the default");

        if ((pi.flags & ParameterInfo::kCanAutomate) && !(pi.flags & ParameterInfo::kIsReadOnly) &&
            !(pi.flags & ParameterInfo::kIsProgramChange))
            rep.automatable.push_back({pi.id, pi.stepCount, pi.defaultNormalizedValue});
        rep.params.push_back(e);
    }
    return rep;
}

static std::string flagText(int32 f) {
    std::string s;
    auto add = [&](int32 bit, const char* name) {
        if (f & bit) s += std::string(s.empty() ? "" : ",") + name;
    };
    add(ParameterInfo::kCanAutomate, "automate");
    add(ParameterInfo::kIsReadOnly, "readonly");
    add(ParameterInfo::kIsWrapAround, "wrap");
    add(ParameterInfo::kIsList, "list");
    add(ParameterInfo::kIsHidden, "hidden");
    add(ParameterInfo::kIsProgramChange, "program");
    add(ParameterInfo::kIsBypass, "bypass");
    return s.empty() ? "-" : s;
}

void printDisplays(IEditController* controller, const ParamReport& rep, const double* values,
                   const bool* seen, uint32_t count) {
    std::string line;
    for (const ParamEntry& e : rep.params) {
        const uint32_t id = e.info.id;
        if (!(e.info.flags & ParameterInfo::kIsReadOnly) || (e.info.flags & ParameterInfo::kIsHidden) ||
            id >= count || !seen[id])
            continue;
        controller->setParamNormalized(id, values[id]);
        String128 text{};
        if (controller->getParamStringByValue(id, controller->getParamNormalized(id), text) != kResultOk)
            continue;
        line += (line.empty() ? "" : ", ") + e.title + "=" + utf16ToUtf8(text, 128);
    }
    if (!line.empty()) std::printf("displays: %s\n", line.c_str());
}

void printParameters(const ParamReport& rep) {
    std::printf("parameters: %zu\n", rep.params.size());
    std::printf("%10s  %-28s %5s %8s  %-22s %-8s %s\n", "id", "title", "steps", "default",
                "display(default)", "units", "flags");
    for (const ParamEntry& e : rep.params) {
        std::printf("%10u  %-28s %5d %8.4f  %-22s %-8s %s\n", e.info.id, e.title.c_str(),
                    e.info.stepCount, e.info.defaultNormalizedValue, e.defaultText.c_str(),
                    e.units.c_str(), flagText(e.info.flags).c_str());
    }
}

} // namespace host
