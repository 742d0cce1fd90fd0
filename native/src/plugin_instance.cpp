// plugin_instance.cpp - see plugin_instance.h.
#include "plugin_instance.h"

#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

namespace host {

std::string cidToString(const char* cid) {
    char buf[33];
    for (int i = 0; i < 16; ++i)
        std::snprintf(buf + 2 * i, 3, "%02X", static_cast<unsigned>(static_cast<uint8_t>(cid[i])));
    return buf;
}

std::string resultName(tresult r) {
    switch (r) {
    case kNoInterface:
        return "kNoInterface";
    case kResultOk:
        return "kResultOk";
    case kResultFalse:
        return "kResultFalse";
    case kInvalidArgument:
        return "kInvalidArgument";
    case kNotImplemented:
        return "kNotImplemented";
    case kInternalError:
        return "kInternalError";
    case kNotInitialized:
        return "kNotInitialized";
    case kOutOfMemory:
        return "kOutOfMemory";
    default:
        return "tresult(" + std::to_string(r) + ")";
    }
}

static bool isDirectory(const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
static bool isFile(const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Bundle layout on Linux: NAME.vst3/Contents/x86_64-linux/NAME.so. If NAME.so is not there, the
// only .so in that folder is taken (a renamed bundle still loads).
static bool resolveSharedObject(const std::string& path, std::string& so, std::string& error) {
    if (isFile(path)) {
        so = path;
        return true;
    }
    if (!isDirectory(path)) {
        error = "bundle not found: " + path;
        return false;
    }
    std::string dir = path;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    std::string base = dir.substr(dir.find_last_of('/') + 1);
    std::string stem = base.size() > 5 && base.compare(base.size() - 5, 5, ".vst3") == 0
                           ? base.substr(0, base.size() - 5)
                           : base;
    std::string archDir = dir + "/Contents/x86_64-linux";
    if (isFile(archDir + "/" + stem + ".so")) {
        so = archDir + "/" + stem + ".so";
        return true;
    }
    if (DIR* d = opendir(archDir.c_str())) {
        std::string found;
        int count = 0;
        while (dirent* e = readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 3 && n.compare(n.size() - 3, 3, ".so") == 0) {
                found = n;
                ++count;
            }
        }
        closedir(d);
        if (count == 1) {
            so = archDir + "/" + found;
            return true;
        }
        error = "bundle " + path + ": expected " + archDir + "/" + stem + ".so (found " +
                std::to_string(count) + " .so files there)";
        return false;
    }
    error = "bundle " + path + " has no Contents/x86_64-linux folder";
    return false;
}

static std::string fixedString(const char* s, size_t max) {
    return std::string(s, strnlen(s, max));
}

bool Module::load(const std::string& path, FUnknown* hostContext, std::string& error) {
    if (!resolveSharedObject(path, soPath_, error)) return false;
    // RTLD_LOCAL: plugins must not leak symbols into each other; RTLD_NOW: fail here, not mid-run.
    handle_ = dlopen(soPath_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
        const char* e = dlerror();
        error = "dlopen failed for " + soPath_ + ": " + (e ? e : "?");
        return false;
    }
    auto entry = reinterpret_cast<ModuleEntryProc>(dlsym(handle_, "ModuleEntry"));
    exit_ = reinterpret_cast<ModuleExitProc>(dlsym(handle_, "ModuleExit"));
    auto getFactory = reinterpret_cast<GetFactoryProc>(dlsym(handle_, "GetPluginFactory"));
    stats_ = reinterpret_cast<RuntimeStatsProc>(dlsym(handle_, "CoPilot_GetRuntimeStats"));
    threadAllocs_ = reinterpret_cast<ThreadAllocsProc>(dlsym(handle_, "CoPilot_GetThreadAllocations"));
    if (!getFactory) {
        error = "symbol missing: GetPluginFactory in " + soPath_;
        return false;
    }
    if (!entry || !exit_) {
        error = std::string("symbol missing: ") + (!entry ? "ModuleEntry" : "ModuleExit") + " in " +
                soPath_ + " (required on Linux)";
        return false;
    }
    if (!entry(handle_)) {
        error = "ModuleEntry returned false";
        return false;
    }
    factory_ = getFactory();
    if (!factory_) {
        error = "GetPluginFactory returned null";
        return false;
    }
    if (factory_->getFactoryInfo(&info_) != kResultOk) std::memset(&info_, 0, sizeof info_);

    IPluginFactory2* f2 = nullptr;
    IPluginFactory3* f3 = nullptr;
    if (factory_->queryInterface(IPluginFactory3::iid.data(), reinterpret_cast<void**>(&f3)) !=
        kResultOk)
        f3 = nullptr;
    if (factory_->queryInterface(IPluginFactory2::iid.data(), reinterpret_cast<void**>(&f2)) !=
        kResultOk)
        f2 = nullptr;
    factoryVersion_ = f3 ? 3 : f2 ? 2 : 1;
    if (f3) f3->setHostContext(hostContext);

    int32 n = factory_->countClasses();
    for (int32 i = 0; i < n; ++i) {
        ClassEntry c;
        PClassInfoW w{};
        PClassInfo2 i2{};
        PClassInfo i1{};
        if (f3 && f3->getClassInfoUnicode(i, &w) == kResultOk) {
            std::memcpy(c.cid, w.cid, 16);
            c.category = fixedString(w.category, sizeof w.category);
            c.name = utf16ToUtf8(w.name, PClassInfo::kNameSize);
            c.subCategories = fixedString(w.subCategories, sizeof w.subCategories);
            c.vendor = utf16ToUtf8(w.vendor, PClassInfoW::kVendorSize);
            c.version = utf16ToUtf8(w.version, PClassInfoW::kVersionSize);
            c.sdkVersion = utf16ToUtf8(w.sdkVersion, PClassInfoW::kVersionSize);
            c.classFlags = w.classFlags;
            c.cardinality = w.cardinality;
        } else if (f2 && f2->getClassInfo2(i, &i2) == kResultOk) {
            std::memcpy(c.cid, i2.cid, 16);
            c.category = fixedString(i2.category, sizeof i2.category);
            c.name = fixedString(i2.name, sizeof i2.name);
            c.subCategories = fixedString(i2.subCategories, sizeof i2.subCategories);
            c.vendor = fixedString(i2.vendor, sizeof i2.vendor);
            c.version = fixedString(i2.version, sizeof i2.version);
            c.sdkVersion = fixedString(i2.sdkVersion, sizeof i2.sdkVersion);
            c.classFlags = i2.classFlags;
            c.cardinality = i2.cardinality;
        } else if (factory_->getClassInfo(i, &i1) == kResultOk) {
            std::memcpy(c.cid, i1.cid, 16);
            c.category = fixedString(i1.category, sizeof i1.category);
            c.name = fixedString(i1.name, sizeof i1.name);
            c.cardinality = i1.cardinality;
        } else {
            continue;
        }
        classes_.push_back(c);
    }
    if (f2) f2->release();
    if (f3) f3->release();
    return true;
}

bool Module::unload() {
    bool ok = true;
    if (factory_) {
        factory_->release();
        factory_ = nullptr;
    }
    if (exit_) {
        ok = exit_();
        exit_ = nullptr;
    }
    if (handle_) {
        dlclose(handle_); // a NativeAOT plugin links with -z nodelete: this keeps it mapped
        handle_ = nullptr;
    }
    return ok;
}

// ---- PluginInstance ----------------------------------------------------------------------------

bool PluginInstance::create(IPluginFactory* factory, const char* cid, FUnknown* context,
                            IComponentHandler* handler, std::string& error, bool verbose) {
    void* obj = nullptr;
    tresult r = factory->createInstance(cid, IComponent::iid.data(), &obj);
    if (r != kResultOk || !obj) {
        error = "createInstance(IComponent) failed: " + resultName(r);
        return false;
    }
    component = static_cast<IComponent*>(obj);
    r = component->initialize(context);
    if (r != kResultOk) {
        error = "IComponent::initialize failed: " + resultName(r);
        component->release(); // "If the method does NOT return kResultOk, the object is released"
        component = nullptr;
        return false;
    }
    r = component->queryInterface(IAudioProcessor::iid.data(), &obj);
    if (r != kResultOk || !obj) {
        error = "component has no IAudioProcessor: " + resultName(r);
        return false;
    }
    processor = static_cast<IAudioProcessor*>(obj);

    // Controller: a separate class named by getControllerClassId, or the component itself.
    char ctrlCid[16] = {};
    bool haveCid = component->getControllerClassId(ctrlCid) == kResultOk &&
                   std::memcmp(ctrlCid, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) != 0;
    if (haveCid) {
        r = factory->createInstance(ctrlCid, IEditController::iid.data(), &obj);
        if (r != kResultOk || !obj) {
            error = "createInstance(IEditController " + cidToString(ctrlCid) +
                    ") failed: " + resultName(r);
            return false;
        }
        controller = static_cast<IEditController*>(obj);
        r = controller->initialize(context);
        if (r != kResultOk) {
            error = "IEditController::initialize failed: " + resultName(r);
            controller->release();
            controller = nullptr;
            return false;
        }
    } else if (component->queryInterface(IEditController::iid.data(), &obj) == kResultOk && obj) {
        controller = static_cast<IEditController*>(obj);
        singleComponent = true;
    } else {
        error = "no edit controller (getControllerClassId failed and the component is no "
                "IEditController)";
        return false;
    }
    if (verbose)
        std::printf("controller: %s\n", singleComponent
                                            ? "single component"
                                            : ("class " + cidToString(ctrlCid)).c_str());

    if (handler) {
        r = controller->setComponentHandler(handler);
        if (r != kResultOk && verbose)
            std::printf("note: setComponentHandler returned %s\n", resultName(r).c_str());
    }

    // Connect component <-> controller directly (no proxy), when both can.
    if (!singleComponent) {
        if (component->queryInterface(IConnectionPoint::iid.data(), &obj) == kResultOk && obj)
            componentCP = static_cast<IConnectionPoint*>(obj);
        if (controller->queryInterface(IConnectionPoint::iid.data(), &obj) == kResultOk && obj)
            controllerCP = static_cast<IConnectionPoint*>(obj);
        if (componentCP && controllerCP) {
            tresult a = componentCP->connect(controllerCP);
            tresult b = controllerCP->connect(componentCP);
            connected = true;
            if (verbose)
                std::printf("connection: component->controller %s, controller->component %s\n",
                            resultName(a).c_str(), resultName(b).c_str());
        } else if (verbose) {
            std::printf("connection: not both sides offer IConnectionPoint\n");
        }
    }

    // Component state -> controller, as a host does after loading.
    MemoryStream* stream = new MemoryStream;
    r = component->getState(stream);
    if (r == kResultOk) {
        stream->rewind();
        tresult s = controller->setComponentState(stream);
        if (verbose)
            std::printf("state transfer: %zu bytes, setComponentState %s\n", stream->bytes().size(),
                        resultName(s).c_str());
    } else if (verbose) {
        std::printf("state transfer: component getState returned %s\n", resultName(r).c_str());
    }
    stream->release();
    return true;
}

static int popcount64(uint64 v) {
    return __builtin_popcountll(v);
}

bool PluginInstance::setupBuses(std::string& error, bool verbose) {
    struct Kind {
        MediaType type;
        BusDirection dir;
        BusSet* set;
        const char* name;
    } kinds[4] = {{kAudio, kInput, &buses.audioIn, "audio in"},
                  {kAudio, kOutput, &buses.audioOut, "audio out"},
                  {kEvent, kInput, &buses.eventIn, "event in"},
                  {kEvent, kOutput, &buses.eventOut, "event out"}};
    for (Kind& k : kinds) {
        int32 n = component->getBusCount(k.type, k.dir);
        if (n < 0 || n > 64) {
            error = std::string("getBusCount(") + k.name + ") returned " + std::to_string(n);
            return false;
        }
        k.set->info.resize(n);
        k.set->active.assign(n, false);
        k.set->channels.assign(n, 0);
        for (int32 i = 0; i < n; ++i) {
            BusInfo& bi = k.set->info[i];
            std::memset(&bi, 0, sizeof bi);
            tresult r = component->getBusInfo(k.type, k.dir, i, bi);
            if (r != kResultOk) {
                error = std::string("getBusInfo(") + k.name + ", " + std::to_string(i) +
                        ") failed: " + resultName(r);
                return false;
            }
            if (bi.mediaType != k.type || bi.direction != k.dir || bi.channelCount < 0) {
                error = std::string("getBusInfo(") + k.name + ", " + std::to_string(i) +
                        ") reports mediaType/direction/channelCount inconsistent with the query";
                return false;
            }
            k.set->channels[i] = bi.channelCount;
            // A DAW activates the main buses, plus whatever the plugin wants active by default.
            bool activate = (i == 0 && bi.busType == kMain) || (bi.flags & BusInfo::kDefaultActive);
            if (activate) {
                r = component->activateBus(k.type, k.dir, i, 1);
                k.set->active[i] = (r == kResultOk);
                if (r != kResultOk && verbose)
                    std::printf("note: activateBus(%s %d) returned %s\n", k.name, i,
                                resultName(r).c_str());
            }
            if (verbose)
                std::printf("bus: %-9s #%d \"%s\" channels=%d type=%s flags=0x%x active=%d\n",
                            k.name, i, utf16ToUtf8(bi.name, 128).c_str(), bi.channelCount,
                            bi.busType == kMain ? "main" : "aux", bi.flags,
                            k.set->active[i] ? 1 : 0);
        }
    }
    // Stereo on every audio bus; a plugin may refuse (kResultFalse) and keep its own arrangement.
    std::vector<SpeakerArrangement> in(buses.audioIn.info.size(), SpeakerArr::kStereo);
    std::vector<SpeakerArrangement> out(buses.audioOut.info.size(), SpeakerArr::kStereo);
    if (!in.empty() || !out.empty()) {
        tresult r = processor->setBusArrangements(in.data(), static_cast<int32>(in.size()),
                                                  out.data(), static_cast<int32>(out.size()));
        if (verbose)
            std::printf("setBusArrangements(stereo x %zu in, stereo x %zu out): %s\n", in.size(),
                        out.size(), resultName(r).c_str());
    }
    for (int dir = 0; dir < 2; ++dir) {
        BusSet& set = dir == 0 ? buses.audioIn : buses.audioOut;
        for (size_t i = 0; i < set.info.size(); ++i) {
            SpeakerArrangement arr = 0;
            tresult r = processor->getBusArrangement(dir, static_cast<int32>(i), arr);
            if (r == kResultOk) {
                set.channels[i] = popcount64(arr);
            } else if (verbose) {
                std::printf("note: getBusArrangement(%s %zu) returned %s; using channelCount %d\n",
                            dir == 0 ? "in" : "out", i, resultName(r).c_str(), set.channels[i]);
            }
            if (set.channels[i] > 64) {
                error = "audio bus with more than 64 channels";
                return false;
            }
        }
    }
    return true;
}

void PluginInstance::disconnect() {
    if (connected) {
        componentCP->disconnect(controllerCP);
        controllerCP->disconnect(componentCP);
        connected = false;
    }
}

int PluginInstance::shutdown(bool callTerminate, std::string& report) {
    int leaks = 0;
    auto check = [&](const char* what, uint32 left) {
        if (left != 0) {
            ++leaks;
            report += std::string(report.empty() ? "" : "; ") + what + " refcount " +
                      std::to_string(left) + " after final release (expected 0)";
        }
    };
    disconnect();
    if (controller && !singleComponent) {
        if (callTerminate) controller->terminate();
        if (controllerCP) controllerCP->release();
        controllerCP = nullptr;
        check("controller", controller->release());
    } else if (controller) {
        controller->release(); // the reference from queryInterface on the component
    }
    controller = nullptr;
    if (component) {
        if (callTerminate) component->terminate();
        if (componentCP) componentCP->release();
        componentCP = nullptr;
        if (processor) processor->release();
        processor = nullptr;
        check("component", component->release());
        component = nullptr;
    }
    return leaks;
}

static tresult getStateImpl(tresult r, MemoryStream* s, std::vector<uint8_t>& out) {
    out = s->bytes();
    s->release();
    return r;
}
tresult getStateBytes(IComponent* c, std::vector<uint8_t>& out) {
    MemoryStream* s = new MemoryStream;
    return getStateImpl(c->getState(s), s, out);
}
tresult getStateBytes(IEditController* c, std::vector<uint8_t>& out) {
    MemoryStream* s = new MemoryStream;
    return getStateImpl(c->getState(s), s, out);
}

} // namespace host
