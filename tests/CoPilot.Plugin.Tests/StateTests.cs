using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>Versioned state: round trips, and every malformed blob is refused with the old state kept.</summary>
public sealed class StateTests
{
    private static byte[] StateWith(Action<byte[]> edit)
    {
        byte[] blob = new byte[14];
        new ComponentState(false, RouterMode.Echo, 7, true, 5, 55).Write(blob);
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
        { "newer version", StateWith(b => b[4] = 3) },
        { "creativity over 100", StateWith(b => b[13] = 101) },
        { "version 1 with version 2 length", StateWith(b => b[4] = 1) },
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
        Assert.Equal(14, p.SaveState().Length); // saved back as the current version
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
