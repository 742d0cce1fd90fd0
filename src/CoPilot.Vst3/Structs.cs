using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

// Struct layouts of pluginterfaces/base/ipluginbase.h and pluginterfaces/vst/*.h with natural alignment
// (the headers' falignpush.h packs nothing on Linux/x64). Sizes and offsets are checked by tests.

/// <summary>pluginterfaces/base/ipluginbase.h: PFactoryInfo (452 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct PFactoryInfo
{
    public const int kURLSize = 256, kEmailSize = 128, kNameSize = 64;
    public const int kNoFlags = 0, kClassesDiscardable = 1 << 0, kComponentNonDiscardable = 1 << 3, kUnicode = 1 << 4;

    public fixed byte vendor[kNameSize];
    public fixed byte url[kURLSize];
    public fixed byte email[kEmailSize];
    public int flags;
}

/// <summary>pluginterfaces/base/ipluginbase.h: PClassInfo (116 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct PClassInfo
{
    public const int kManyInstances = 0x7FFFFFFF, kCategorySize = 32, kNameSize = 64;

    public Tuid cid;
    public int cardinality;
    public fixed byte category[kCategorySize];
    public fixed byte name[kNameSize];
}

/// <summary>pluginterfaces/base/ipluginbase.h: PClassInfo2 (440 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct PClassInfo2
{
    public const int kVendorSize = 64, kVersionSize = 64, kSubCategoriesSize = 128;

    public Tuid cid;
    public int cardinality;
    public fixed byte category[PClassInfo.kCategorySize];
    public fixed byte name[PClassInfo.kNameSize];
    public uint classFlags;
    public fixed byte subCategories[kSubCategoriesSize];
    public fixed byte vendor[kVendorSize];
    public fixed byte version[kVersionSize];
    public fixed byte sdkVersion[kVersionSize];
}

/// <summary>pluginterfaces/base/ipluginbase.h: PClassInfoW (696 bytes), char16 strings.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct PClassInfoW
{
    public Tuid cid;
    public int cardinality;
    public fixed byte category[PClassInfo.kCategorySize];
    public fixed char name[PClassInfo.kNameSize];
    public uint classFlags;
    public fixed byte subCategories[PClassInfo2.kSubCategoriesSize];
    public fixed char vendor[PClassInfo2.kVendorSize];
    public fixed char version[PClassInfo2.kVersionSize];
    public fixed char sdkVersion[PClassInfo2.kVersionSize];
}

/// <summary>pluginterfaces/vst/ivstcomponent.h: MediaTypes, BusDirections, BusTypes, IoModes.</summary>
public static class MediaTypes
{
    public const int kAudio = 0, kEvent = 1;
}

public static class BusDirections
{
    public const int kInput = 0, kOutput = 1;
}

public static class BusTypes
{
    public const int kMain = 0, kAux = 1;
}

/// <summary>pluginterfaces/vst/ivstcomponent.h: BusInfo (276 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct BusInfo
{
    public const uint kDefaultActive = 1 << 0, kIsControlVoltage = 1 << 1;

    public int mediaType;
    public int direction;
    public int channelCount;
    public fixed char name[128];
    public int busType;
    public uint flags;
}

/// <summary>pluginterfaces/vst/ivstcomponent.h: RoutingInfo (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RoutingInfo
{
    public int mediaType;
    public int busIndex;
    public int channel;
}

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: SymbolicSampleSizes, ProcessModes, component flags.</summary>
public static class SymbolicSampleSizes
{
    public const int kSample32 = 0, kSample64 = 1;
}

public static class ProcessModes
{
    public const int kRealtime = 0, kPrefetch = 1, kOffline = 2;
}

public static class ComponentFlags
{
    public const uint kDistributable = 1 << 0, kSimpleModeSupported = 1 << 1;
}

/// <summary>pluginterfaces/vst/vstspeaker.h: the arrangements this project names.</summary>
public static class SpeakerArr
{
    public const ulong kEmpty = 0, kMono = 1UL << 19, kStereo = 0x3;
}

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: ProcessSetup (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessSetup
{
    public int processMode;
    public int symbolicSampleSize;
    public int maxSamplesPerBlock;
    public double sampleRate;
}

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: AudioBusBuffers (24 bytes).</summary>
[StructLayout(LayoutKind.Explicit)]
public unsafe struct AudioBusBuffers
{
    [FieldOffset(0)] public int numChannels;
    [FieldOffset(8)] public ulong silenceFlags;
    [FieldOffset(16)] public float** channelBuffers32;
    [FieldOffset(16)] public double** channelBuffers64;
}

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: ProcessData (80 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ProcessData
{
    public int processMode;
    public int symbolicSampleSize;
    public int numSamples;
    public int numInputs;
    public int numOutputs;
    public AudioBusBuffers* inputs;
    public AudioBusBuffers* outputs;
    public void* inputParameterChanges;   // IParameterChanges*
    public void* outputParameterChanges;  // IParameterChanges*
    public void* inputEvents;             // IEventList*
    public void* outputEvents;            // IEventList*
    public ProcessContext* processContext;
}

/// <summary>pluginterfaces/vst/ivstprocesscontext.h: Chord (4 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Chord
{
    public byte keyNote;
    public byte rootNote;
    public short chordMask;
}

/// <summary>pluginterfaces/vst/ivstprocesscontext.h: FrameRate (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FrameRate
{
    public uint framesPerSecond;
    public uint flags;
}

/// <summary>pluginterfaces/vst/ivstprocesscontext.h: ProcessContext (112 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessContext
{
    public const uint kPlaying = 1 << 1, kCycleActive = 1 << 2, kRecording = 1 << 3;
    public const uint kSystemTimeValid = 1 << 8, kProjectTimeMusicValid = 1 << 9, kTempoValid = 1 << 10;
    public const uint kBarPositionValid = 1 << 11, kCycleValid = 1 << 12, kTimeSigValid = 1 << 13;
    public const uint kSmpteValid = 1 << 14, kClockValid = 1 << 15, kContTimeValid = 1 << 17, kChordValid = 1 << 18;

    public uint state;
    public double sampleRate;
    public long projectTimeSamples;
    public long systemTime;
    public long continousTimeSamples;
    public double projectTimeMusic;
    public double barPositionMusic;
    public double cycleStartMusic;
    public double cycleEndMusic;
    public double tempo;
    public int timeSigNumerator;
    public int timeSigDenominator;
    public Chord chord;
    public int smpteOffsetSubframes;
    public FrameRate frameRate;
    public int samplesToNextClock;
}

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: IProcessContextRequirements::Flags.</summary>
public static class ProcessContextRequirementFlags
{
    public const uint kNeedSystemTime = 1 << 0, kNeedContinousTimeSamples = 1 << 1, kNeedProjectTimeMusic = 1 << 2;
    public const uint kNeedBarPositionMusic = 1 << 3, kNeedCycleMusic = 1 << 4, kNeedSamplesToNextClock = 1 << 5;
    public const uint kNeedTempo = 1 << 6, kNeedTimeSignature = 1 << 7, kNeedChord = 1 << 8;
    public const uint kNeedFrameRate = 1 << 9, kNeedTransportState = 1 << 10;
}

/// <summary>pluginterfaces/vst/ivstevents.h: NoteOnEvent (20 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NoteOnEvent
{
    public short channel;
    public short pitch;
    public float tuning;
    public float velocity;
    public int length;
    public int noteId;
}

/// <summary>pluginterfaces/vst/ivstevents.h: NoteOffEvent (20 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NoteOffEvent
{
    public short channel;
    public short pitch;
    public float velocity;
    public int noteId;
    public float tuning;
}

/// <summary>pluginterfaces/vst/ivstevents.h: DataEvent (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct DataEvent
{
    public uint size;
    public uint type;
    public byte* bytes;
}

/// <summary>pluginterfaces/vst/ivstevents.h: PolyPressureEvent (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PolyPressureEvent
{
    public short channel;
    public short pitch;
    public float pressure;
    public int noteId;
}

/// <summary>pluginterfaces/vst/ivstnoteexpression.h: NoteExpressionValueEvent (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NoteExpressionValueEvent
{
    public uint typeId;
    public int noteId;
    public double value;
}

/// <summary>pluginterfaces/vst/ivstnoteexpression.h: NoteExpressionTextEvent (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NoteExpressionTextEvent
{
    public uint typeId;
    public int noteId;
    public uint textLen;
    public char* text;
}

/// <summary>pluginterfaces/vst/ivstevents.h: ChordEvent (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ChordEvent
{
    public short root;
    public short bassNote;
    public short mask;
    public ushort textLen;
    public char* text;
}

/// <summary>pluginterfaces/vst/ivstevents.h: ScaleEvent (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ScaleEvent
{
    public short root;
    public short mask;
    public ushort textLen;
    public char* text;
}

/// <summary>pluginterfaces/vst/ivstevents.h: LegacyMIDICCOutEvent (4 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct LegacyMIDICCOutEvent
{
    public byte controlNumber;
    public sbyte channel;
    public sbyte value;
    public sbyte value2;
}

/// <summary>pluginterfaces/vst/ivstevents.h: Event (48 bytes, union at offset 24).</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct Event
{
    public const ushort kIsLive = 1 << 0, kUserReserved1 = 1 << 14, kUserReserved2 = 1 << 15;
    public const ushort kNoteOnEvent = 0, kNoteOffEvent = 1, kDataEvent = 2, kPolyPressureEvent = 3;
    public const ushort kNoteExpressionValueEvent = 4, kNoteExpressionTextEvent = 5, kChordEvent = 6;
    public const ushort kScaleEvent = 7, kLegacyMIDICCOutEvent = 65535;

    [FieldOffset(0)] public int busIndex;
    [FieldOffset(4)] public int sampleOffset;
    [FieldOffset(8)] public double ppqPosition;
    [FieldOffset(16)] public ushort flags;
    [FieldOffset(18)] public ushort type;
    [FieldOffset(24)] public NoteOnEvent noteOn;
    [FieldOffset(24)] public NoteOffEvent noteOff;
    [FieldOffset(24)] public DataEvent data;
    [FieldOffset(24)] public PolyPressureEvent polyPressure;
    [FieldOffset(24)] public NoteExpressionValueEvent noteExpressionValue;
    [FieldOffset(24)] public NoteExpressionTextEvent noteExpressionText;
    [FieldOffset(24)] public ChordEvent chord;
    [FieldOffset(24)] public ScaleEvent scale;
    [FieldOffset(24)] public LegacyMIDICCOutEvent midiCCOut;
}

/// <summary>pluginterfaces/vst/ivstmidicontrollers.h: the ControllerNumbers this project maps.</summary>
public static class ControllerNumbers
{
    public const short kCtrlModWheel = 1, kCtrlSustainOnOff = 64, kCtrlAllSoundsOff = 120, kCtrlAllNotesOff = 123;
    public const short kAfterTouch = 128, kPitchBend = 129, kCountCtrlNumber = 130;
}

/// <summary>pluginterfaces/vst/ivsteditcontroller.h: ParameterInfo (792 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ParameterInfo
{
    public const int kNoFlags = 0, kCanAutomate = 1 << 0, kIsReadOnly = 1 << 1, kIsWrapAround = 1 << 2;
    public const int kIsList = 1 << 3, kIsHidden = 1 << 4, kIsProgramChange = 1 << 15, kIsBypass = 1 << 16;

    public uint id;
    public fixed char title[128];
    public fixed char shortTitle[128];
    public fixed char units[128];
    public int stepCount;
    public double defaultNormalizedValue;
    public int unitId;
    public int flags;
}

/// <summary>pluginterfaces/vst/ivsteditcontroller.h: RestartFlags used by this project.</summary>
public static class RestartFlags
{
    public const int kReloadComponent = 1 << 0, kIoChanged = 1 << 1, kParamValuesChanged = 1 << 2;
    public const int kLatencyChanged = 1 << 3, kParamTitlesChanged = 1 << 4;
}

/// <summary>pluginterfaces/base/ibstream.h: IStreamSeekMode.</summary>
public static class StreamSeekMode
{
    public const int kIBSeekSet = 0, kIBSeekCur = 1, kIBSeekEnd = 2;
}
