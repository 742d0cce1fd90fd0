// moduleinfo.cpp - see moduleinfo.h.
#include "moduleinfo.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace host {
namespace {

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

// "NAME.vst3" (with or without trailing slashes or a path to the .so inside) -> "NAME".
std::string moduleName(const std::string& bundlePath, const std::string& soPath) {
    std::string p = bundlePath;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    size_t vst3 = p.rfind(".vst3");
    if (vst3 != std::string::npos) {
        std::string head = p.substr(0, vst3);
        return head.substr(head.find_last_of('/') + 1);
    }
    std::string base = soPath.substr(soPath.find_last_of('/') + 1);
    return base.size() > 3 && base.compare(base.size() - 3, 3, ".so") == 0
               ? base.substr(0, base.size() - 3)
               : base;
}

} // namespace

bool writeModuleInfo(const Module& module, const std::string& bundlePath,
                     const std::string& outPath, std::string& error) {
    const PFactoryInfo& fi = module.factoryInfo();
    std::string version;
    for (const ClassEntry& c : module.classes())
        if (version.empty() && !c.version.empty()) version = c.version;

    std::ostringstream j;
    j << "{\n";
    j << "  \"Name\": " << quote(moduleName(bundlePath, module.sharedObjectPath())) << ",\n";
    j << "  \"Version\": " << quote(version) << ",\n";
    j << "  \"Factory Info\": {\n";
    j << "    \"Vendor\": " << quote(std::string(fi.vendor, strnlen(fi.vendor, sizeof fi.vendor)))
      << ",\n";
    j << "    \"URL\": " << quote(std::string(fi.url, strnlen(fi.url, sizeof fi.url))) << ",\n";
    j << "    \"E-Mail\": " << quote(std::string(fi.email, strnlen(fi.email, sizeof fi.email)))
      << ",\n";
    j << "    \"Flags\": {\n";
    j << "      \"Unicode\": " << ((fi.flags & PFactoryInfo::kUnicode) ? "true" : "false") << ",\n";
    j << "      \"Classes Discardable\": "
      << ((fi.flags & PFactoryInfo::kClassesDiscardable) ? "true" : "false") << ",\n";
    j << "      \"Component Non Discardable\": "
      << ((fi.flags & PFactoryInfo::kComponentNonDiscardable) ? "true" : "false") << "\n";
    j << "    }\n";
    j << "  },\n";
    // "Compatibility": the JSON5 array a compatibility class writes, taken over verbatim.
    for (const ClassEntry& c : module.classes()) {
        if (c.category != kPluginCompatibilityClass || !module.factory()) continue;
        void* obj = nullptr;
        if (module.factory()->createInstance(c.cid, IPluginCompatibility::iid.data(), &obj) !=
                kResultOk ||
            !obj)
            continue;
        auto* compat = static_cast<IPluginCompatibility*>(obj);
        MemoryStream* stream = new MemoryStream;
        if (compat->getCompatibilityJSON(stream) == kResultOk && !stream->bytes().empty()) {
            std::string text(stream->bytes().begin(), stream->bytes().end());
            while (!text.empty() &&
                   (text.back() == '\0' || isspace(static_cast<unsigned char>(text.back()))))
                text.pop_back();
            j << "  \"Compatibility\": " << text << ",\n";
        }
        stream->release();
        compat->release();
        break;
    }
    j << "  \"Classes\": [";
    bool first = true;
    for (const ClassEntry& c : module.classes()) {
        j << (first ? "\n" : ",\n");
        first = false;
        j << "    {\n";
        j << "      \"CID\": " << quote(cidToString(c.cid)) << ",\n";
        j << "      \"Category\": " << quote(c.category) << ",\n";
        j << "      \"Name\": " << quote(c.name) << ",\n";
        // An empty class vendor means the factory's vendor (what Steinberg's moduleinfotool
        // writes).
        j << "      \"Vendor\": "
          << quote(c.vendor.empty() ? std::string(fi.vendor, strnlen(fi.vendor, sizeof fi.vendor))
                                    : c.vendor)
          << ",\n";
        j << "      \"Version\": " << quote(c.version) << ",\n";
        j << "      \"SDKVersion\": " << quote(c.sdkVersion) << ",\n";
        if (!c.subCategories.empty()) {
            j << "      \"Sub Categories\": [";
            std::string rest = c.subCategories;
            bool firstSub = true;
            while (!rest.empty()) {
                size_t bar = rest.find('|');
                std::string part = rest.substr(0, bar);
                j << (firstSub ? "" : ", ") << quote(part);
                firstSub = false;
                rest = bar == std::string::npos ? "" : rest.substr(bar + 1);
            }
            j << "],\n";
        }
        j << "      \"Class Flags\": " << c.classFlags << ",\n";
        j << "      \"Cardinality\": " << c.cardinality << ",\n";
        j << "      \"Snapshots\": []\n";
        j << "    }";
    }
    j << "\n  ]\n}\n";

    std::ofstream f(outPath, std::ios::binary | std::ios::trunc);
    if (!f) {
        error = "cannot write " + outPath;
        return false;
    }
    f << j.str();
    f.close();
    if (!f) {
        error = "error writing " + outPath;
        return false;
    }
    return true;
}

} // namespace host
