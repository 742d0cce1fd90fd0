// vst3_abi.h - the subset of the VST3 binary interface this test host needs, written from the
// facts in Steinberg's public interface headers (steinbergmedia/vst3_pluginterfaces, 3.7.14).
// No SDK code is used: only the ABI facts (interface IDs, vtable order, struct layouts, enum
// values). Each block names the header it was taken from.
//
// Platform assumptions (checked by static_asserts at the end): Linux x86_64, GCC/Clang.
//  - base/fplatform.h: on Linux COM_COMPATIBLE is 0 and PLUGIN_API is empty, so methods use the
//    plain SysV calling convention with `this` as the first argument.
//  - base/falignpush.h: on Linux 64-bit the interface structs use `#pragma pack(16)`, i.e. natural
//    alignment. (vst/vstpshpack4.h is only used by ivstnoteexpression.h on 32-bit Windows.)
//  - An interface is a C++ class with only pure virtual methods and no virtual destructor: under
//  the
//    Itanium C++ ABI its vtable is exactly the method list in declaration order, base class first.
//    That is why no interface here may declare a destructor or reorder a method.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vst3 {

// ---- base/ftypes.h ---------------------------------------------------------------------------
using int8 = char; // the header says `typedef char int8`
using uint8 = uint8_t;
using int16 = int16_t;
using uint16 = uint16_t;
using int32 = int32_t;
using uint32 = uint32_t;
using int64 = int64_t;
using uint64 = uint64_t;
using tresult = int32;
using TBool = uint8; // a one-byte bool on the wire
using char8 = char;
using char16 = char16_t; // UTF-16 code unit
using FIDString = const char8*;

// ---- base/funknown.h: result codes for COM_COMPATIBLE == 0 -------------------------------------
enum : tresult {
    kNoInterface = -1,
    kResultOk = 0,
    kResultTrue = kResultOk,
    kResultFalse = 1,
    kInvalidArgument = 2,
    kNotImplemented = 3,
    kInternalError = 4,
    kNotInitialized = 5,
    kOutOfMemory = 6,
};

// ---- base/funknown.h: TUID and INLINE_UID ----------------------------------------------------
// `typedef char TUID[16]`. With COM_COMPATIBLE == 0, INLINE_UID(l1, l2, l3, l4) stores each of
// the four 32-bit words most significant byte first (not the Windows GUID byte order).
using TUID = char[16];

struct Iid {
    char bytes[16];
    const char* data() const { return bytes; }
    bool equals(const void* other) const { return other && std::memcmp(bytes, other, 16) == 0; }
};

constexpr Iid makeIid(uint32 l1, uint32 l2, uint32 l3, uint32 l4) {
    return Iid{{static_cast<char>(l1 >> 24), static_cast<char>(l1 >> 16),
                static_cast<char>(l1 >> 8), static_cast<char>(l1), static_cast<char>(l2 >> 24),
                static_cast<char>(l2 >> 16), static_cast<char>(l2 >> 8), static_cast<char>(l2),
                static_cast<char>(l3 >> 24), static_cast<char>(l3 >> 16),
                static_cast<char>(l3 >> 8), static_cast<char>(l3), static_cast<char>(l4 >> 24),
                static_cast<char>(l4 >> 16), static_cast<char>(l4 >> 8), static_cast<char>(l4)}};
}

// ---- base/funknown.h: FUnknown --------------------------------------------------------------
class FUnknown {
  public:
    virtual tresult queryInterface(const TUID iid, void** obj) = 0;
    virtual uint32 addRef() = 0;
    virtual uint32 release() = 0;
    static constexpr Iid iid = makeIid(0x00000000, 0x00000000, 0xC0000000, 0x00000046);
};

// ---- base/ibstream.h -------------------------------------------------------------------------
class IBStream : public FUnknown {
  public:
    enum IStreamSeekMode { kIBSeekSet = 0, kIBSeekCur, kIBSeekEnd };
    virtual tresult read(void* buffer, int32 numBytes, int32* numBytesRead) = 0;
    virtual tresult write(void* buffer, int32 numBytes, int32* numBytesWritten) = 0;
    virtual tresult seek(int64 pos, int32 mode, int64* result) = 0;
    virtual tresult tell(int64* pos) = 0;
    static constexpr Iid iid = makeIid(0xC3BF6EA2, 0x30994752, 0x9B6BF990, 0x1EE33E9B);
};

class ISizeableStream : public FUnknown {
  public:
    virtual tresult getStreamSize(int64& size) = 0;
    virtual tresult setStreamSize(int64 size) = 0;
    static constexpr Iid iid = makeIid(0x04F9549E, 0xE02F4E6E, 0x87E86A87, 0x47F4E17F);
};

// ---- base/ipluginbase.h ----------------------------------------------------------------------
class IPluginBase : public FUnknown {
  public:
    virtual tresult initialize(FUnknown* context) = 0;
    virtual tresult terminate() = 0;
    static constexpr Iid iid = makeIid(0x22888DDB, 0x156E45AE, 0x8358B348, 0x08190625);
};

struct PFactoryInfo {
    enum { kURLSize = 256, kEmailSize = 128, kNameSize = 64 };
    enum FactoryFlags {
        kClassesDiscardable = 1,
        kLicenseCheck = 2,
        kComponentNonDiscardable = 8,
        kUnicode = 16
    };
    char8 vendor[kNameSize];
    char8 url[kURLSize];
    char8 email[kEmailSize];
    int32 flags;
};

struct PClassInfo {
    enum { kCategorySize = 32, kNameSize = 64 };
    enum { kManyInstances = 0x7FFFFFFF };
    TUID cid;
    int32 cardinality;
    char8 category[kCategorySize];
    char8 name[kNameSize];
};

struct PClassInfo2 {
    enum { kVendorSize = 64, kVersionSize = 64, kSubCategoriesSize = 128 };
    TUID cid;
    int32 cardinality;
    char8 category[PClassInfo::kCategorySize];
    char8 name[PClassInfo::kNameSize];
    uint32 classFlags;
    char8 subCategories[kSubCategoriesSize];
    char8 vendor[kVendorSize];
    char8 version[kVersionSize];
    char8 sdkVersion[kVersionSize];
};

struct PClassInfoW {
    enum { kVendorSize = 64, kVersionSize = 64, kSubCategoriesSize = 128 };
    TUID cid;
    int32 cardinality;
    char8 category[PClassInfo::kCategorySize];
    char16 name[PClassInfo::kNameSize];
    uint32 classFlags;
    char8 subCategories[kSubCategoriesSize];
    char16 vendor[kVendorSize];
    char16 version[kVersionSize];
    char16 sdkVersion[kVersionSize];
};

class IPluginFactory : public FUnknown {
  public:
    virtual tresult getFactoryInfo(PFactoryInfo* info) = 0;
    virtual int32 countClasses() = 0;
    virtual tresult getClassInfo(int32 index, PClassInfo* info) = 0;
    virtual tresult createInstance(FIDString cid, FIDString iid, void** obj) = 0;
    static constexpr Iid iid = makeIid(0x7A4D811C, 0x52114A1F, 0xAED9D2EE, 0x0B43BF9F);
};

class IPluginFactory2 : public IPluginFactory {
  public:
    virtual tresult getClassInfo2(int32 index, PClassInfo2* info) = 0;
    static constexpr Iid iid = makeIid(0x0007B650, 0xF24B4C0B, 0xA464EDB9, 0xF00B2ABB);
};

class IPluginFactory3 : public IPluginFactory2 {
  public:
    virtual tresult getClassInfoUnicode(int32 index, PClassInfoW* info) = 0;
    virtual tresult setHostContext(FUnknown* context) = 0;
    static constexpr Iid iid = makeIid(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931);
};

// ---- base/iplugincompatibility.h -------------------------------------------------------------
// A class of category "Plugin Compatibility Class" may describe which older class IDs the plugin's
// classes replace, as UTF-8 JSON5 (the "Compatibility" array of moduleinfo.json).
constexpr const char* kPluginCompatibilityClass = "Plugin Compatibility Class";
class IPluginCompatibility : public FUnknown {
  public:
    virtual tresult getCompatibilityJSON(IBStream* stream) = 0;
    static constexpr Iid iid = makeIid(0x4AFD4B6A, 0x35D7C240, 0xA5C31414, 0xFB7D15E6);
};

// `extern "C" IPluginFactory* GetPluginFactory ()` (ipluginbase.h). ModuleEntry/ModuleExit are the
// Linux module entry points the SDK's hosting code requires (bool ModuleEntry (void*)).
using GetFactoryProc = IPluginFactory* (*)();
using ModuleEntryProc = bool (*)(void*);
using ModuleExitProc = bool (*)();

// Category string of processor classes (ivstaudioprocessor.h kVstAudioEffectClass).
constexpr const char* kVstAudioEffectClass = "Audio Module Class";
constexpr const char* kVstComponentControllerClass = "Component Controller Class";

// ---- vst/vsttypes.h --------------------------------------------------------------------------
using TChar = char16;
using String128 = TChar[128];
using MediaType = int32;
using BusDirection = int32;
using BusType = int32;
using IoMode = int32;
using UnitID = int32;
using ParamValue = double;
using ParamID = uint32;
using TQuarterNotes = double;
using TSamples = int64;
using Sample32 = float;
using Sample64 = double;
using SampleRate = double;
using SpeakerArrangement = uint64;
constexpr ParamID kNoParamId = 0xFFFFFFFF;

// ---- vst/vstspeaker.h ------------------------------------------------------------------------
namespace SpeakerArr {
constexpr SpeakerArrangement kEmpty = 0;
constexpr SpeakerArrangement kMono = 1 << 19; // kSpeakerM
constexpr SpeakerArrangement kStereo = 0x3;   // kSpeakerL | kSpeakerR
constexpr SpeakerArrangement k51 = 0x3F;      // L R C Lfe Ls Rs
} // namespace SpeakerArr

// ---- vst/ivstcomponent.h ---------------------------------------------------------------------
enum MediaTypes { kAudio = 0, kEvent = 1 };
enum BusDirections { kInput = 0, kOutput = 1 };
enum BusTypes { kMain = 0, kAux = 1 };
enum IoModes { kSimple = 0, kAdvanced, kOfflineProcessing };

struct BusInfo {
    MediaType mediaType;
    BusDirection direction;
    int32 channelCount;
    String128 name;
    BusType busType;
    uint32 flags;
    enum BusFlags { kDefaultActive = 1 << 0, kIsControlVoltage = 1 << 1 };
};

struct RoutingInfo {
    MediaType mediaType;
    int32 busIndex;
    int32 channel;
};

class IComponent : public IPluginBase {
  public:
    virtual tresult getControllerClassId(TUID classId) = 0;
    virtual tresult setIoMode(IoMode mode) = 0;
    virtual int32 getBusCount(MediaType type, BusDirection dir) = 0;
    virtual tresult getBusInfo(MediaType type, BusDirection dir, int32 index, BusInfo& bus) = 0;
    virtual tresult getRoutingInfo(RoutingInfo& inInfo, RoutingInfo& outInfo) = 0;
    virtual tresult activateBus(MediaType type, BusDirection dir, int32 index, TBool state) = 0;
    virtual tresult setActive(TBool state) = 0;
    virtual tresult setState(IBStream* state) = 0;
    virtual tresult getState(IBStream* state) = 0;
    static constexpr Iid iid = makeIid(0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802);
};

// ---- vst/ivstattributes.h / vst/ivstmessage.h ------------------------------------------------
class IAttributeList : public FUnknown {
  public:
    using AttrID = const char*;
    virtual tresult setInt(AttrID id, int64 value) = 0;
    virtual tresult getInt(AttrID id, int64& value) = 0;
    virtual tresult setFloat(AttrID id, double value) = 0;
    virtual tresult getFloat(AttrID id, double& value) = 0;
    virtual tresult setString(AttrID id, const TChar* string) = 0;
    virtual tresult getString(AttrID id, TChar* string, uint32 sizeInBytes) = 0;
    virtual tresult setBinary(AttrID id, const void* data, uint32 sizeInBytes) = 0;
    virtual tresult getBinary(AttrID id, const void*& data, uint32& sizeInBytes) = 0;
    static constexpr Iid iid = makeIid(0x1E5F0AEB, 0xCC7F4533, 0xA2544011, 0x38AD5EE4);
};

class IMessage : public FUnknown {
  public:
    virtual FIDString getMessageID() = 0;
    virtual void setMessageID(FIDString id) = 0;
    virtual IAttributeList* getAttributes() = 0; // no addRef by convention
    static constexpr Iid iid = makeIid(0x936F033B, 0xC6C047DB, 0xBB0882F8, 0x13C1E613);
};

class IConnectionPoint : public FUnknown {
  public:
    virtual tresult connect(IConnectionPoint* other) = 0;
    virtual tresult disconnect(IConnectionPoint* other) = 0;
    virtual tresult notify(IMessage* message) = 0;
    static constexpr Iid iid = makeIid(0x70A4156F, 0x6E6E4026, 0x989148BF, 0xAA60D8D1);
};

// ---- vst/ivsthostapplication.h ---------------------------------------------------------------
class IHostApplication : public FUnknown {
  public:
    virtual tresult getName(String128 name) = 0;
    virtual tresult createInstance(TUID cid, TUID iid, void** obj) = 0;
    static constexpr Iid iid = makeIid(0x58E595CC, 0xDB2D4969, 0x8B6AAF8C, 0x36A664E5);
};

// ---- vst/ivstnoteexpression.h (only the two event payloads that live in Event's union) --------
struct NoteExpressionValueEvent {
    uint32 typeId;
    int32 noteId;
    double value;
};
struct NoteExpressionTextEvent {
    uint32 typeId;
    int32 noteId;
    uint32 textLen;
    const TChar* text;
};

// ---- vst/ivstevents.h ------------------------------------------------------------------------
struct NoteOnEvent {
    int16 channel;
    int16 pitch; // 0..127
    float tuning;
    float velocity; // 0..1
    int32 length;
    int32 noteId; // -1 if not available
};
struct NoteOffEvent {
    int16 channel;
    int16 pitch;
    float velocity;
    int32 noteId;
    float tuning;
};
struct DataEvent {
    uint32 size;
    uint32 type; // kMidiSysEx = 0
    const uint8* bytes;
};
struct PolyPressureEvent {
    int16 channel;
    int16 pitch;
    float pressure;
    int32 noteId;
};
struct ChordEvent {
    int16 root;
    int16 bassNote;
    int16 mask;
    uint16 textLen;
    const TChar* text;
};
struct ScaleEvent {
    int16 root;
    int16 mask;
    uint16 textLen;
    const TChar* text;
};
struct LegacyMIDICCOutEvent {
    uint8 controlNumber;
    int8 channel;
    int8 value;
    int8 value2;
};

struct Event {
    int32 busIndex;
    int32 sampleOffset; // relative to the start of the current block
    TQuarterNotes ppqPosition;
    uint16 flags; // kIsLive = 1
    enum EventFlags { kIsLive = 1 << 0 };
    enum EventTypes {
        kNoteOnEvent = 0,
        kNoteOffEvent = 1,
        kDataEvent = 2,
        kPolyPressureEvent = 3,
        kNoteExpressionValueEvent = 4,
        kNoteExpressionTextEvent = 5,
        kChordEvent = 6,
        kScaleEvent = 7,
        kLegacyMIDICCOutEvent = 65535
    };
    uint16 type;
    union {
        NoteOnEvent noteOn;
        NoteOffEvent noteOff;
        DataEvent data;
        PolyPressureEvent polyPressure;
        NoteExpressionValueEvent noteExpressionValue;
        NoteExpressionTextEvent noteExpressionText;
        ChordEvent chord;
        ScaleEvent scale;
        LegacyMIDICCOutEvent midiCCOut;
    };
};

class IEventList : public FUnknown {
  public:
    virtual int32 getEventCount() = 0;
    virtual tresult getEvent(int32 index, Event& e) = 0;
    virtual tresult addEvent(Event& e) = 0;
    static constexpr Iid iid = makeIid(0x3A2C4214, 0x346349FE, 0xB2C4F397, 0xB9695A44);
};

// ---- vst/ivstparameterchanges.h --------------------------------------------------------------
class IParamValueQueue : public FUnknown {
  public:
    virtual ParamID getParameterId() = 0;
    virtual int32 getPointCount() = 0;
    virtual tresult getPoint(int32 index, int32& sampleOffset, ParamValue& value) = 0;
    virtual tresult addPoint(int32 sampleOffset, ParamValue value, int32& index) = 0;
    static constexpr Iid iid = makeIid(0x01263A18, 0xED074F6F, 0x98C9D356, 0x4686F9BA);
};

class IParameterChanges : public FUnknown {
  public:
    virtual int32 getParameterCount() = 0;
    virtual IParamValueQueue* getParameterData(int32 index) = 0; // no addRef by convention
    // Note: the ParamID is passed by const reference, i.e. as a pointer on the wire.
    virtual IParamValueQueue* addParameterData(const ParamID& id, int32& index) = 0;
    static constexpr Iid iid = makeIid(0xA4779663, 0x0BB64A56, 0xB44384A8, 0x466FEB9D);
};

// ---- vst/ivstprocesscontext.h ----------------------------------------------------------------
struct FrameRate {
    uint32 framesPerSecond;
    uint32 flags;
};
struct Chord {
    uint8 keyNote;
    uint8 rootNote;
    int16 chordMask;
};
struct ProcessContext {
    enum StatesAndFlags : uint32 {
        kPlaying = 1 << 1,
        kCycleActive = 1 << 2,
        kRecording = 1 << 3,
        kSystemTimeValid = 1 << 8,
        kContTimeValid = 1 << 17,
        kProjectTimeMusicValid = 1 << 9,
        kBarPositionValid = 1 << 11,
        kCycleValid = 1 << 12,
        kTempoValid = 1 << 10,
        kTimeSigValid = 1 << 13,
        kChordValid = 1 << 18,
        kSmpteValid = 1 << 14,
        kClockValid = 1 << 15
    };
    uint32 state;
    double sampleRate;
    TSamples projectTimeSamples;
    int64 systemTime;
    TSamples continousTimeSamples; // sic, the header's spelling
    TQuarterNotes projectTimeMusic;
    TQuarterNotes barPositionMusic;
    TQuarterNotes cycleStartMusic;
    TQuarterNotes cycleEndMusic;
    double tempo;
    int32 timeSigNumerator;
    int32 timeSigDenominator;
    Chord chord;
    int32 smpteOffsetSubframes;
    FrameRate frameRate;
    int32 samplesToNextClock;
};

// ---- vst/ivstaudioprocessor.h ----------------------------------------------------------------
enum SymbolicSampleSizes { kSample32 = 0, kSample64 = 1 };
enum ProcessModes { kRealtime = 0, kPrefetch, kOffline };
constexpr uint32 kNoTail = 0;
constexpr uint32 kInfiniteTail = 0xFFFFFFFFu;

struct ProcessSetup {
    int32 processMode;
    int32 symbolicSampleSize;
    int32 maxSamplesPerBlock;
    SampleRate sampleRate;
};

struct AudioBusBuffers {
    int32 numChannels;
    uint64 silenceFlags;
    union {
        Sample32** channelBuffers32;
        Sample64** channelBuffers64;
    };
};

struct ProcessData {
    int32 processMode;
    int32 symbolicSampleSize;
    int32 numSamples;
    int32 numInputs; // number of audio input buses
    int32 numOutputs;
    AudioBusBuffers* inputs;
    AudioBusBuffers* outputs;
    IParameterChanges* inputParameterChanges;
    IParameterChanges* outputParameterChanges;
    IEventList* inputEvents;
    IEventList* outputEvents;
    ProcessContext* processContext;
};

class IAudioProcessor : public FUnknown {
  public:
    virtual tresult setBusArrangements(SpeakerArrangement* inputs, int32 numIns,
                                       SpeakerArrangement* outputs, int32 numOuts) = 0;
    virtual tresult getBusArrangement(BusDirection dir, int32 index, SpeakerArrangement& arr) = 0;
    virtual tresult canProcessSampleSize(int32 symbolicSampleSize) = 0;
    virtual uint32 getLatencySamples() = 0;
    virtual tresult setupProcessing(ProcessSetup& setup) = 0;
    virtual tresult setProcessing(TBool state) = 0;
    virtual tresult process(ProcessData& data) = 0;
    virtual uint32 getTailSamples() = 0;
    static constexpr Iid iid = makeIid(0x42043F99, 0xB7DA453C, 0xA569E79D, 0x9AAEC33D);
};

class IProcessContextRequirements : public FUnknown {
  public:
    virtual uint32 getProcessContextRequirements() = 0;
    static constexpr Iid iid = makeIid(0x2A654303, 0xEF764E3D, 0x95B5FE83, 0x730EF6D0);
};

// ---- vst/ivsteditcontroller.h ----------------------------------------------------------------
struct ParameterInfo {
    ParamID id;
    String128 title;
    String128 shortTitle;
    String128 units;
    int32 stepCount; // 0 = continuous, 1 = toggle, n = n+1 discrete values
    ParamValue defaultNormalizedValue;
    UnitID unitId;
    int32 flags;
    enum ParameterFlags : int32 {
        kNoFlags = 0,
        kCanAutomate = 1 << 0,
        kIsReadOnly = 1 << 1,
        kIsWrapAround = 1 << 2,
        kIsList = 1 << 3,
        kIsHidden = 1 << 4,
        kIsProgramChange = 1 << 15,
        kIsBypass = 1 << 16
    };
};

class IComponentHandler : public FUnknown {
  public:
    virtual tresult beginEdit(ParamID id) = 0;
    virtual tresult performEdit(ParamID id, ParamValue valueNormalized) = 0;
    virtual tresult endEdit(ParamID id) = 0;
    virtual tresult restartComponent(int32 flags) = 0;
    static constexpr Iid iid = makeIid(0x93A0BEA3, 0x0BD045DB, 0x8E890B0C, 0xC1E46AC6);
};

class IEditController : public IPluginBase {
  public:
    virtual tresult setComponentState(IBStream* state) = 0;
    virtual tresult setState(IBStream* state) = 0;
    virtual tresult getState(IBStream* state) = 0;
    virtual int32 getParameterCount() = 0;
    virtual tresult getParameterInfo(int32 paramIndex, ParameterInfo& info) = 0;
    virtual tresult getParamStringByValue(ParamID id, ParamValue valueNormalized,
                                          String128 string) = 0;
    virtual tresult getParamValueByString(ParamID id, TChar* string,
                                          ParamValue& valueNormalized) = 0;
    virtual ParamValue normalizedParamToPlain(ParamID id, ParamValue valueNormalized) = 0;
    virtual ParamValue plainParamToNormalized(ParamID id, ParamValue plainValue) = 0;
    virtual ParamValue getParamNormalized(ParamID id) = 0;
    virtual tresult setParamNormalized(ParamID id, ParamValue value) = 0;
    virtual tresult setComponentHandler(IComponentHandler* handler) = 0;
    virtual void* createView(FIDString name) = 0; // returns IPlugView*; never called here
    static constexpr Iid iid = makeIid(0xDCD7BBE3, 0x7742448D, 0xA874AACC, 0x979C759E);
};

// ---- layout checks: the numbers the plugin side (C#) must agree with ---------------------------
static_assert(sizeof(void*) == 8, "this host targets 64-bit Linux");
static_assert(sizeof(TBool) == 1, "TBool is one byte");
static_assert(sizeof(char16) == 2, "char16 is UTF-16");
static_assert(sizeof(PFactoryInfo) == 452, "PFactoryInfo");
static_assert(sizeof(PClassInfo) == 116, "PClassInfo");
static_assert(sizeof(PClassInfo2) == 440, "PClassInfo2");
static_assert(sizeof(PClassInfoW) == 696, "PClassInfoW");
static_assert(offsetof(PClassInfoW, classFlags) == 180, "PClassInfoW.classFlags");
static_assert(sizeof(BusInfo) == 276, "BusInfo");
static_assert(sizeof(RoutingInfo) == 12, "RoutingInfo");
static_assert(sizeof(NoteOnEvent) == 20, "NoteOnEvent");
static_assert(sizeof(NoteOffEvent) == 16, "NoteOffEvent");
static_assert(sizeof(NoteExpressionTextEvent) == 24, "NoteExpressionTextEvent");
static_assert(sizeof(Event) == 48, "Event");
static_assert(offsetof(Event, flags) == 16 && offsetof(Event, type) == 18, "Event header");
static_assert(offsetof(Event, noteOn) == 24, "Event union offset");
static_assert(sizeof(ProcessSetup) == 24, "ProcessSetup");
static_assert(sizeof(AudioBusBuffers) == 24, "AudioBusBuffers");
static_assert(offsetof(AudioBusBuffers, silenceFlags) == 8, "AudioBusBuffers.silenceFlags");
static_assert(sizeof(ProcessData) == 80, "ProcessData");
static_assert(offsetof(ProcessData, inputs) == 24, "ProcessData.inputs");
static_assert(sizeof(ProcessContext) == 112, "ProcessContext");
static_assert(offsetof(ProcessContext, tempo) == 72, "ProcessContext.tempo");
static_assert(offsetof(ProcessContext, timeSigNumerator) == 80, "ProcessContext.timeSig");
static_assert(offsetof(ProcessContext, samplesToNextClock) == 104, "ProcessContext.clock");
static_assert(sizeof(ParameterInfo) == 792, "ParameterInfo");
static_assert(offsetof(ParameterInfo, defaultNormalizedValue) == 776, "ParameterInfo.default");

} // namespace vst3
