using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>
/// presets/*.vstpreset are exactly what <see cref="FactoryPresets"/> writes, and each loads into the plugin.
/// Regenerate them with: COPILOT_WRITE_PRESETS=1 dotnet test tests/CoPilot.Plugin.Tests --filter FactoryPreset
/// </summary>
public sealed class FactoryPresetTests
{
    private static string PresetFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoPilot.sln")))
            {
                return Path.Combine(dir.FullName, "presets");
            }
        }

        throw new DirectoryNotFoundException("CoPilot.sln not found above the test directory");
    }

    public static TheoryData<string> PresetNames()
    {
        var data = new TheoryData<string>();
        foreach (FactoryPreset p in FactoryPresets.All)
        {
            data.Add(p.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void Committed_preset_file_is_what_the_writer_produces_and_loads_into_the_plugin(string name)
    {
        FactoryPreset preset = FactoryPresets.All.Single(p => p.Name == name);
        byte[] expected = FactoryPresets.Write(preset);
        string path = Path.Combine(PresetFolder(), FactoryPresets.FileName(preset));
        if (Environment.GetEnvironmentVariable("COPILOT_WRITE_PRESETS") == "1")
        {
            File.WriteAllBytes(path, expected);
        }

        Assert.True(File.Exists(path), $"missing {path}: regenerate with COPILOT_WRITE_PRESETS=1");
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(expected, file);

        Assert.True(FactoryPresets.TryReadComponentState(file, out ReadOnlySpan<byte> state));
        Assert.Equal("VST3"u8.ToArray(), file[..4]);
        Assert.Equal(PluginInfo.ProcessorCid.ToString(), System.Text.Encoding.ASCII.GetString(file, 8, 32));

        using var p = new PluginUnderTest();
        Assert.Equal(Result.kResultOk, p.LoadState(state.ToArray()));
        Assert.Equal(state.ToArray(), p.SaveState());
        Assert.Equal(Result.kResultOk, p.SetComponentState(new HostStream(state.ToArray()).Ptr));
    }

    [Fact]
    public void A_corrupt_preset_file_is_refused()
    {
        byte[] file = FactoryPresets.Write(FactoryPresets.All[0]);
        Assert.False(FactoryPresets.TryReadComponentState(file.AsSpan(0, 40), out _));
        byte[] bad = (byte[])file.Clone();
        bad[40] = 0xFF; // list offset beyond the file
        Assert.False(FactoryPresets.TryReadComponentState(bad, out _));
    }
}
