using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>Top-1 and top-3 hits of one predictor on one set.</summary>
public sealed class NextChordScore(string name)
{
    public string Name { get; } = name;

    public int Count { get; set; }

    public int Top1 { get; set; }

    public int Top3 { get; set; }

    public double Top1Rate => Count == 0 ? 0 : (double)Top1 / Count;

    public double Top3Rate => Count == 0 ? 0 : (double)Top3 / Count;

    /// <summary>The tuning objective: top-1 plus top-3 accuracy.</summary>
    public double Objective => Top1Rate + Top3Rate;
}

/// <summary>One evaluated set: its style, statistics and held-out songs.</summary>
public sealed record NextChordSet(string Name, ChordStyle Style, ChordTransitions Full, ChordTransitions Shipped, IReadOnlyList<ProgressionSong> Valid, IReadOnlyList<ProgressionSong> Evaluated);

/// <summary>
/// Next-chord prediction (issue 5 item 6): for every chord of a held-out song but the last, predict the next
/// different chord from the chords so far and the key. A prediction is right when its root pitch class and
/// <see cref="ChordClass"/> equal the next chord's (the same as comparing key-relative chords in the current
/// key). Baseline: an interpolated trigram over key-relative chords with its weights tuned on valid.
/// Suggester: <see cref="ChordSuggester"/> with its shipped statistics and settings.
/// </summary>
public sealed class NextChordEvaluation : IEvaluationSection
{
    public string Name => "next-chord";

    public string Description => "Next-chord suggestion: top-1/top-3 of the next different chord on Billboard (deduplicated), jazz and POP909; interpolated trigram vs ChordSuggester.";

    /// <summary>The grid of the baseline's weights (trigram, bigram, unigram, uniform), searched on valid.</summary>
    public static IEnumerable<NgramWeights> BaselineGrid()
    {
        for (int t = 0; t <= 10; t++)
        {
            for (int b = 0; t + b <= 10; b++)
            {
                foreach (float u in (float[])[0.001f, 0.01f, 0.05f])
                {
                    float unigram = (10 - t - b) / 10f;
                    yield return new NgramWeights(t / 10f, b / 10f, unigram, u);
                }
            }
        }
    }

    /// <summary>Scores the interpolated trigram on <paramref name="songs"/>.</summary>
    public static NextChordScore ScoreTrigram(string name, ChordTransitions transitions, NgramWeights weights, IEnumerable<ProgressionSong> songs)
    {
        var score = new NextChordScore(name);
        var probabilities = new float[RelativeChord.Count];
        foreach (ProgressionSong song in songs)
        {
            for (int i = 0; i + 1 < song.Chords.Count; i++)
            {
                PitchClass tonic = song.Keys[i].TonicPitchClass;
                RelativeChord.TryFrom(song.Chords[i], tonic, out RelativeChord b);
                int a = -1;
                if (i > 0 && RelativeChord.TryFrom(song.Chords[i - 1], tonic, out RelativeChord first))
                {
                    a = first.Index;
                }

                transitions.Interpolate(a, b.Index, weights, probabilities);
                RelativeChord.TryFrom(song.Chords[i + 1], tonic, out RelativeChord target);
                int rank = RankOf(probabilities, target.Index);
                Count(score, rank);
            }
        }

        return score;
    }

    /// <summary>Scores the suggester on <paramref name="songs"/>: the history is the song so far.</summary>
    public static NextChordScore ScoreSuggester(string name, ChordSuggester suggester, ChordStyle style, IEnumerable<ProgressionSong> songs)
    {
        var score = new NextChordScore(name);
        var output = new ChordSuggestion[3];
        foreach (ProgressionSong song in songs)
        {
            Chord[] chords = [.. song.Chords];
            for (int i = 0; i + 1 < chords.Length; i++)
            {
                int n = suggester.Suggest(chords.AsSpan(0, i + 1), song.Keys[i], style, output);
                Chord target = chords[i + 1];
                int rank = -1;
                for (int r = 0; r < n; r++)
                {
                    if (output[r].Chord.Root == target.Root && ChordClasses.Of(output[r].Chord.Quality) == ChordClasses.Of(target.Quality))
                    {
                        rank = r;
                        break;
                    }
                }

                Count(score, rank < 0 ? int.MaxValue : rank);
            }
        }

        return score;
    }

    private static void Count(NextChordScore score, int rank)
    {
        score.Count++;
        score.Top1 += rank == 0 ? 1 : 0;
        score.Top3 += rank < 3 ? 1 : 0;
    }

    // Rank of the target among all chords, ties broken towards the lower index as the suggester does.
    private static int RankOf(ReadOnlySpan<float> probabilities, int target)
    {
        float p = probabilities[target];
        int rank = 0;
        for (int c = 0; c < probabilities.Length; c++)
        {
            if (probabilities[c] > p || (probabilities[c] == p && c < target))
            {
                rank++;
            }
        }

        return rank;
    }

    /// <summary>The baseline weights with the best top-1 + top-3 on the valid songs.</summary>
    public static (NgramWeights Weights, NextChordScore Score) TuneBaseline(ChordTransitions transitions, IReadOnlyList<ProgressionSong> valid)
    {
        NgramWeights best = default;
        NextChordScore? bestScore = null;
        foreach (NgramWeights weights in BaselineGrid())
        {
            NextChordScore score = ScoreTrigram("trigram", transitions, weights, valid);
            if (bestScore is null || score.Objective > bestScore.Objective + 1e-12)
            {
                best = weights;
                bestScore = score;
            }
        }

        return (best, bestScore!);
    }

    /// <summary>Loads the three sets; the statistics are trained here from train (the shipped files are this, pruned).</summary>
    public static List<NextChordSet> LoadSets(string dataDirectory, Split split, int? limit, List<LoadFailure> failures, List<string> warnings, string? modelDirectory)
    {
        var sets = new List<NextChordSet>();
        foreach ((ChordStyle style, string name, CorpusSet corpus) in ChordTransitionTrainer.Styles)
        {
            List<ProgressionSong> songs = ChordTransitionTrainer.LoadCorpus(dataDirectory, corpus, failures);
            ChordTransitions full = ChordTransitionTrainer.Train(songs, name);
            if (modelDirectory is not null)
            {
                string file = Path.Combine(modelDirectory, name + ".tsv");
                if (!File.Exists(file) || !File.ReadAllBytes(file).AsSpan().SequenceEqual(ChordTransitionTrainer.FileBytes(full)))
                {
                    warnings.Add($"{file} is missing or differs from the train split of this data: run `copilot train chords`. The figures use statistics trained now.");
                }
            }

            IEnumerable<ProgressionSong> Take(Split s) => limit is int n ? songs.Where(x => x.Split == s).Take(n) : songs.Where(x => x.Split == s);
            string label = corpus switch
            {
                CorpusSet.Billboard => "Billboard (rock, deduplicated)",
                CorpusSet.JazzProgressions => "Jazz progressions (jazz)",
                _ => "POP909 (pop)",
            };
            sets.Add(new NextChordSet(label, style, full, ChordTransitionTrainer.Shipped(full), [.. Take(Split.Valid)], [.. Take(split)]));
        }

        return sets;
    }

    /// <summary>The suggester with every set's shipped statistics and the library's settings (or <paramref name="settings"/>).</summary>
    public static ChordSuggester Suggester(IEnumerable<NextChordSet> sets, Func<ChordStyle, ChordSuggesterSettings>? settings = null)
    {
        var suggester = new ChordSuggester();
        foreach (NextChordSet set in sets)
        {
            suggester.SetStatistics(set.Style, set.Shipped, settings?.Invoke(set.Style));
        }

        return suggester;
    }

    public int Run(EvaluationContext context)
    {
        IAnsiConsole console = context.Console;
        var clock = Stopwatch.StartNew();
        var failures = new List<LoadFailure>();
        var warnings = new List<string>();
        string? root = DataLocation.RepositoryRoot(Directory.GetCurrentDirectory());
        List<NextChordSet> sets = LoadSets(context.DataDirectory, context.Split, context.Limit, failures, warnings, root is null ? null : Path.Combine(root, ChordTransitionTrainer.ModelFolder));
        foreach (string warning in warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }

        foreach (LoadFailure failure in failures)
        {
            console.MarkupLineInterpolated($"[yellow]skipped:[/] {failure.ToString()}");
        }

        if (sets.All(s => s.Evaluated.Count == 0))
        {
            console.MarkupLine("[red]error:[/] no songs to evaluate.");
            return ExitCodes.Failure;
        }

        if (context.Sweep)
        {
            return Sweep(console, sets);
        }

        var rows = new List<(NextChordSet Set, NgramWeights Weights, IReadOnlyList<NextChordScore> Scores)>();
        ChordSuggester suggester = Suggester(sets);
        ChordSuggester noMemory = Suggester(sets, s => ChordSuggesterSettings.For(s) with { MemoryStrength = float.PositiveInfinity });
        ChordSuggester noRules = Suggester(sets, s => ChordSuggesterSettings.For(s) with { NonDiatonic = 1, DominantResolution = 1, FifthDown = 1 });
        foreach (NextChordSet set in sets)
        {
            (NgramWeights weights, _) = TuneBaseline(set.Full, set.Valid);
            var scores = new List<NextChordScore>
            {
                ScoreTrigram("Interpolated trigram (baseline, weights tuned on valid)", set.Full, weights, set.Evaluated),
                ScoreSuggester("**ChordSuggester** (statistics + song memory + rules)", suggester, set.Style, set.Evaluated),
                ScoreSuggester("ChordSuggester without song memory", noMemory, set.Style, set.Evaluated),
                ScoreSuggester("ChordSuggester without rules", noRules, set.Style, set.Evaluated),
            };
            rows.Add((set, weights, scores));
        }

        string split = context.Split == Split.Test ? "test" : "valid";
        var table = new Table().AddColumns("set", "songs", "predictions", "method", "top-1", "top-3");
        foreach ((NextChordSet set, _, IReadOnlyList<NextChordScore> scores) in rows)
        {
            foreach (NextChordScore score in scores)
            {
                table.AddRow(Markup.Escape(set.Name), set.Evaluated.Count.ToString(CultureInfo.InvariantCulture), score.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(score.Name.Replace("**", "", StringComparison.Ordinal)), score.Top1Rate.ToString("F3", CultureInfo.InvariantCulture), score.Top3Rate.ToString("F3", CultureInfo.InvariantCulture));
            }
        }

        console.Write(table);
        string markdown = Report(context, split, rows, clock.Elapsed, warnings);
        MarkdownReport.WriteSection(context.OutPath, "next-chord-" + split, markdown);
        console.MarkupLineInterpolated($"Wrote section next-chord-{split} of {context.OutPath} in {clock.Elapsed.TotalSeconds:F1} s.");
        return failures.Count > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Report(EvaluationContext context, string split, List<(NextChordSet Set, NgramWeights Weights, IReadOnlyList<NextChordScore> Scores)> rows, TimeSpan elapsed, List<string> warnings)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Next chord: {split}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Run on {context.Date:yyyy-MM-dd} in {Math.Max(1, (int)Math.Round(elapsed.TotalSeconds))} s by\n\n```\n{context.CommandLine}\n```\n\n");
        if (context.Limit is int limit)
        {
            text.Append(CultureInfo.InvariantCulture, $"**Smoke run: only the first {limit} songs of each set.**\n\n");
        }

        foreach (string warning in warnings)
        {
            text.Append(CultureInfo.InvariantCulture, $"Warning: {warning}\n\n");
        }

        text.Append("Accuracy of the next different chord, right when root and chord class (maj, m, dim, aug, 7, maj7, m7, m7b5, sus) match. Statistics from the train splits only; the baseline's weights tuned on valid.\n\n");
        text.Append("| set | songs | predictions | method | top-1 | top-3 |\n|---|---:|---:|---|---:|---:|\n");
        foreach ((NextChordSet set, _, IReadOnlyList<NextChordScore> scores) in rows)
        {
            foreach (NextChordScore score in scores)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {set.Name} | {set.Evaluated.Count} | {score.Count} | {score.Name} | {score.Top1Rate:F3} | {score.Top3Rate:F3} |\n");
            }
        }

        text.Append("\nBaseline weights (trigram, bigram, unigram, uniform) tuned on valid: ");
        text.Append(string.Join("; ", rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Set.Name} {r.Weights.Trigram:0.0#}/{r.Weights.Bigram:0.0#}/{r.Weights.Unigram:0.0#}/{r.Weights.Uniform:0.0##}"))));
        text.Append(".\n\nMethod: [next-chord.md](next-chord.md).\n");
        return text.ToString();
    }

    // Coordinate search of the suggester's settings on valid (one parameter at a time, two passes), per set.
    private static int Sweep(IAnsiConsole console, List<NextChordSet> sets)
    {
        foreach (NextChordSet set in sets)
        {
            (NgramWeights baseline, NextChordScore baseScore) = TuneBaseline(set.Full, set.Valid);
            console.MarkupLineInterpolated($"[bold]{set.Name}[/]: baseline {baseline} top-1 {baseScore.Top1Rate:F3} top-3 {baseScore.Top3Rate:F3}");
            ChordSuggesterSettings current = ChordSuggesterSettings.For(set.Style) with { Ngram = baseline };
            double Evaluate(ChordSuggesterSettings s) =>
                ScoreSuggester("s", Suggester(sets, st => st == set.Style ? s : ChordSuggesterSettings.For(st)), set.Style, set.Valid).Objective;
            double best = Evaluate(current);
            Func<ChordSuggesterSettings, float, ChordSuggesterSettings>[] setters =
            [
                (s, v) => s with { MemoryStrength = v },
                (s, v) => s with { MemoryTrigramWeight = v },
                (s, v) => s with { NonDiatonic = v },
                (s, v) => s with { DominantResolution = v },
                (s, v) => s with { FifthDown = v },
            ];
            float[][] values =
            [
                [0.25f, 0.5f, 1, 2, 4, 8],
                [0, 1, 3, 9],
                [0.5f, 0.7f, 0.8f, 0.9f, 1],
                [1, 1.2f, 1.5f, 2, 3],
                [1, 1.2f, 1.5f, 2],
            ];
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < setters.Length; p++)
                {
                    foreach (float v in values[p])
                    {
                        ChordSuggesterSettings candidate = setters[p](current, v);
                        double objective = Evaluate(candidate);
                        if (objective > best + 1e-9)
                        {
                            best = objective;
                            current = candidate;
                        }
                    }
                }
            }

            NextChordScore final = ScoreSuggester("s", Suggester(sets, st => st == set.Style ? current : ChordSuggesterSettings.For(st)), set.Style, set.Valid);
            console.MarkupLineInterpolated($"  best suggester {Markup.Escape(current.ToString())}: top-1 {final.Top1Rate:F3} top-3 {final.Top3Rate:F3}");
        }

        return ExitCodes.Ok;
    }
}
