using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

public sealed class ParameterTests
{
    [Fact]
    public void Visible_parameters_have_names_ranges_and_flags_hosts_expect()
    {
        using var p = new PluginUnderTest();
        Assert.Equal(Parameters.Count, p.GetParameterCount());

        Assert.Equal(Result.kResultOk, p.GetParameterInfo(0, out ParameterInfo bypass));
        Assert.Equal(Parameters.Bypass, bypass.id);
        Assert.Equal(1, bypass.stepCount);
        Assert.NotEqual(0, bypass.flags & ParameterInfo.kIsBypass);

        Assert.Equal(Result.kResultOk, p.GetParameterInfo((int)Parameters.Status, out ParameterInfo status));
        Assert.NotEqual(0, status.flags & ParameterInfo.kIsReadOnly);
        Assert.Equal(0, status.flags & ParameterInfo.kCanAutomate);

        Assert.Equal(Result.kResultOk, p.GetParameterInfo((int)Parameters.Transpose, out ParameterInfo transpose));
        Assert.Equal(48, transpose.stepCount);
        Assert.Equal(0.75, transpose.defaultNormalizedValue);
        unsafe
        {
            Assert.Equal("st", Strings.FromUtf16(transpose.units, 128));
        }

        Assert.Equal(Result.kInvalidArgument, p.GetParameterInfo(-1, out _));
        Assert.Equal(Result.kInvalidArgument, p.GetParameterInfo(Parameters.Count, out _));

        var ids = new HashSet<uint>();
        for (int i = 0; i < Parameters.Count; i++)
        {
            Assert.Equal(Result.kResultOk, p.GetParameterInfo(i, out ParameterInfo info));
            Assert.True(ids.Add(info.id), $"duplicate id {info.id}");
            Assert.InRange(info.id, 0u, 0x7FFFFFFFu);
        }
    }

    [Theory]
    [InlineData(Parameters.Transpose, 0.75, "+12")]
    [InlineData(Parameters.Transpose, 0.0, "-24")]
    [InlineData(Parameters.Transpose, 0.5, "0")]
    [InlineData(Parameters.Mode, 1 / 4.0, "Echo")]
    [InlineData(Parameters.Mode, 2 / 4.0, "Continue")]
    [InlineData(Parameters.Mode, 3 / 4.0, "Harmonize")]
    [InlineData(Parameters.Mode, 1.0, "Accompany")]
    [InlineData(Parameters.Creativity, 0.3, "30")]
    [InlineData(Parameters.Mode, 0.0, "Off")]
    [InlineData(Parameters.Bypass, 1.0, "On")]
    [InlineData(Parameters.OutputChannel, 0.0, "1")]
    [InlineData(Parameters.Status, 3 / 6.0, "Echoing")]
    [InlineData(Parameters.Status, 4 / 6.0, "Answering")]
    [InlineData(Parameters.Status, 5 / 6.0, "Harmonizing")]
    [InlineData(Parameters.Status, 1.0, "Accompanying")]
    public void Values_display_as_musicians_read_them(uint id, double value, string text)
    {
        using var p = new PluginUnderTest();
        Assert.Equal(text, p.ParamString(id, value));
        Assert.Equal(Result.kResultOk, p.GetParamValueByString(id, text, out double parsed));
        Assert.Equal(value, parsed, 9);
    }

    [Fact]
    public void Unknown_ids_and_bad_text_are_refused()
    {
        using var p = new PluginUnderTest();
        Assert.Null(p.ParamString(999, 0.5));
        Assert.Equal(Result.kInvalidArgument, p.GetParamValueByString(Parameters.Transpose, "+40", out _));
        Assert.Equal(Result.kInvalidArgument, p.GetParamValueByString(Parameters.Mode, "Loud", out _));
        Assert.Equal(Result.kInvalidArgument, p.GetParamValueByString(999, "1", out _));
        Assert.Equal(Result.kResultFalse, p.GetMidiControllerAssignment(0, 7, out _)); // volume is not mapped
        Assert.Equal(Result.kResultFalse, p.GetMidiControllerAssignment(16, 64, out _));
    }

    [Fact]
    public void Status_reports_echoing_through_output_parameter_changes()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(CoPilot.Core.RouterMode.Echo);
        p.InputEvents.NoteOn(0, 0, 60);
        p.ProcessBlock(128);
        HostParamQueue? q = p.OutputChanges.Find(Parameters.Status);
        Assert.NotNull(q);
        Assert.Equal("Echoing", p.ParamString(Parameters.Status, q[0].Value));

        p.InputChanges.Add(Parameters.Bypass, 0, 1);
        p.ProcessBlock(128);
        Assert.Equal("Bypassed", p.ParamString(Parameters.Status, p.OutputChanges.Find(Parameters.Status)![0].Value));
    }
}
