// fixture_plugin.cpp - a tiny VST3 MIDI plugin used to test the host itself (no SDK code; it uses
// the host's own vst3_abi.h). One single-component class (component, processor and controller are
// one object): stereo audio pass-through, one event input and output bus, and every input note
// echoed transposed by the "Transpose" parameter. Released notes are exactly those emitted, and
// everything held is released when the transport stops or bypass engages.
//
// The environment variable COPILOT_FIXTURE_FAULT injects one bug, so the tests can prove the host
// notices it:
//   stuck     note-offs recompute the pitch from the current transpose, no release on stop
//   alloc     malloc + free inside every process() call
//   unsorted  output events of a block in reverse order
//   nan       a NaN in the first output sample of every block
//   gc        CoPilot_GetRuntimeStats reports one more collection on every call
#include "vst3_abi.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace vst3;

#define EXPORT extern "C" __attribute__((visibility("default")))

namespace {

enum class Fault { None, Stuck, Alloc, Unsorted, Nan, Gc };

Fault readFault() {
    const char* f = std::getenv("COPILOT_FIXTURE_FAULT");
    if (!f) return Fault::None;
    if (!std::strcmp(f, "stuck")) return Fault::Stuck;
    if (!std::strcmp(f, "alloc")) return Fault::Alloc;
    if (!std::strcmp(f, "unsorted")) return Fault::Unsorted;
    if (!std::strcmp(f, "nan")) return Fault::Nan;
    if (!std::strcmp(f, "gc")) return Fault::Gc;
    return Fault::None;
}

constexpr Iid kClassId = makeIid(0x43504658, 0x46495854, 0x55524531, 0x00000001);
constexpr ParamID kTranspose = 1, kBypass = 2;
constexpr uint8_t kMagic[4] = {'C', 'P', 'F', 'X'};
constexpr uint32_t kStateVersion = 1;
constexpr int kStateSize = 4 + 4 + 8 + 1;

void copyString(char16* dst, const char* src, int max) {
    int i = 0;
    for (; src[i] && i < max - 1; ++i)
        dst[i] = static_cast<unsigned char>(src[i]);
    dst[i] = 0;
}

bool readExactly(IBStream* s, void* buf, int32 n) {
    int32 got = 0;
    return s->read(buf, n, &got) == kResultOk && got == n;
}

class Plugin final : public IComponent, public IAudioProcessor, public IEditController {
  public:
    Plugin() : fault_(readFault()) { std::memset(held_, -1, sizeof held_); }

    // FUnknown
    tresult queryInterface(const TUID iid, void** obj) override {
        if (!obj) return kInvalidArgument;
        void* p = nullptr;
        if (FUnknown::iid.equals(iid) || IPluginBase::iid.equals(iid) ||
            IComponent::iid.equals(iid))
            p = static_cast<IComponent*>(this);
        else if (IAudioProcessor::iid.equals(iid))
            p = static_cast<IAudioProcessor*>(this);
        else if (IEditController::iid.equals(iid))
            p = static_cast<IEditController*>(this);
        *obj = p;
        if (!p) return kNoInterface;
        addRef();
        return kResultOk;
    }
    uint32 addRef() override { return ++refs_; }
    uint32 release() override {
        uint32 left = --refs_;
        if (left == 0) delete this;
        return left;
    }

    // IPluginBase (shared by the component and controller faces)
    tresult initialize(FUnknown* context) override {
        if (!context) return kInvalidArgument;
        if (host_) return kResultFalse; // initialize twice
        host_ = context;
        host_->addRef();
        return kResultOk;
    }
    tresult terminate() override {
        if (handler_) handler_->release();
        handler_ = nullptr;
        if (host_) host_->release();
        host_ = nullptr;
        active_ = false;
        return kResultOk;
    }

    // IComponent
    tresult getControllerClassId(TUID) override { return kNotImplemented; } // single component
    tresult setIoMode(IoMode) override { return kNotImplemented; }
    int32 getBusCount(MediaType type, BusDirection dir) override {
        return (type == kAudio || type == kEvent) && (dir == kInput || dir == kOutput) ? 1 : 0;
    }
    tresult getBusInfo(MediaType type, BusDirection dir, int32 index, BusInfo& bus) override {
        if (index != 0 || (type != kAudio && type != kEvent) || (dir != kInput && dir != kOutput))
            return kInvalidArgument;
        std::memset(&bus, 0, sizeof bus);
        bus.mediaType = type;
        bus.direction = dir;
        bus.channelCount = type == kAudio ? 2 : 16;
        copyString(bus.name, type == kAudio ? "Stereo" : "MIDI", 128);
        bus.busType = kMain;
        bus.flags = BusInfo::kDefaultActive;
        return kResultOk;
    }
    tresult getRoutingInfo(RoutingInfo&, RoutingInfo&) override { return kNotImplemented; }
    tresult activateBus(MediaType type, BusDirection dir, int32 index, TBool) override {
        return getBusCount(type, dir) > index && index >= 0 ? kResultOk : kInvalidArgument;
    }
    tresult setActive(TBool state) override {
        active_ = state != 0;
        if (!active_) std::memset(held_, -1, sizeof held_);
        return kResultOk;
    }
    tresult setState(IBStream* s) override {
        double transpose = 0;
        uint8_t bypass = 0;
        if (!parseState(s, transpose, bypass)) return kResultFalse;
        transpose_ = transpose;
        bypass_ = bypass != 0;
        return kResultOk;
    }
    tresult getState(IBStream* s) override {
        if (!s) return kInvalidArgument;
        uint8_t buf[kStateSize];
        std::memcpy(buf, kMagic, 4);
        std::memcpy(buf + 4, &kStateVersion, 4);
        double t = transpose_;
        std::memcpy(buf + 8, &t, 8);
        buf[16] = bypass_ ? 1 : 0;
        int32 written = 0;
        return s->write(buf, kStateSize, &written) == kResultOk && written == kStateSize
                   ? kResultOk
                   : kResultFalse;
    }

    // IAudioProcessor
    tresult setBusArrangements(SpeakerArrangement* in, int32 numIns, SpeakerArrangement* out,
                               int32 numOuts) override {
        if (numIns != 1 || numOuts != 1 || !in || !out) return kResultFalse;
        return in[0] == SpeakerArr::kStereo && out[0] == SpeakerArr::kStereo ? kResultOk
                                                                             : kResultFalse;
    }
    tresult getBusArrangement(BusDirection dir, int32 index, SpeakerArrangement& arr) override {
        if (index != 0 || (dir != kInput && dir != kOutput)) return kInvalidArgument;
        arr = SpeakerArr::kStereo;
        return kResultOk;
    }
    tresult canProcessSampleSize(int32 size) override {
        return size == kSample32 ? kResultOk : kResultFalse;
    }
    uint32 getLatencySamples() override { return 0; }
    tresult setupProcessing(ProcessSetup& setup) override {
        if (setup.symbolicSampleSize != kSample32 || setup.maxSamplesPerBlock <= 0 ||
            !(setup.sampleRate > 0))
            return kResultFalse;
        maxBlock_ = setup.maxSamplesPerBlock;
        return kResultOk;
    }
    tresult setProcessing(TBool) override { return kResultOk; }
    uint32 getTailSamples() override { return kInfiniteTail; }

    tresult process(ProcessData& data) override {
        if (fault_ == Fault::Alloc) {
            void* volatile p = std::malloc(32);
            std::free(p);
        }
        applyParameterChanges(data.inputParameterChanges);
        if (data.numSamples < 0 || data.numSamples > maxBlock_ || maxBlock_ == 0)
            return data.numSamples == 0 ? kResultOk : kInvalidArgument;
        if (data.numSamples == 0) return kResultOk; // parameter flush
        const int32 n = data.numSamples;
        copyAudio(data, n);

        outCount_ = 0;
        const bool playing =
            !data.processContext || (data.processContext->state & ProcessContext::kPlaying);
        if ((!playing || bypass_) && fault_ != Fault::Stuck) releaseAll();
        if (playing && !bypass_ && data.inputEvents) {
            Event e;
            const int32 count = data.inputEvents->getEventCount();
            int32 lastOffset = 0;
            for (int32 i = 0; i < count; ++i) {
                if (data.inputEvents->getEvent(i, e) != kResultOk || e.busIndex != 0) continue;
                int32 offset = e.sampleOffset < 0    ? 0
                               : e.sampleOffset >= n ? n - 1
                                                     : e.sampleOffset;
                if (offset < lastOffset) offset = lastOffset; // keep the output sorted
                lastOffset = offset;
                if (e.type == Event::kNoteOnEvent) {
                    const auto& on = e.noteOn;
                    if (on.channel < 0 || on.channel > 15 || on.pitch < 0 || on.pitch > 127 ||
                        !(on.velocity > 0.0f && on.velocity <= 1.0f))
                        continue;
                    int8_t& h = held_[on.channel][on.pitch];
                    if (h >= 0) emit(Event::kNoteOffEvent, offset, on.channel, h, 0.0f);
                    int pitch = on.pitch + semitones();
                    if (pitch < 0 || pitch > 127) {
                        h = -1;
                        continue;
                    }
                    h = static_cast<int8_t>(pitch);
                    emit(Event::kNoteOnEvent, offset, on.channel, pitch, on.velocity);
                } else if (e.type == Event::kNoteOffEvent) {
                    const auto& off = e.noteOff;
                    if (off.channel < 0 || off.channel > 15 || off.pitch < 0 || off.pitch > 127)
                        continue;
                    int8_t& h = held_[off.channel][off.pitch];
                    if (h < 0) continue;
                    int pitch = fault_ == Fault::Stuck ? off.pitch + semitones() : h;
                    if (pitch >= 0 && pitch <= 127)
                        emit(Event::kNoteOffEvent, offset, off.channel, pitch, 0.0f);
                    h = -1;
                }
            }
        }
        if (data.outputEvents) {
            if (fault_ == Fault::Unsorted)
                for (int32 i = outCount_ - 1; i >= 0; --i)
                    data.outputEvents->addEvent(out_[i]);
            else
                for (int32 i = 0; i < outCount_; ++i)
                    data.outputEvents->addEvent(out_[i]);
        }
        return kResultOk;
    }

    // IEditController (the same object)
    tresult setComponentState(IBStream* s) override {
        double t = 0;
        uint8_t b = 0;
        return parseState(s, t, b) ? kResultOk : kResultFalse;
    }
    int32 getParameterCount() override { return 2; }
    tresult getParameterInfo(int32 index, ParameterInfo& info) override {
        if (index < 0 || index > 1) return kResultFalse;
        std::memset(&info, 0, sizeof info);
        if (index == 0) {
            info.id = kTranspose;
            copyString(info.title, "Transpose", 128);
            copyString(info.shortTitle, "Transp", 128);
            copyString(info.units, "st", 128);
            info.stepCount = 24;
            info.defaultNormalizedValue = 0.5;
            info.flags = ParameterInfo::kCanAutomate;
        } else {
            info.id = kBypass;
            copyString(info.title, "Bypass", 128);
            info.stepCount = 1;
            info.flags = ParameterInfo::kCanAutomate | ParameterInfo::kIsBypass;
        }
        return kResultOk;
    }
    tresult getParamStringByValue(ParamID id, ParamValue v, String128 s) override {
        if (!s || !(v >= 0 && v <= 1)) return kInvalidArgument;
        if (id == kTranspose) {
            int st = static_cast<int>(std::lround(v * 24)) - 12;
            char buf[16];
            int i = 0;
            if (st > 0) buf[i++] = '+';
            if (st < 0) {
                buf[i++] = '-';
                st = -st;
            }
            if (st >= 10) buf[i++] = static_cast<char>('0' + st / 10);
            buf[i++] = static_cast<char>('0' + st % 10);
            buf[i] = 0;
            copyString(s, buf, 128);
            return kResultOk;
        }
        if (id == kBypass) {
            copyString(s, v >= 0.5 ? "On" : "Off", 128);
            return kResultOk;
        }
        return kResultFalse;
    }
    tresult getParamValueByString(ParamID, TChar*, ParamValue&) override { return kNotImplemented; }
    ParamValue normalizedParamToPlain(ParamID id, ParamValue v) override {
        return id == kTranspose ? v * 24 - 12 : v;
    }
    ParamValue plainParamToNormalized(ParamID id, ParamValue p) override {
        return id == kTranspose ? (p + 12) / 24 : p;
    }
    ParamValue getParamNormalized(ParamID id) override {
        return id == kTranspose ? transpose_.load() : id == kBypass ? (bypass_ ? 1.0 : 0.0) : 0.0;
    }
    tresult setParamNormalized(ParamID id, ParamValue v) override {
        if (!(v >= 0 && v <= 1)) return kInvalidArgument; // also rejects NaN
        if (id == kTranspose)
            transpose_ = v;
        else if (id == kBypass)
            bypass_ = v >= 0.5;
        else
            return kResultFalse;
        return kResultOk;
    }
    tresult setComponentHandler(IComponentHandler* h) override {
        if (h) h->addRef();
        if (handler_) handler_->release();
        handler_ = h;
        return kResultOk;
    }
    void* createView(FIDString) override { return nullptr; }

  private:
    ~Plugin() = default;

    // IComponent::getState/setState and IEditController::getState/setState share a signature; the
    // single override above serves both faces, which is what a single-component plugin does.
    static bool parseState(IBStream* s, double& transpose, uint8_t& bypass) {
        if (!s) return false;
        uint8_t buf[kStateSize + 1];
        if (!readExactly(s, buf, kStateSize)) return false;
        int32 extra = 0;
        s->read(buf + kStateSize, 1, &extra);
        if (extra != 0 || std::memcmp(buf, kMagic, 4) != 0) return false;
        uint32_t version;
        std::memcpy(&version, buf + 4, 4);
        std::memcpy(&transpose, buf + 8, 8);
        bypass = buf[16];
        return version == kStateVersion && std::isfinite(transpose) && transpose >= 0 &&
               transpose <= 1 && bypass <= 1;
    }

    int semitones() const { return static_cast<int>(std::lround(transpose_.load() * 24)) - 12; }

    void applyParameterChanges(IParameterChanges* changes) {
        if (!changes) return;
        const int32 n = changes->getParameterCount();
        for (int32 i = 0; i < n; ++i) {
            IParamValueQueue* q = changes->getParameterData(i);
            if (!q || q->getPointCount() <= 0) continue;
            int32 offset = 0;
            ParamValue v = 0;
            if (q->getPoint(q->getPointCount() - 1, offset, v) != kResultOk || !(v >= 0 && v <= 1))
                continue;
            if (q->getParameterId() == kTranspose) transpose_ = v;
            if (q->getParameterId() == kBypass) bypass_ = v >= 0.5;
        }
    }

    void copyAudio(ProcessData& data, int32 n) {
        if (data.numOutputs < 1 || !data.outputs || !data.outputs[0].channelBuffers32) return;
        AudioBusBuffers& out = data.outputs[0];
        const AudioBusBuffers* in =
            data.numInputs >= 1 && data.inputs && data.inputs[0].channelBuffers32 ? data.inputs
                                                                                  : nullptr;
        for (int32 c = 0; c < out.numChannels && c < 2; ++c) {
            float* o = out.channelBuffers32[c];
            if (!o) continue;
            const float* i = in && c < in->numChannels ? in->channelBuffers32[c] : nullptr;
            if (i)
                std::memcpy(o, i, sizeof(float) * n);
            else
                std::memset(o, 0, sizeof(float) * n);
            if (fault_ == Fault::Nan) o[0] = std::nanf("");
        }
    }

    void emit(uint16 type, int32 offset, int16 channel, int pitch, float velocity) {
        if (outCount_ >= kMaxOut) return;
        Event& e = out_[outCount_++];
        std::memset(&e, 0, sizeof e);
        e.type = type;
        e.sampleOffset = offset;
        if (type == Event::kNoteOnEvent) {
            e.noteOn.channel = channel;
            e.noteOn.pitch = static_cast<int16>(pitch);
            e.noteOn.velocity = velocity;
            e.noteOn.noteId = -1;
        } else {
            e.noteOff.channel = channel;
            e.noteOff.pitch = static_cast<int16>(pitch);
            e.noteOff.velocity = velocity;
            e.noteOff.noteId = -1;
        }
    }

    void releaseAll() {
        for (int c = 0; c < 16; ++c)
            for (int p = 0; p < 128; ++p)
                if (held_[c][p] >= 0) {
                    emit(Event::kNoteOffEvent, 0, static_cast<int16>(c), held_[c][p], 0.0f);
                    held_[c][p] = -1;
                }
    }

    static constexpr int32 kMaxOut = 512;
    std::atomic<uint32> refs_{1};
    Fault fault_;
    FUnknown* host_ = nullptr;
    IComponentHandler* handler_ = nullptr;
    bool active_ = false;
    int32 maxBlock_ = 0;
    std::atomic<double> transpose_{0.5};
    std::atomic<bool> bypass_{false};
    int8_t held_[16][128]; // emitted pitch per input key, -1 = not held
    Event out_[kMaxOut];
    int32 outCount_ = 0;
};

class Factory final : public IPluginFactory3 {
  public:
    tresult queryInterface(const TUID iid, void** obj) override {
        if (!obj) return kInvalidArgument;
        if (FUnknown::iid.equals(iid) || IPluginFactory::iid.equals(iid) ||
            IPluginFactory2::iid.equals(iid) || IPluginFactory3::iid.equals(iid)) {
            *obj = this;
            addRef();
            return kResultOk;
        }
        *obj = nullptr;
        return kNoInterface;
    }
    uint32 addRef() override { return ++refs_; }
    uint32 release() override { // static object: counts, never deletes
        uint32 left = --refs_;
        if (left == 0 && context_) {
            context_->release();
            context_ = nullptr;
        }
        return left;
    }
    tresult getFactoryInfo(PFactoryInfo* info) override {
        if (!info) return kInvalidArgument;
        std::memset(info, 0, sizeof *info);
        std::strcpy(info->vendor, "CoPilot test fixture");
        info->flags = PFactoryInfo::kUnicode;
        return kResultOk;
    }
    int32 countClasses() override { return 1; }
    tresult getClassInfo(int32 index, PClassInfo* info) override {
        if (index != 0 || !info) return kInvalidArgument;
        std::memset(info, 0, sizeof *info);
        std::memcpy(info->cid, kClassId.data(), 16);
        info->cardinality = PClassInfo::kManyInstances;
        std::strcpy(info->category, kVstAudioEffectClass);
        std::strcpy(info->name, "CoPilot Fixture");
        return kResultOk;
    }
    tresult createInstance(FIDString cid, FIDString iid, void** obj) override {
        if (!obj) return kInvalidArgument;
        *obj = nullptr;
        if (!kClassId.equals(cid)) return kNoInterface;
        Plugin* p = new Plugin;
        tresult r = p->queryInterface(iid, obj);
        p->release();
        return r;
    }
    tresult getClassInfo2(int32 index, PClassInfo2* info) override {
        if (index != 0 || !info) return kInvalidArgument;
        std::memset(info, 0, sizeof *info);
        PClassInfo base;
        getClassInfo(0, &base);
        std::memcpy(info->cid, base.cid, 16);
        info->cardinality = base.cardinality;
        std::strcpy(info->category, base.category);
        std::strcpy(info->name, base.name);
        std::strcpy(info->subCategories, "Fx|Generator");
        std::strcpy(info->vendor, "CoPilot test fixture");
        std::strcpy(info->version, "1.0.0");
        std::strcpy(info->sdkVersion, "VST 3.7.14");
        return kResultOk;
    }
    tresult getClassInfoUnicode(int32 index, PClassInfoW* info) override {
        PClassInfo2 a;
        if (!info || getClassInfo2(index, &a) != kResultOk) return kInvalidArgument;
        std::memset(info, 0, sizeof *info);
        std::memcpy(info->cid, a.cid, 16);
        info->cardinality = a.cardinality;
        std::strcpy(info->category, a.category);
        copyString(info->name, a.name, PClassInfo::kNameSize);
        std::strcpy(info->subCategories, a.subCategories);
        copyString(info->vendor, a.vendor, PClassInfoW::kVendorSize);
        copyString(info->version, a.version, PClassInfoW::kVersionSize);
        copyString(info->sdkVersion, a.sdkVersion, PClassInfoW::kVersionSize);
        return kResultOk;
    }
    tresult setHostContext(FUnknown* context) override {
        if (context) context->addRef();
        if (context_) context_->release();
        context_ = context;
        return kResultOk;
    }

  private:
    std::atomic<uint32> refs_{0};
    FUnknown* context_ = nullptr;
};

Factory g_factory;
std::atomic<int64_t> g_fakeCollections{0};

} // namespace

EXPORT bool ModuleEntry(void*) {
    return true;
}
EXPORT bool ModuleExit() {
    return true;
}
EXPORT IPluginFactory* GetPluginFactory() {
    g_factory.addRef();
    return &g_factory;
}
EXPORT int CoPilot_GetRuntimeStats(int64_t* gcCollections, int64_t* allocatedBytes) {
    static const bool gcFault = readFault() == Fault::Gc;
    if (gcCollections) *gcCollections = gcFault ? ++g_fakeCollections : 0;
    if (allocatedBytes) *allocatedBytes = 0;
    return 0;
}
