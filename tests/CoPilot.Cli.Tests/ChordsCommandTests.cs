using System.Text.Json;
using CoPilot.Cli;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Tests;

public sealed class ChordsCommandTests
{
    internal static (int Code, string Console, string Output) Run(params string[] args)
    {
        var console = new StringWriter();
        var output = new StringWriter();
        IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(console),
        });
        ansi.Profile.Width = 200;
        int code = CopilotApp.Run(args, ansi, output, new StringWriter());
        return (code, console.ToString(), output.ToString());
    }

    private static string Pop909(string song)
    {
        string? data = DataLocation.Resolve(null, out string? error);
        Assert.True(data is not null, error);
        string path = Path.Combine(data!, "pop909", "POP909", song, song + ".mid");
        Assert.True(File.Exists(path), path);
        return path;
    }

    [Fact]
    public void Pop909_song_001_is_in_f_sharp_with_its_four_chord_loop()
    {
        // 001 is labelled Gb:maj; its verse loops IV - V - iii - vi (B C# A#m D#m).
        var (code, console, _) = Run("chords", Pop909("001"));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("001.mid: key F# major", console, StringComparison.Ordinal);
        string[] rows = console.Split('\n');
        string Row(string chord, string roman) => rows.FirstOrDefault(r => r.Contains($"│ {chord} ", StringComparison.Ordinal) && r.Contains($"│ {roman} ", StringComparison.Ordinal)) ?? "";
        Assert.NotEqual("", Row("B", "IV"));
        Assert.NotEqual("", Row("C#", "V"));
        Assert.NotEqual("", Row("A#m", "iii"));
        Assert.NotEqual("", Row("D#m", "vi"));
        Assert.Contains("│ 3:1 ", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_timeline_is_ordered_and_names_parse()
    {
        var (code, _, output) = Run("chords", Pop909("001"), "--json", "--tracks", "PIANO");
        Assert.Equal(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("F# major", doc.RootElement.GetProperty("key").GetString());
        var chords = doc.RootElement.GetProperty("chords").EnumerateArray().ToList();
        Assert.InRange(chords.Count, 50, 400);
        double previousEnd = 0;
        foreach (JsonElement c in chords)
        {
            Assert.Equal(previousEnd, c.GetProperty("startBeat").GetDouble(), 9);
            previousEnd = c.GetProperty("endBeat").GetDouble();
            string name = c.GetProperty("chord").GetString()!;
            Assert.True(name == "N" || Chord.TryParse(name, out _), name);
            Assert.True(Chord.TryParseHarte(c.GetProperty("harte").GetString(), out _) || name == "N", c.GetProperty("harte").GetString());
        }
    }

    [Fact]
    public void Truncated_file_is_a_failure_naming_file_and_problem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"copilot-chords-cut-{Environment.ProcessId}.mid");
        byte[] whole = File.ReadAllBytes(Pop909("001"));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        try
        {
            var (code, console, _) = Run("chords", path);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains($"error: {path}: Truncated: track", console.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void File_with_a_corrupt_event_is_a_failure()
    {
        // A valid header and a track whose first event is a data byte with no status before it.
        byte[] bytes = [.. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, .. "MTrk"u8, 0, 0, 0, 7, 0x00, 60, 100, 0x00, 0xFF, 0x2F, 0x00];
        string path = Path.Combine(Path.GetTempPath(), $"copilot-chords-bad-{Environment.ProcessId}.mid");
        File.WriteAllBytes(path, bytes);
        try
        {
            var (code, console, _) = Run("chords", path);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains("Corrupt: track 0, byte 23: data byte 0x3C with no running status", console.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void File_without_notes_in_the_asked_tracks_is_a_failure()
    {
        var (code, console, _) = Run("chords", Pop909("001"), "--tracks", "DRUMS");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("no notes in tracks DRUMS", console, StringComparison.Ordinal);
    }

    [Fact]
    public void File_with_only_a_tempo_track_has_no_notes()
    {
        byte[] bytes = [.. "MThd"u8, 0, 0, 0, 6, 0, 1, 0, 1, 0x01, 0xE0, .. "MTrk"u8, 0, 0, 0, 11, 0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x2F, 0x00];
        string path = Path.Combine(Path.GetTempPath(), $"copilot-chords-empty-{Environment.ProcessId}.mid");
        File.WriteAllBytes(path, bytes);
        try
        {
            var (code, console, _) = Run("chords", path);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains($"{path}: no notes.", console.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Repaired_notes_are_reported_and_the_chords_still_printed()
    {
        // C major for two bars: an orphan note-off, a re-struck E while it sounds, and a G left without note-off.
        byte[] body =
        [
            0x00, 0x80, 50, 0,
            0x00, 0x90, 48, 100, 0x00, 52, 100, 0x00, 55, 100,
            0x87, 0x40, 52, 100,
            0x87, 0x40, 0x80, 48, 0, 0x00, 52, 0,
            0x00, 0xFF, 0x2F, 0x00,
        ];
        byte[] bytes = [.. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, .. "MTrk"u8, 0, 0, 0, (byte)body.Length, .. body];
        string path = Path.Combine(Path.GetTempPath(), $"copilot-chords-repairs-{Environment.ProcessId}.mid");
        File.WriteAllBytes(path, bytes);
        try
        {
            var (code, console, _) = Run("chords", path);
            Assert.Equal(ExitCodes.Ok, code);
            string text = console.Replace("\n", "", StringComparison.Ordinal);
            Assert.Contains("1 note-offs without a note-on ignored", text, StringComparison.Ordinal);
            Assert.Contains("1 notes re-struck while sounding ended at the new onset", text, StringComparison.Ordinal);
            Assert.Contains("1 notes without a note-off ended with their track", text, StringComparison.Ordinal);
            Assert.Contains("│ C ", console, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Help_documents_the_exit_codes()
    {
        var (code, _, output) = Run("chords", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Exit code 0", output, StringComparison.Ordinal);
    }
}
