using CoPilot.Cli;
using Spectre.Console;

namespace CoPilot.Cli.Tests;

public sealed class NextChordTests
{
    // A tiny corpus in the three layouts of ../shared/data: train items (split by number/index) and one
    // valid and one test item per set.
    private static string SyntheticData()
    {
        string root = Path.Combine(Path.GetTempPath(), $"copilot-nextchord-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string[] pop = ["C:maj", "A:min", "F:maj", "G:7", "C:maj", "D:min7", "G:7", "C:maj"];
        foreach (int number in new[] { 2, 3, 4, 10, 11 })
        {
            string song = Path.Combine(root, "pop909", "POP909", number.ToString("000", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(song);
            File.WriteAllText(Path.Combine(song, "key_audio.txt"), "0.0\t100.0\tC:maj\n");
            File.WriteAllLines(Path.Combine(song, "chord_midi.txt"), pop.Select((c, i) => $"{i}.0\t{i + 1}.0\t{c}"));
        }

        foreach (int number in new[] { 2, 3, 10, 11 })
        {
            string song = Path.Combine(root, "mcgill_billboard", "billboard-2.0-salami_chords", number.ToString("0000", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(song);
            File.WriteAllText(Path.Combine(song, "salami_chords.txt"),
                $"# title: Song {number}\n# artist: Band\n# metre: 4/4\n# tonic: G\n\n0.0\tsilence\n1.0\tA, verse, | G:maj | E:min | C:maj . D:maj . |, x2\n9.0\t| G:maj | C:maj | D:7 | G:maj |\n13.0\tend\n");
        }

        string jazz = Path.Combine(root, "jazz_chord_progressions", "SongDB", "Songs[A]");
        Directory.CreateDirectory(jazz);
        for (int i = 0; i < 12; i++)
        {
            File.WriteAllText(Path.Combine(jazz, $"Tune{i:00}.txt"), "Title = T\nComposedBy = X\nDBKeySig = F\nTimeSig = 4 4\nBars = 4\n Gm7 C7 | FM7 | Gm7b5 C7b9 | Fm6 NC |\n");
        }

        return root;
    }

    private static (int Code, string Console) Run(params string[] args)
    {
        var console = new StringWriter();
        IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(console),
        });
        int code = CopilotApp.Run(args, ansi, new StringWriter(), new StringWriter());
        return (code, console.ToString());
    }

    [Fact]
    public void Training_twice_writes_identical_bytes_that_load()
    {
        string data = SyntheticData();
        string first = Path.Combine(data, "out1");
        string second = Path.Combine(data, "out2");
        Assert.Equal(ExitCodes.Ok, Run("train", "chords", "--data", data, "--out", first).Code);
        Assert.Equal(ExitCodes.Ok, Run("train", "chords", "--data", data, "--out", second).Code);
        foreach (string name in new[] { "pop", "rock", "jazz" })
        {
            byte[] a = File.ReadAllBytes(Path.Combine(first, name + ".tsv"));
            Assert.Equal(a, File.ReadAllBytes(Path.Combine(second, name + ".tsv")));
            using var reader = new StreamReader(Path.Combine(first, name + ".tsv"));
            var loaded = Music.ChordTransitions.Load(reader);
            Assert.Equal(name, loaded.Style);
            Assert.True(loaded.ChordCount > 0);
        }

        // Train only: POP909 songs 010 (test) and 011 (valid) are not counted; 3 train songs of 8 chords each.
        string pop = File.ReadAllText(Path.Combine(first, "pop.tsv"));
        Assert.Contains("# sequences\t3\n", pop, StringComparison.Ordinal);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public void Next_chord_evaluation_on_synthetic_data_writes_its_section()
    {
        string data = SyntheticData();
        string report = Path.Combine(data, "report.md");
        var (code, console) = Run("eval", "next-chord", "--data", data, "--out", report, "--split", "test");
        Assert.Equal(ExitCodes.Ok, code);
        string text = File.ReadAllText(report);
        Assert.Contains("<!-- section: next-chord-test -->", text, StringComparison.Ordinal);
        Assert.Contains("Interpolated trigram", text, StringComparison.Ordinal);
        Assert.Contains("ChordSuggester", console, StringComparison.Ordinal);
        // Every held-out song repeats the train progression: both methods predict most of it.
        Assert.Contains("| POP909 (pop) | 1 | 7 |", text, StringComparison.Ordinal);
        Directory.Delete(data, recursive: true);
    }
}
