using System.Globalization;
using CoPilot.Cli;
using CoPilot.Cli.Evaluation;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Tests;

public sealed class ChordEvaluationTests
{
    [Fact]
    public void A_synthetic_song_with_known_chords_scores_1()
    {
        // C, Am, F, G7 for four beats each at 120 bpm: a bass note, a close triad and a melody passing note.
        (int Bass, int[] Chord, string Label)[] bars =
        [
            (36, [60, 64, 67], "C:maj"),
            (45, [60, 64, 69], "A:min"),
            (41, [60, 65, 69], "F:maj"),
            (43, [59, 62, 65, 67], "G:7"),
        ];
        var notes = new List<TimedNote>();
        var voices = new List<string>();
        var reference = new List<ReferenceChord>();
        for (int bar = 0; bar < bars.Length; bar++)
        {
            double start = bar * 4;
            notes.Add(new TimedNote(start, 4, bars[bar].Bass));
            voices.Add("PIANO");
            foreach (int pitch in bars[bar].Chord)
            {
                notes.Add(new TimedNote(start, 4, pitch));
                voices.Add("PIANO");
            }

            notes.Add(new TimedNote(start + 1.5, 0.5, 74));
            voices.Add("MELODY");
            Assert.True(HarteLabel.TryParse(bars[bar].Label, out HarteLabel label));
            reference.Add(new ReferenceChord(start * 0.5, (start + 4) * 0.5, label));
        }

        GridBeat[] grid = [.. Enumerable.Range(0, 16).Select(b => new GridBeat(b, b * 0.5, b % 4 == 0, b % 2 == 0))];
        var song = new ChordEvaluationSong("synthetic", [.. notes], [.. voices], grid, reference, []);
        foreach (ChordMethod method in new[] { ChordMethod.Baseline, ChordMethod.Tuned })
        {
            var scores = new MirexChordEvaluator();
            method.Evaluate(song, scores);
            Assert.Equal(1.0, scores.Root, 9);
            Assert.Equal(1.0, scores.MajMin, 9);
            Assert.Equal(1.0, scores.Sevenths, 9);
            Assert.Equal(8.0, scores.RootDuration, 9);
        }
    }

    [Fact]
    public void Chord_evaluation_on_a_few_real_valid_songs_scores_between_0_and_1()
    {
        string? data = DataLocation.Resolve(null, out string? error);
        Assert.True(data is not null, error);
        string report = Path.Combine(Path.GetTempPath(), $"copilot-chords-{Environment.ProcessId}.md");
        try
        {
            var console = new StringWriter();
            IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(console),
            });
            int code = CopilotApp.Run(["eval", "chords", "--split", "valid", "--limit", "3", "--data", data!, "--out", report], ansi, new StringWriter(), new StringWriter());
            Assert.Equal(ExitCodes.Ok, code);
            string markdown = File.ReadAllText(report);
            Assert.Contains("## Chord recognition: POP909 valid", markdown, StringComparison.Ordinal);
            Assert.Contains("Smoke run: only the first 3 songs", markdown, StringComparison.Ordinal);
            foreach (string prefix in new[] { "| Plain templates", "| **Tuned" })
            {
                string[] cells = markdown.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split('|');
                for (int c = 2; c <= 4; c++)
                {
                    Assert.InRange(double.Parse(cells[c], CultureInfo.InvariantCulture), 0, 1);
                }
            }
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public void Chord_sweep_on_test_is_refused()
    {
        int code = CopilotApp.Run(["eval", "chords", "--split", "test", "--sweep"], AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) }), new StringWriter(), new StringWriter());
        Assert.Equal(ExitCodes.Usage, code);
    }
}
