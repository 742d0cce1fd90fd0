using System.Globalization;
using System.Text.Json;
using CoPilot.Cli;
using Xunit.Abstractions;

namespace CoPilot.Cli.Tests;

public sealed class StatsCommandTests(ITestOutputHelper log)
{
    private static string Data()
    {
        string? data = DataLocation.Resolve(null, out string? error);
        Assert.True(data is not null, error);
        return data!;
    }

    private static JsonElement Set(JsonDocument doc, string name) =>
        doc.RootElement.GetProperty("sets").EnumerateArray().Single(s => s.GetProperty("set").GetString() == name);

    private static int Songs(JsonElement set, string split) =>
        set.GetProperty("splits").EnumerateArray().Single(s => s.GetProperty("split").GetString() == split).GetProperty("songs").GetInt32();

    [Fact]
    public void Every_set_loads_whole_and_the_load_speed_is_reported()
    {
        var (code, console, output) = ChordsCommandTests.Run("stats", "--json", "--data", Data());
        Assert.True(code == ExitCodes.Ok, console + output);
        using var doc = JsonDocument.Parse(output);
        (string Set, int Train, int Valid, int Test)[] expected =
        [
            ("pop909", 728, 91, 90),
            ("nottingham", 826, 104, 104),
            ("jsb", 229, 76, 0),
            ("jazz", 2090, 262, 262),
        ];
        foreach ((string name, int train, int valid, int test) in expected)
        {
            JsonElement set = Set(doc, name);
            Assert.Equal((train, valid, test), (Songs(set, "train"), Songs(set, "valid"), Songs(set, "test")));
            Assert.Empty(set.GetProperty("failures").EnumerateArray());
        }

        JsonElement billboard = Set(doc, "billboard");
        Assert.Equal(890, billboard.GetProperty("loaded").GetInt32());
        // The data README's trap: 21 of 92 valid and 28 of 96 test songs repeat a train song.
        Assert.Equal((92, 96), (Songs(billboard, "valid"), Songs(billboard, "test")));
        int Duplicates(string split) => billboard.GetProperty("splits").EnumerateArray().Single(s => s.GetProperty("split").GetString() == split).GetProperty("duplicatesOfTrain").GetInt32();
        Assert.Equal((0, 21, 28), (Duplicates("train"), Duplicates("valid"), Duplicates("test")));
        int files = 0;
        long bytes = 0;
        double seconds = 0;
        foreach (JsonElement set in doc.RootElement.GetProperty("sets").EnumerateArray())
        {
            files += set.GetProperty("files").GetInt32();
            bytes += set.GetProperty("bytes").GetInt64();
            seconds += set.GetProperty("loadSeconds").GetDouble();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{set.GetProperty("set").GetString()}: {set.GetProperty("loaded").GetInt32()} items, {set.GetProperty("files").GetInt32()} files, {set.GetProperty("bytes").GetInt64() / 1e6:F1} MB in {set.GetProperty("loadSeconds").GetDouble():F2} s"));
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all sets: {files} files, {bytes / 1e6:F1} MB in {seconds:F2} s = {files / seconds:F0} files/s, {bytes / 1e6 / seconds:F1} MB/s"));
        Assert.InRange(files, 8000, 9000);
    }

    [Fact]
    public void Nottingham_table_has_a_row_per_split_with_keys_and_load_line()
    {
        var (code, console, _) = ChordsCommandTests.Run("stats", "--set", "nottingham", "--data", Data());
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("nottingham   train   826", console, StringComparison.Ordinal);
        Assert.Contains("nottingham   valid   104", console, StringComparison.Ordinal);
        Assert.Contains("G:maj", console, StringComparison.Ordinal);
        Assert.Contains("6/8", console, StringComparison.Ordinal);
        Assert.Contains("Files/s", console, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_file_is_listed_with_its_reason_the_rest_loads_and_the_exit_code_is_1()
    {
        string data = Path.Combine(Path.GetTempPath(), $"copilot-stats-{Environment.ProcessId}");
        string midi = Path.Combine(data, "nottingham", "MIDI");
        Directory.CreateDirectory(midi);
        try
        {
            File.Copy(Path.Combine(Data(), "nottingham", "MIDI", "ashover1.mid"), Path.Combine(midi, "a1.mid"));
            File.Copy(Path.Combine(Data(), "nottingham", "MIDI", "ashover3.mid"), Path.Combine(midi, "a2.mid"));
            byte[] whole = File.ReadAllBytes(Path.Combine(Data(), "nottingham", "MIDI", "ashover2.mid"));
            File.WriteAllBytes(Path.Combine(midi, "a3.mid"), whole[..100]);
            var (code, console, _) = ChordsCommandTests.Run("stats", "--set", "nottingham", "--split", "train", "--data", data);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains("nottingham: 1 failed to load", console, StringComparison.Ordinal);
            Assert.Contains($"{Path.Combine(midi, "a3.mid")}: Truncated: track 0 declares", console.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
            // a1 is test (index 0), a2 valid (index 1): train is empty, but the failure still counts.
            Assert.Contains("nottingham   train   0", console, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }

    [Fact]
    public void Missing_data_directory_is_a_failure()
    {
        var (code, console, _) = ChordsCommandTests.Run("stats", "--data", Path.Combine(Path.GetTempPath(), "no-such-data-dir"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("does not exist", console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stats", "--set", "maestro")]
    [InlineData("stats", "--split", "dev")]
    [InlineData("stats", "--top", "0")]
    public void Bad_options_exit_with_2(params string[] args) => Assert.Equal(ExitCodes.Usage, ChordsCommandTests.Run(args).Code);

    [Fact]
    public void Help_documents_the_exit_codes()
    {
        var (code, _, output) = ChordsCommandTests.Run("stats", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("1 when any file failed", output.Replace("\n", " ", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
