using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>Enum values and result codes as the SDK 3.7.14 headers define them (Linux: COM_COMPATIBLE 0).</summary>
public class HeaderConstantsTests
{
    [Fact]
    public void Result_codes_are_the_non_com_tresult_values_of_funknown_h()
    {
        Assert.False(OperatingSystem.IsWindows(), "These expectations are for COM_COMPATIBLE == 0 platforms.");
        Assert.Equal(-1, Result.kNoInterface);
        Assert.Equal(0, Result.kResultOk);
        Assert.Equal(0, Result.kResultTrue);
        Assert.Equal(1, Result.kResultFalse);
        Assert.Equal(2, Result.kInvalidArgument);
        Assert.Equal(3, Result.kNotImplemented);
        Assert.Equal(4, Result.kInternalError);
        Assert.Equal(5, Result.kNotInitialized);
        Assert.Equal(6, Result.kOutOfMemory);
        Assert.Equal(Result.kResultOk, Result.FromBool(true));
        Assert.Equal(Result.kResultFalse, Result.FromBool(false));
    }

    [Fact]
    public void Factory_and_class_constants_match_ipluginbase_h()
    {
        Assert.Equal(1, PFactoryInfo.kClassesDiscardable);
        Assert.Equal(8, PFactoryInfo.kComponentNonDiscardable);
        Assert.Equal(16, PFactoryInfo.kUnicode);
        Assert.Equal(0x7FFFFFFF, PClassInfo.kManyInstances);
    }

    [Fact]
    public void Event_constants_match_ivstevents_h()
    {
        Assert.Equal(0, Event.kNoteOnEvent);
        Assert.Equal(1, Event.kNoteOffEvent);
        Assert.Equal(2, Event.kDataEvent);
        Assert.Equal(3, Event.kPolyPressureEvent);
        Assert.Equal(4, Event.kNoteExpressionValueEvent);
        Assert.Equal(5, Event.kNoteExpressionTextEvent);
        Assert.Equal(6, Event.kChordEvent);
        Assert.Equal(7, Event.kScaleEvent);
        Assert.Equal(65535, Event.kLegacyMIDICCOutEvent);
        Assert.Equal(1, Event.kIsLive);
    }

    [Fact]
    public void ProcessContext_flags_match_ivstprocesscontext_h()
    {
        Assert.Equal(1u << 1, ProcessContext.kPlaying);
        Assert.Equal(1u << 2, ProcessContext.kCycleActive);
        Assert.Equal(1u << 3, ProcessContext.kRecording);
        Assert.Equal(1u << 8, ProcessContext.kSystemTimeValid);
        Assert.Equal(1u << 9, ProcessContext.kProjectTimeMusicValid);
        Assert.Equal(1u << 10, ProcessContext.kTempoValid);
        Assert.Equal(1u << 11, ProcessContext.kBarPositionValid);
        Assert.Equal(1u << 12, ProcessContext.kCycleValid);
        Assert.Equal(1u << 13, ProcessContext.kTimeSigValid);
        Assert.Equal(1u << 14, ProcessContext.kSmpteValid);
        Assert.Equal(1u << 15, ProcessContext.kClockValid);
        Assert.Equal(1u << 17, ProcessContext.kContTimeValid);
        Assert.Equal(1u << 18, ProcessContext.kChordValid);
    }

    [Fact]
    public void Parameter_restart_and_speaker_constants_match_headers()
    {
        Assert.Equal(1, ParameterInfo.kCanAutomate);
        Assert.Equal(8, ParameterInfo.kIsList);
        Assert.Equal(1 << 15, ParameterInfo.kIsProgramChange);
        Assert.Equal(1 << 16, ParameterInfo.kIsBypass);
        Assert.Equal(1, RestartFlags.kReloadComponent);
        Assert.Equal(4, RestartFlags.kParamValuesChanged);
        Assert.Equal(16, RestartFlags.kParamTitlesChanged);
        Assert.Equal(1UL << 19, SpeakerArr.kMono);
        Assert.Equal(3UL, SpeakerArr.kStereo);
        Assert.Equal(1u << 6, ProcessContextRequirementFlags.kNeedTempo);
        Assert.Equal(1u << 10, ProcessContextRequirementFlags.kNeedTransportState);
        Assert.Equal(123, ControllerNumbers.kCtrlAllNotesOff);
        Assert.Equal(129, ControllerNumbers.kPitchBend);
        Assert.Equal(130, ControllerNumbers.kCountCtrlNumber);
    }
}
