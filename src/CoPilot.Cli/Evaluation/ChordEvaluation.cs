using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoPilot.Data;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>Scores of one chord method over a split.</summary>
public sealed record ChordMethodScore(ChordMethod Method, MirexChordEvaluator Scores);

/// <summary>
/// Chord recognition on POP909 (issue 5): every song's MELODY, BRIDGE and PIANO notes, cut into windows on the
/// song's own beat grid, recognised with the full vocabulary and scored against chord_midi.txt with the MIREX
/// root, majmin and sevenths rules (duration-weighted, as mir_eval).
/// </summary>
public sealed class ChordEvaluation : IEvaluationSection
{
    public string Name => "chords";

    public string Description => "Chord recognition on POP909 (labels chord_midi.txt): MIREX root, majmin and sevenths accuracy, baseline and tuned.";

    /// <summary>Evaluates every method on every song.</summary>
    public static IReadOnlyList<ChordMethodScore> Evaluate(IReadOnlyList<ChordEvaluationSong> songs, IReadOnlyList<ChordMethod> methods)
    {
        var scores = methods.Select(m => new ChordMethodScore(m, new MirexChordEvaluator())).ToArray();
        Parallel.For(0, methods.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            foreach (ChordEvaluationSong song in songs)
            {
                methods[i].Evaluate(song, scores[i].Scores);
            }
        });
        return scores;
    }

    /// <summary>Loads the split's songs; failures are listed, not thrown.</summary>
    public static (List<ChordEvaluationSong> Songs, List<string> Failures) Load(IAnsiConsole console, IReadOnlyList<string> folders, string splitName)
    {
        var songs = new List<ChordEvaluationSong>();
        var failures = new List<string>();
        console.Progress().AutoClear(true).Start(progress =>
        {
            ProgressTask task = progress.AddTask($"Loading POP909 {splitName}", maxValue: folders.Count);
            foreach (string folder in folders)
            {
                try
                {
                    Song song = Pop909Loader.LoadSong(folder);
                    ChordEvaluationSong evaluationSong = ChordEvaluationSong.From(song, Pop909Songs.AllTracks);
                    if (evaluationSong.Grid.Count < 2 || evaluationSong.Reference.Count == 0)
                    {
                        failures.Add($"{folder}: no beat grid or no chord labels");
                    }
                    else
                    {
                        songs.Add(evaluationSong);
                    }
                }
                catch (DataLoadException e)
                {
                    failures.Add(e.Message);
                }

                task.Increment(1);
            }
        });
        return (songs, failures);
    }

    public int Run(EvaluationContext context)
    {
        IAnsiConsole console = context.Console;
        var clock = Stopwatch.StartNew();
        if (!Pop909Songs.TryListFolders(context, out IReadOnlyList<string> folders))
        {
            return ExitCodes.Failure;
        }

        (List<ChordEvaluationSong> songs, List<string> failures) = Load(console, folders, SplitName(context));
        foreach (string failure in failures)
        {
            console.MarkupLineInterpolated($"[red]failed:[/] {failure}");
        }

        if (songs.Count == 0)
        {
            console.MarkupLine("[red]error:[/] no song could be evaluated.");
            return ExitCodes.Failure;
        }

        if (context.Sweep)
        {
            ChordSweep.Run(console, songs);
            return ExitCodes.Ok;
        }

        IReadOnlyList<ChordMethodScore> result = Evaluate(songs, ChordMethod.Reported);
        clock.Stop();
        int unparsed = songs.Sum(s => s.UnparsedLabels);
        Render(console, context, result, songs.Count);
        MarkdownReport.WriteSection(context.OutPath, $"chords-{SplitName(context)}", ToMarkdown(context, result, songs.Count, unparsed, failures, clock.Elapsed));
        console.MarkupLineInterpolated($"Wrote section chords-{SplitName(context)} of {context.OutPath} ({clock.Elapsed.TotalSeconds:F1} s).");
        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string SplitName(EvaluationContext context) => context.Split.ToString().ToLowerInvariant();

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static void Render(IAnsiConsole console, EvaluationContext context, IReadOnlyList<ChordMethodScore> result, int songs)
    {
        var table = new Table().Title($"Chord recognition, POP909 {SplitName(context)} ({songs} songs)")
            .AddColumns("Method", "Root", "MajMin", "Sevenths");
        foreach (ChordMethodScore m in result)
        {
            table.AddRow(Markup.Escape(m.Method.Name), F(m.Scores.Root), F(m.Scores.MajMin), F(m.Scores.Sevenths));
        }

        console.Write(table);
    }

    private static string ToMarkdown(EvaluationContext context, IReadOnlyList<ChordMethodScore> result, int songs, int unparsed, List<string> failures, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.Append(inv, $"## Chord recognition: POP909 {SplitName(context)}\n\n");
        md.Append(inv, $"Run on {context.Date:yyyy-MM-dd} in {elapsed.TotalSeconds:F0} s by\n\n```\n{context.CommandLine}\n```\n\n");
        if (context.Limit is int limit)
        {
            md.Append(inv, $"**Smoke run: only the first {limit} songs of the split.**\n\n");
        }

        MirexChordEvaluator first = result[0].Scores;
        md.Append(inv, $"{songs} songs, tracks MELODY, BRIDGE and PIANO, labels chord_midi.txt; windows on the song's beat_midi.txt grid. ");
        md.Append(inv, $"Duration-weighted over {first.RootDuration / 60:F1} labelled minutes (majmin counts {100 * first.MajMinDuration / first.RootDuration:F1} % of them: the rest are sus, dim, aug chords).");
        if (unparsed > 0)
        {
            md.Append(inv, $" {unparsed} labels did not parse and count as X (excluded).");
        }

        if (failures.Count > 0)
        {
            md.Append(inv, $" {failures.Count} song(s) failed to load: {string.Join("; ", failures)}.");
        }

        md.Append("\n\n| method | root | majmin | sevenths |\n|---|---:|---:|---:|\n");
        foreach (ChordMethodScore m in result)
        {
            string name = ReferenceEquals(m.Method, ChordMethod.Tuned) ? $"**{m.Method.Name}**" : m.Method.Name;
            md.Append(inv, $"| {name} | {F(m.Scores.Root)} | {F(m.Scores.MajMin)} | {F(m.Scores.Sevenths)} |\n");
        }

        md.Append("\nMethod and conventions: [chords.md](chords.md).\n");
        return md.ToString();
    }
}
