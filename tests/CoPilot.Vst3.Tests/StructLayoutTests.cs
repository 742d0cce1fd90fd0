using System.Runtime.CompilerServices;
using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>
/// Sizes and field offsets against vst3_pluginterfaces (SDK 3.7.14), natural alignment on Linux x64
/// (falignpush.h packs nothing there). Offsets are measured with pointer arithmetic on a real instance,
/// which is exactly what the host sees when it passes or receives a pointer.
/// </summary>
public unsafe class StructLayoutTests
{
    private static long Off(void* field, void* start) => (byte*)field - (byte*)start;

    [Fact]
    public void PFactoryInfo_matches_ipluginbase_h()
    {
        PFactoryInfo s = default;
        Assert.Equal(452, sizeof(PFactoryInfo));
        Assert.Equal(0, Off(s.vendor, &s));
        Assert.Equal(64, Off(s.url, &s));
        Assert.Equal(320, Off(s.email, &s));
        Assert.Equal(448, Off(&s.flags, &s));
    }

    [Fact]
    public void PClassInfo_matches_ipluginbase_h()
    {
        PClassInfo s = default;
        Assert.Equal(116, sizeof(PClassInfo));
        Assert.Equal(0, Off(&s.cid, &s));
        Assert.Equal(16, Off(&s.cardinality, &s));
        Assert.Equal(20, Off(s.category, &s));
        Assert.Equal(52, Off(s.name, &s));
    }

    [Fact]
    public void PClassInfo2_matches_ipluginbase_h()
    {
        PClassInfo2 s = default;
        Assert.Equal(440, sizeof(PClassInfo2));
        Assert.Equal(16, Off(&s.cardinality, &s));
        Assert.Equal(20, Off(s.category, &s));
        Assert.Equal(52, Off(s.name, &s));
        Assert.Equal(116, Off(&s.classFlags, &s));
        Assert.Equal(120, Off(s.subCategories, &s));
        Assert.Equal(248, Off(s.vendor, &s));
        Assert.Equal(312, Off(s.version, &s));
        Assert.Equal(376, Off(s.sdkVersion, &s));
    }

    [Fact]
    public void PClassInfoW_matches_ipluginbase_h()
    {
        PClassInfoW s = default;
        Assert.Equal(696, sizeof(PClassInfoW));
        Assert.Equal(16, Off(&s.cardinality, &s));
        Assert.Equal(20, Off(s.category, &s));
        Assert.Equal(52, Off(s.name, &s));
        Assert.Equal(180, Off(&s.classFlags, &s));
        Assert.Equal(184, Off(s.subCategories, &s));
        Assert.Equal(312, Off(s.vendor, &s));
        Assert.Equal(440, Off(s.version, &s));
        Assert.Equal(568, Off(s.sdkVersion, &s));
    }

    [Fact]
    public void Tuid_is_16_bytes()
    {
        Assert.Equal(16, sizeof(Tuid));
        Assert.Equal(16, Unsafe.SizeOf<Tuid>());
    }

    [Fact]
    public void BusInfo_matches_ivstcomponent_h()
    {
        BusInfo s = default;
        Assert.Equal(276, sizeof(BusInfo));
        Assert.Equal(4, Off(&s.direction, &s));
        Assert.Equal(8, Off(&s.channelCount, &s));
        Assert.Equal(12, Off(s.name, &s));
        Assert.Equal(268, Off(&s.busType, &s));
        Assert.Equal(272, Off(&s.flags, &s));
    }

    [Fact]
    public void RoutingInfo_matches_ivstcomponent_h()
    {
        RoutingInfo s = default;
        Assert.Equal(12, sizeof(RoutingInfo));
        Assert.Equal(4, Off(&s.busIndex, &s));
        Assert.Equal(8, Off(&s.channel, &s));
    }

    [Fact]
    public void ProcessSetup_matches_ivstaudioprocessor_h()
    {
        ProcessSetup s = default;
        Assert.Equal(24, sizeof(ProcessSetup));
        Assert.Equal(4, Off(&s.symbolicSampleSize, &s));
        Assert.Equal(8, Off(&s.maxSamplesPerBlock, &s));
        Assert.Equal(16, Off(&s.sampleRate, &s));
    }

    [Fact]
    public void AudioBusBuffers_matches_ivstaudioprocessor_h()
    {
        AudioBusBuffers s = default;
        Assert.Equal(24, sizeof(AudioBusBuffers));
        Assert.Equal(0, Off(&s.numChannels, &s));
        Assert.Equal(8, Off(&s.silenceFlags, &s));
        Assert.Equal(16, Off(&s.channelBuffers32, &s));
        Assert.Equal(16, Off(&s.channelBuffers64, &s));
    }

    [Fact]
    public void ProcessData_matches_ivstaudioprocessor_h()
    {
        ProcessData s = default;
        Assert.Equal(80, sizeof(ProcessData));
        Assert.Equal(8, Off(&s.numSamples, &s));
        Assert.Equal(12, Off(&s.numInputs, &s));
        Assert.Equal(16, Off(&s.numOutputs, &s));
        Assert.Equal(24, Off(&s.inputs, &s));
        Assert.Equal(32, Off(&s.outputs, &s));
        Assert.Equal(40, Off(&s.inputParameterChanges, &s));
        Assert.Equal(48, Off(&s.outputParameterChanges, &s));
        Assert.Equal(56, Off(&s.inputEvents, &s));
        Assert.Equal(64, Off(&s.outputEvents, &s));
        Assert.Equal(72, Off(&s.processContext, &s));
    }

    [Fact]
    public void Chord_and_FrameRate_match_ivstprocesscontext_h()
    {
        Chord c = default;
        Assert.Equal(4, sizeof(Chord));
        Assert.Equal(1, Off(&c.rootNote, &c));
        Assert.Equal(2, Off(&c.chordMask, &c));

        FrameRate f = default;
        Assert.Equal(8, sizeof(FrameRate));
        Assert.Equal(4, Off(&f.flags, &f));
    }

    [Fact]
    public void ProcessContext_matches_ivstprocesscontext_h()
    {
        ProcessContext s = default;
        Assert.Equal(112, sizeof(ProcessContext));
        Assert.Equal(0, Off(&s.state, &s));
        Assert.Equal(8, Off(&s.sampleRate, &s));
        Assert.Equal(16, Off(&s.projectTimeSamples, &s));
        Assert.Equal(24, Off(&s.systemTime, &s));
        Assert.Equal(32, Off(&s.continousTimeSamples, &s));
        Assert.Equal(40, Off(&s.projectTimeMusic, &s));
        Assert.Equal(48, Off(&s.barPositionMusic, &s));
        Assert.Equal(56, Off(&s.cycleStartMusic, &s));
        Assert.Equal(64, Off(&s.cycleEndMusic, &s));
        Assert.Equal(72, Off(&s.tempo, &s));
        Assert.Equal(80, Off(&s.timeSigNumerator, &s));
        Assert.Equal(84, Off(&s.timeSigDenominator, &s));
        Assert.Equal(88, Off(&s.chord, &s));
        Assert.Equal(92, Off(&s.smpteOffsetSubframes, &s));
        Assert.Equal(96, Off(&s.frameRate, &s));
        Assert.Equal(104, Off(&s.samplesToNextClock, &s));
    }

    [Fact]
    public void Event_matches_ivstevents_h()
    {
        Event s = default;
        Assert.Equal(48, sizeof(Event));
        Assert.Equal(0, Off(&s.busIndex, &s));
        Assert.Equal(4, Off(&s.sampleOffset, &s));
        Assert.Equal(8, Off(&s.ppqPosition, &s));
        Assert.Equal(16, Off(&s.flags, &s));
        Assert.Equal(18, Off(&s.type, &s));

        // Every member of the anonymous union starts at 24 (aligned for its pointer members) ...
        Assert.Equal(24, Off(&s.noteOn, &s));
        Assert.Equal(24, Off(&s.noteOff, &s));
        Assert.Equal(24, Off(&s.data, &s));
        Assert.Equal(24, Off(&s.polyPressure, &s));
        Assert.Equal(24, Off(&s.noteExpressionValue, &s));
        Assert.Equal(24, Off(&s.noteExpressionText, &s));
        Assert.Equal(24, Off(&s.chord, &s));
        Assert.Equal(24, Off(&s.scale, &s));
        Assert.Equal(24, Off(&s.midiCCOut, &s));

        // ... and the largest (NoteExpressionTextEvent, 24 bytes) ends exactly at the struct's end.
        Assert.Equal(48, 24 + sizeof(NoteExpressionTextEvent));
    }

    [Fact]
    public void NoteOnEvent_matches_ivstevents_h()
    {
        NoteOnEvent s = default;
        Assert.Equal(20, sizeof(NoteOnEvent));
        Assert.Equal(2, Off(&s.pitch, &s));
        Assert.Equal(4, Off(&s.tuning, &s));
        Assert.Equal(8, Off(&s.velocity, &s));
        Assert.Equal(12, Off(&s.length, &s));
        Assert.Equal(16, Off(&s.noteId, &s));
    }

    [Fact]
    public void NoteOffEvent_matches_ivstevents_h()
    {
        // int16 channel, int16 pitch, float velocity, int32 noteId, float tuning: 16 bytes, no padding.
        NoteOffEvent s = default;
        Assert.Equal(16, sizeof(NoteOffEvent));
        Assert.Equal(2, Off(&s.pitch, &s));
        Assert.Equal(4, Off(&s.velocity, &s));
        Assert.Equal(8, Off(&s.noteId, &s));
        Assert.Equal(12, Off(&s.tuning, &s));
    }

    [Fact]
    public void PolyPressure_Data_and_LegacyMidiCC_match_ivstevents_h()
    {
        PolyPressureEvent p = default;
        Assert.Equal(12, sizeof(PolyPressureEvent));
        Assert.Equal(4, Off(&p.pressure, &p));
        Assert.Equal(8, Off(&p.noteId, &p));

        DataEvent d = default;
        Assert.Equal(16, sizeof(DataEvent));
        Assert.Equal(4, Off(&d.type, &d));
        Assert.Equal(8, Off(&d.bytes, &d));

        LegacyMIDICCOutEvent m = default;
        Assert.Equal(4, sizeof(LegacyMIDICCOutEvent));
        Assert.Equal(1, Off(&m.channel, &m));
        Assert.Equal(2, Off(&m.value, &m));
        Assert.Equal(3, Off(&m.value2, &m));
    }

    [Fact]
    public void Chord_Scale_and_NoteExpression_events_match_headers()
    {
        ChordEvent c = default;
        Assert.Equal(16, sizeof(ChordEvent));
        Assert.Equal(6, Off(&c.textLen, &c));
        Assert.Equal(8, Off(&c.text, &c));

        ScaleEvent s = default;
        Assert.Equal(16, sizeof(ScaleEvent));
        Assert.Equal(4, Off(&s.textLen, &s));
        Assert.Equal(8, Off(&s.text, &s));

        NoteExpressionValueEvent v = default;
        Assert.Equal(16, sizeof(NoteExpressionValueEvent));
        Assert.Equal(8, Off(&v.value, &v));

        NoteExpressionTextEvent t = default;
        Assert.Equal(24, sizeof(NoteExpressionTextEvent));
        Assert.Equal(8, Off(&t.textLen, &t));
        Assert.Equal(16, Off(&t.text, &t));
    }

    [Fact]
    public void ParameterInfo_matches_ivsteditcontroller_h()
    {
        ParameterInfo s = default;
        Assert.Equal(792, sizeof(ParameterInfo));
        Assert.Equal(4, Off(s.title, &s));
        Assert.Equal(260, Off(s.shortTitle, &s));
        Assert.Equal(516, Off(s.units, &s));
        Assert.Equal(772, Off(&s.stepCount, &s));
        Assert.Equal(776, Off(&s.defaultNormalizedValue, &s));
        Assert.Equal(784, Off(&s.unitId, &s));
        Assert.Equal(788, Off(&s.flags, &s));
    }

    [Fact]
    public void Unsafe_SizeOf_agrees_with_sizeof()
    {
        // Unsafe.SizeOf is what generic code (spans, MemoryMarshal) uses; it must agree with the C sizes.
        Assert.Equal(452, Unsafe.SizeOf<PFactoryInfo>());
        Assert.Equal(696, Unsafe.SizeOf<PClassInfoW>());
        Assert.Equal(80, Unsafe.SizeOf<ProcessData>());
        Assert.Equal(112, Unsafe.SizeOf<ProcessContext>());
        Assert.Equal(48, Unsafe.SizeOf<Event>());
        Assert.Equal(792, Unsafe.SizeOf<ParameterInfo>());
    }
}
