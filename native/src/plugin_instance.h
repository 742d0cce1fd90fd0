// plugin_instance.h - loading a VST3 module and setting up one plugin instance the way a DAW does:
// factory walk, component + controller creation, initialize, connection, state transfer, buses,
// and the orderly teardown with reference-count checks.
#pragma once

#include "host_objects.h"
#include "vst3_abi.h"

#include <cstdint>
#include <string>
#include <vector>

namespace host {

// The diagnostic export of CoPilot (absent in other plugins):
// int CoPilot_GetRuntimeStats(int64_t* gcCollections, int64_t* allocatedBytes), returns 0.
using RuntimeStatsProc = int (*)(int64_t*, int64_t*);
// int CoPilot_GetThreadAllocations(int64_t* audioThreadBytes, int64_t* inferenceThreadBytes), returns 0:
// exact per-thread managed allocation (the process-wide count above moves in allocation-context chunks).
using ThreadAllocsProc = int (*)(int64_t*, int64_t*);

struct ClassEntry {
    char cid[16];
    std::string category, name, subCategories, vendor, version, sdkVersion;
    uint32_t classFlags = 0;
    int32_t cardinality = 0;
};

class Module {
  public:
    // Accepts the .vst3 bundle directory or the shared object itself. On failure returns false
    // with a message naming the problem (bundle not found, dlopen error, symbol missing...).
    bool load(const std::string& path, FUnknown* hostContext, std::string& error);
    // Releases the factory, calls ModuleExit and dlclose. Returns ModuleExit's result.
    bool unload();

    IPluginFactory* factory() const { return factory_; }
    RuntimeStatsProc runtimeStats() const { return stats_; }
    ThreadAllocsProc threadAllocs() const { return threadAllocs_; }
    const std::string& sharedObjectPath() const { return soPath_; }
    const std::vector<ClassEntry>& classes() const { return classes_; }
    const PFactoryInfo& factoryInfo() const { return info_; }
    int factoryVersion() const { return factoryVersion_; } // 1, 2 or 3

  private:
    void* handle_ = nullptr;
    IPluginFactory* factory_ = nullptr;
    ModuleExitProc exit_ = nullptr;
    RuntimeStatsProc stats_ = nullptr;
    ThreadAllocsProc threadAllocs_ = nullptr;
    std::string soPath_;
    std::vector<ClassEntry> classes_;
    PFactoryInfo info_{};
    int factoryVersion_ = 1;
};

struct BusSet {
    std::vector<BusInfo> info;
    std::vector<bool> active;
    std::vector<int32_t> channels; // from the bus arrangement for audio, channelCount for events
};

struct Buses {
    BusSet audioIn, audioOut, eventIn, eventOut;
};

class PluginInstance {
  public:
    IComponent* component = nullptr;
    IAudioProcessor* processor = nullptr;
    IEditController* controller = nullptr;
    bool singleComponent = false; // the controller is the component itself
    IConnectionPoint* componentCP = nullptr;
    IConnectionPoint* controllerCP = nullptr;
    bool connected = false;
    Buses buses;

    // Creates and initializes component and controller, sets the component handler, connects the
    // two, and transfers the component state to the controller. Returns false with a message.
    bool create(IPluginFactory* factory, const char* cid, FUnknown* context,
                IComponentHandler* handler, std::string& error, bool verbose);

    // Reads bus counts and infos, activates the main buses (and default-active ones), requests
    // stereo on every audio bus, then reads back the arrangements. Returns false on inconsistencies
    // (message in `error`).
    bool setupBuses(std::string& error, bool verbose);

    void disconnect();

    // terminate (if asked) and release everything. Returns the number of objects whose last
    // release() did not return 0 (leaks or over-releases), with details in `report`.
    int shutdown(bool callTerminate, std::string& report);
};

// The component's state as bytes (kResultOk expected); returns the tresult.
tresult getStateBytes(IComponent* c, std::vector<uint8_t>& out);
tresult getStateBytes(IEditController* c, std::vector<uint8_t>& out);

std::string cidToString(const char* cid);
std::string resultName(tresult r);

} // namespace host
