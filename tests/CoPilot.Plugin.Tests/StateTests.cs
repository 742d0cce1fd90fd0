using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>Versioned state: round trips, and every malformed blob is refused with the old state kept.</summary>
public sealed class StateTests
{
    private static byte[] StateWith(Action<byte[]> edit)
    {
        byte[] blob = new byte[15];
        new ComponentState(false, RouterMode.Echo, 7, true, 5, 55, Style: 4).Write(blob);
        edit(blob);
        return blob;
    }

    [Fact]
    public void Component_state_round_trips_through_the_host_stream()
    {
        using var p = new PluginUnderTest();
        byte[] defaults = p.SaveState();
        Assert.Equal("CoPl"u8.ToArray(), defaults[..4]);

        byte[] custom = StateWith(_ => { });
        Assert.Equal(Result.kResultOk, p.LoadState(custom));
        Assert.Equal(custom, p.SaveState());

        // Loading while processing: the audio thread takes it at the next block and keeps it.
        p.StartProcessing();
        Assert.Equal(Result.kResultOk, p.LoadState(defaults));
        Assert.Equal(Result.kResultOk, p.ProcessBlock(64));
        Assert.Equal(defaults, p.SaveState());
    }

    public static TheoryData<string, byte[]> BadBlobs() => new()
    {
        { "empty", [] },
        { "truncated header", "CoPl\u0001"u8.ToArray() },
        { "truncated payload", StateWith(_ => { })[..10] },
        { "foreign magic", StateWith(b => b[0] = (byte)'X') },
        { "newer version", StateWith(b => b[4] = 4) },
        { "creativity over 100", StateWith(b => b[13] = 101) },
        { "unknown style", StateWith(b => b[14] = 5) },
        { "version 1 with version 3 length", StateWith(b => b[4] = 1) },
        { "version 2 with version 3 length", StateWith(b => b[4] = 2) },
        { "version zero", StateWith(b => b[4] = 0) },
        { "wrong payload length", StateWith(b => b[6] = 4) },
        { "bypass not boolean", StateWith(b => b[8] = 2) },
        { "unknown mode", StateWith(b => b[9] = 9) },
        { "transpose out of range", StateWith(b => b[10] = 100) },
        { "thru not boolean", StateWith(b => b[11] = 7) },
        { "output channel 0", StateWith(b => b[12] = 0) },
        { "output channel 17", StateWith(b => b[12] = 17) },
        { "random bytes", [0x13, 0x37, 0xFF, 0x00, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42] },
    };

    [Theory]
    [MemberData(nameof(BadBlobs))]
    public void Malformed_component_state_is_refused_and_the_previous_state_kept(string what, byte[] blob)
    {
        using var p = new PluginUnderTest();
        Assert.Equal(Result.kResultOk, p.LoadState(StateWith(_ => { })));
        byte[] before = p.SaveState();

        Assert.True(Result.kResultFalse == p.LoadState(blob), what);
        Assert.Equal(before, p.SaveState());
        Assert.True(Result.kResultFalse == p.SetComponentState(new HostStream(blob).Ptr), what);
    }

    [Fact]
    public void Version_1_state_loads_with_default_creativity()
    {
        using var p = new PluginUnderTest();
        byte[] v1 = [.. "CoPl"u8, 1, 0, 5, 0, 0, 1, 0xFB, 1, 3]; // Echo, -5 st, thru, channel 3
        Assert.Equal(Result.kResultOk, p.LoadState(v1));
        var state = ((Processor)CoPilot.Vst3.ComObject.FromThis<object>(p.Component)).State;
        Assert.Equal(new ComponentState(false, RouterMode.Echo, -5, true, 3, 30), state);
        Assert.Equal(15, p.SaveState().Length); // saved back as the current version
    }

    [Fact]
    public void Version_2_state_loads_with_the_pop_style_and_the_style_round_trips()
    {
        using var p = new PluginUnderTest();
        byte[] v2 = [.. "CoPl"u8, 2, 0, 6, 0, 0, 2, 0, 0, 1, 55]; // Continue, channel 1, creativity 55
        Assert.Equal(Result.kResultOk, p.LoadState(v2));
        var processor = (Processor)CoPilot.Vst3.ComObject.FromThis<object>(p.Component);
        Assert.Equal(new ComponentState(false, RouterMode.Continue, 0, false, 1, 55, Style: 0), processor.State);

        Assert.Equal(Result.kResultOk, p.LoadState(StateWith(_ => { })));
        Assert.Equal(4, processor.State.Style);
        Assert.Equal("Jazz", p.ParamString(Parameters.Style, processor.State.Normalized(Parameters.Style)));

        // The audio thread hands it to the engine, which sends it with every phrase to the inference thread.
        p.StartProcessing();
        Assert.Equal(Result.kResultOk, p.ProcessBlock(64));
        Assert.Equal(4, processor.Engine.Style);
    }

    [Fact]
    public void Null_streams_are_invalid_arguments()
    {
        using var p = new PluginUnderTest();
        Assert.Equal(Result.kInvalidArgument, p.SetState(0));
        Assert.Equal(Result.kInvalidArgument, p.GetState(0));
        Assert.Equal(Result.kInvalidArgument, p.SetComponentState(0));
        Assert.Equal(Result.kInvalidArgument, p.ControllerGetState(0));
    }

    [Fact]
    public void A_stream_that_refuses_writes_reports_failure()
    {
        using var p = new PluginUnderTest();
        var full = new HostStream { WriteLimit = 5 };
        Assert.Equal(Result.kResultFalse, p.GetState(full.Ptr));
    }

    [Fact]
    public void Controller_follows_component_state_and_round_trips_its_own()
    {
        using var p = new PluginUnderTest();
        Assert.Equal(Result.kResultOk, p.SetComponentState(new HostStream(StateWith(_ => { })).Ptr));
        Assert.Equal("+7", p.ParamString(Parameters.Transpose, p.GetParamNormalized(Parameters.Transpose)));
        Assert.Equal("5", p.ParamString(Parameters.OutputChannel, p.GetParamNormalized(Parameters.OutputChannel)));

        var saved = new HostStream();
        Assert.Equal(Result.kResultOk, p.ControllerGetState(saved.Ptr));
        Assert.Equal(Result.kResultOk, p.ControllerSetState(new HostStream(saved.ToArray()).Ptr));
        Assert.Equal(Result.kResultFalse, p.ControllerSetState(new HostStream([]).Ptr));
        Assert.Equal(Result.kResultFalse, p.ControllerSetState(new HostStream("CoPc\u0009\u0000\u0000\u0000"u8.ToArray()).Ptr));
        Assert.Equal(Result.kResultFalse, p.ControllerSetState(new HostStream(StateWith(_ => { })).Ptr));
    }
}
