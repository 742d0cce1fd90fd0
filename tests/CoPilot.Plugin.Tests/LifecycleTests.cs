using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>Host calls in the wrong order and malformed arguments: right result codes, never a crash.</summary>
public sealed unsafe class LifecycleTests
{
    [Fact]
    public void Factory_lists_processor_as_midi_generator_and_a_controller()
    {
        PluginFactory factory = PluginInfo.CreateFactory();
        Assert.Equal(2, factory.CountClasses());
        PClassInfo2 info;
        Assert.Equal(Result.kResultOk, factory.GetClassInfo2(0, &info));
        Assert.Equal("Audio Module Class", Strings.FromUtf8(info.category, PClassInfo.kCategorySize));
        Assert.Equal("Fx|Generator", Strings.FromUtf8(info.subCategories, PClassInfo2.kSubCategoriesSize));
        Assert.Equal(Result.kResultOk, factory.GetClassInfo2(1, &info));
        Assert.Equal("Component Controller Class", Strings.FromUtf8(info.category, PClassInfo.kCategorySize));
        factory.Release();
    }

    [Fact]
    public void Buses_are_stereo_audio_and_one_midi_port_each_way()
    {
        using var p = new PluginUnderTest();
        Assert.Equal(1, p.GetBusCount(MediaTypes.kAudio, BusDirections.kInput));
        Assert.Equal(1, p.GetBusCount(MediaTypes.kAudio, BusDirections.kOutput));
        Assert.Equal(1, p.GetBusCount(MediaTypes.kEvent, BusDirections.kInput));
        Assert.Equal(1, p.GetBusCount(MediaTypes.kEvent, BusDirections.kOutput));
        Assert.Equal(0, p.GetBusCount(7, BusDirections.kInput));

        Assert.Equal(Result.kResultOk, p.GetBusInfo(MediaTypes.kEvent, BusDirections.kOutput, 0, out BusInfo midiOut));
        Assert.Equal(16, midiOut.channelCount);
        Assert.Equal("MIDI Out", Strings.FromUtf16(midiOut.name, 128));
        Assert.Equal(Result.kResultOk, p.GetBusInfo(MediaTypes.kAudio, BusDirections.kInput, 0, out BusInfo audioIn));
        Assert.Equal(2, audioIn.channelCount);
        Assert.Equal(BusInfo.kDefaultActive, audioIn.flags);

        Assert.Equal(Result.kInvalidArgument, p.GetBusInfo(MediaTypes.kAudio, BusDirections.kInput, 1, out _));
        Assert.Equal(Result.kInvalidArgument, p.GetBusInfo(MediaTypes.kEvent, 5, 0, out _));
        Assert.Equal(Result.kInvalidArgument, p.ActivateBus(MediaTypes.kEvent, BusDirections.kInput, 3, true));
    }

    [Fact]
    public void Only_stereo_to_stereo_and_32_bit_are_accepted()
    {
        using var p = new PluginUnderTest();
        Assert.Equal(Result.kResultOk, p.SetBusArrangements([SpeakerArr.kStereo], [SpeakerArr.kStereo]));
        Assert.Equal(Result.kResultFalse, p.SetBusArrangements([SpeakerArr.kStereo], [0x3F])); // 5.1 out
        Assert.Equal(Result.kResultFalse, p.SetBusArrangements([SpeakerArr.kStereo], [SpeakerArr.kMono]));
        Assert.Equal(Result.kResultFalse, p.SetBusArrangements([], []));
        Assert.Equal(Result.kResultFalse, p.CanProcessSampleSize(SymbolicSampleSizes.kSample64));
        Assert.Equal(Result.kResultOk, p.CanProcessSampleSize(SymbolicSampleSizes.kSample32));
        Assert.Equal(Result.kResultFalse, p.SetupProcessing(SymbolicSampleSizes.kSample64, 512, 48000));
        Assert.Equal(Result.kResultFalse, p.SetupProcessing(SymbolicSampleSizes.kSample32, 0, 48000));
        Assert.Equal(Result.kResultFalse, p.SetupProcessing(SymbolicSampleSizes.kSample32, 512, double.NaN));
        Assert.Equal(Result.kResultFalse, p.SetupProcessing(SymbolicSampleSizes.kSample32, 512, 0));
        Assert.Equal(Result.kResultOk, p.SetupProcessing(SymbolicSampleSizes.kSample32, 512, 44100));
    }

    [Fact]
    public void Process_before_setup_or_activation_is_refused_without_touching_anything()
    {
        using var p = new PluginUnderTest();
        p.InputEvents.NoteOn(0, 0, 60);
        Assert.Equal(Result.kNotInitialized, p.ProcessBlock(256));
        Assert.Equal(0, p.OutputEvents.Count);

        Assert.Equal(Result.kResultOk, p.SetupProcessing(SymbolicSampleSizes.kSample32, 512, 48000));
        Assert.Equal(Result.kNotInitialized, p.ProcessBlock(256)); // set up but not active

        Assert.Equal(Result.kResultOk, p.SetActive(true));
        Assert.Equal(Result.kResultOk, p.ProcessBlock(256));
    }

    [Fact]
    public void Uninitialized_component_refuses_activation_and_processing()
    {
        using var p = new PluginUnderTest(initialize: false);
        Assert.Equal(Result.kNotInitialized, p.SetActive(true));
        Assert.Equal(Result.kNotInitialized, p.ProcessBlock(0));
        Assert.Equal(Result.kNotInitialized, p.SetupProcessing(SymbolicSampleSizes.kSample32, 512, 48000));
        Assert.Equal(Result.kResultOk, p.Initialize());
        Assert.Equal(Result.kResultFalse, p.Initialize()); // twice
    }

    [Fact]
    public void Activation_twice_setup_while_active_and_terminate_without_deactivate_are_safe()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        Assert.Equal(Result.kResultOk, p.SetActive(true));
        Assert.Equal(Result.kResultFalse, p.SetupProcessing(SymbolicSampleSizes.kSample32, 1024, 48000));
        Assert.Equal(Result.kResultFalse, p.SetBusArrangements([SpeakerArr.kStereo], [SpeakerArr.kStereo]));

        p.InputEvents.NoteOn(0, 0, 60);
        Assert.Equal(Result.kResultOk, p.ProcessBlock(128));

        // terminate while active and processing, then initialize and run again: the same object is reusable.
        Assert.Equal(Result.kResultOk, p.Terminate());
        Assert.Equal(Result.kNotInitialized, p.ProcessBlock(128));
        Assert.Equal(Result.kResultOk, p.Initialize());
        p.StartProcessing();
        Assert.Equal(Result.kResultOk, p.ProcessBlock(128));
    }

    [Fact]
    public void Zero_sample_flush_with_null_buffers_and_null_data_are_handled()
    {
        using var p = new PluginUnderTest();

        // A parameter flush may come in any state, with no audio buffers at all.
        p.Data->inputs = null;
        p.Data->outputs = null;
        p.Data->numInputs = 0;
        p.Data->numOutputs = 0;
        p.InputChanges.Add(Parameters.Transpose, 0, 0.25);
        Assert.Equal(Result.kResultOk, p.ProcessBlock(0));
        Assert.Equal(-12, ((Processor)ComObject.FromThis<object>(p.Component)).State.Transpose);

        p.StartProcessing();
        p.ResetProcessData();
        p.Data->outputs->channelBuffers32 = null; // a host that gives no channel pointers
        Assert.Equal(Result.kResultOk, p.ProcessBlock(64));

        p.ResetProcessData();
        p.Data->inputEvents = null;
        p.Data->outputEvents = null;
        p.Data->inputParameterChanges = null;
        p.Data->outputParameterChanges = null;
        p.Data->processContext = null;
        Assert.Equal(Result.kResultOk, p.ProcessBlock(64));

        Assert.Equal(Result.kInvalidArgument, p.ProcessNull());
        p.ResetProcessData();
        Assert.Equal(Result.kInvalidArgument, p.ProcessBlock(-5));
        p.Data->symbolicSampleSize = SymbolicSampleSizes.kSample64;
        Assert.Equal(Result.kInvalidArgument, p.ProcessBlock(64));
    }

    [Fact]
    public void Audio_passes_through_untouched_and_missing_input_gives_silence()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing(maxBlock: 512);
        for (int i = 0; i < 512; i++)
        {
            p.Input(0)[i] = MathF.Sin(i * 0.01f);
            p.Input(1)[i] = -i / 512f;
        }

        Assert.Equal(Result.kResultOk, p.ProcessBlock(512));
        Assert.True(p.Input(0)[..512].SequenceEqual(p.Output(0)[..512]));
        Assert.True(p.Input(1)[..512].SequenceEqual(p.Output(1)[..512]));

        p.Data->numInputs = 0;
        p.Data->inputs = null;
        p.Output(0).Fill(1f);
        Assert.Equal(Result.kResultOk, p.ProcessBlock(512));
        Assert.All(p.Output(0)[..512].ToArray(), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Tail_is_infinite_so_hosts_keep_calling_process_in_silence()
    {
        using var p = new PluginUnderTest();
        Assert.Equal(uint.MaxValue, p.GetTailSamples());
    }

    [Fact]
    public void Interfaces_share_one_identity_and_release_to_zero_frees_the_object()
    {
        var processor = new Processor();
        nint component = processor.GetInterfacePointer(Iids.IComponent);
        nint audio = PluginUnderTest.QueryInterface(component, Iids.IAudioProcessor);
        Assert.NotEqual(component, audio);
        Assert.Equal(2, processor.RefCount);

        nint unknownFromAudio = PluginUnderTest.QueryInterface(audio, Iids.FUnknown);
        nint unknownFromComponent = PluginUnderTest.QueryInterface(component, Iids.FUnknown);
        Assert.Equal(unknownFromComponent, unknownFromAudio);
        Assert.Equal(0, PluginUnderTest.QueryInterface(component, Iids.IEditController));
        Assert.Equal(4, processor.RefCount);

        PluginUnderTest.Release(unknownFromAudio);
        PluginUnderTest.Release(unknownFromComponent);
        PluginUnderTest.Release(audio);
        Assert.False(processor.IsReleased);
        Assert.Equal(0u, PluginUnderTest.Release(component));
        Assert.True(processor.IsReleased);
    }
}
