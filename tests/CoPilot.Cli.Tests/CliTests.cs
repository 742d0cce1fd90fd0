using System.Globalization;
using CoPilot.Cli;
using CoPilot.Cli.Evaluation;
using Spectre.Console;

namespace CoPilot.Cli.Tests;

public sealed class CliTests
{
    private static (int Code, string Console, string Output, string Error) Run(params string[] args)
    {
        var console = new StringWriter();
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(console),
        });
        int code = CopilotApp.Run(args, ansi, output, error);
        return (code, console.ToString(), output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("key", "--help")]
    [InlineData("eval", "--help")]
    [InlineData("eval", "keys", "--help")]
    public void Help_works_everywhere(params string[] args)
    {
        var (code, _, output, _) = Run(args);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("eval", "keys", "--split", "train")]
    [InlineData("eval", "keys", "--limit", "0")]
    [InlineData("eval", "keys", "--split", "test", "--sweep")]
    [InlineData("key")]
    [InlineData("eval")]
    public void Bad_arguments_exit_with_2(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, Run(args).Code);
    }

    [Fact]
    public void Key_of_a_MIDI_file_built_here_is_its_key()
    {
        // Eight bars of E minor: i - iv - V - i, with the melody on the scale and the bass on the roots.
        string path = Path.Combine(Path.GetTempPath(), $"copilot-key-{Environment.ProcessId}.mid");
        int[][] chords = [[40, 55, 59, 64], [45, 57, 60, 64], [47, 54, 59, 63], [40, 55, 59, 64]];
        int[] melody = [64, 66, 67, 71, 72, 71, 69, 67, 66, 63, 66, 71, 67, 66, 64, 64];
        var notes = new List<(int Pitch, int Start, int Length)>();
        for (int bar = 0; bar < 8; bar++)
        {
            foreach (int pitch in chords[bar % 4])
            {
                notes.Add((pitch, bar * 4 * 480, 4 * 480));
            }

            for (int i = 0; i < 2; i++)
            {
                notes.Add((melody[((bar * 2) + i) % melody.Length] + 12, ((bar * 4) + (i * 2)) * 480, 2 * 480));
            }
        }

        File.WriteAllBytes(path, MidiFileBuilder.Type0(480, notes));
        try
        {
            var (code, console, _, _) = Run("key", path);
            Assert.Equal(ExitCodes.Ok, code);
            Assert.Contains("key E minor", console, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Key_of_a_missing_file_is_a_failure_not_a_crash()
    {
        var (code, console, _, _) = Run("key", Path.Combine(Path.GetTempPath(), "no-such-file.mid"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("no-such-file.mid", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_evaluation_on_a_few_real_valid_songs_scores_between_0_and_1()
    {
        string? data = DataLocation.Resolve(null, out string? error);
        Assert.True(data is not null, error);
        string report = Path.Combine(Path.GetTempPath(), $"copilot-music-{Environment.ProcessId}.md");
        try
        {
            var (code, console, _, _) = Run("eval", "keys", "--split", "valid", "--limit", "5", "--data", data!, "--out", report);
            Assert.Equal(ExitCodes.Ok, code);
            string markdown = File.ReadAllText(report);
            Assert.Contains("## Key finding: POP909 valid", markdown, StringComparison.Ordinal);
            Assert.Contains("Smoke run: only the first 5 songs", markdown, StringComparison.Ordinal);
            string row = markdown.Split('\n').First(l => l.StartsWith("| **Tuned", StringComparison.Ordinal));
            double score = double.Parse(row.Split('|')[2], CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 1);
            Assert.Contains("Live tracker", console, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public void Report_sections_are_replaced_in_place()
    {
        string path = Path.Combine(Path.GetTempPath(), $"copilot-report-{Environment.ProcessId}.md");
        try
        {
            MarkdownReport.WriteSection(path, "a", "first a");
            MarkdownReport.WriteSection(path, "b", "first b");
            MarkdownReport.WriteSection(path, "a", "second a");
            string text = File.ReadAllText(path);
            Assert.DoesNotContain("first a", text, StringComparison.Ordinal);
            Assert.True(text.IndexOf("second a", StringComparison.Ordinal) < text.IndexOf("first b", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_data_directory_is_a_clear_failure()
    {
        var (code, console, _, _) = Run("eval", "keys", "--data", "/no/such/data/dir");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("/no/such/data/dir", console, StringComparison.Ordinal);
    }
}
