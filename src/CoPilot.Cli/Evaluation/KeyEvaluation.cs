using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>A song ready for key evaluation.</summary>
public sealed record KeySong(string Id, AnalysedSong Song, ReferenceKeys Reference);

/// <summary>Scores of one offline method over a split.</summary>
public sealed class MethodScore(string name)
{
    public string Name { get; } = name;

    /// <summary>Against the main (longest) labelled key: the primary figure.</summary>
    public MirexKeyEvaluator Main { get; } = new();

    public double TimeWeightedSum { get; set; }

    public double TimeWeighted => Main.Count == 0 ? 0 : TimeWeightedSum / Main.Count;
}

/// <summary>Live tracker after <see cref="KeyEvaluation.LiveBars"/> bars.</summary>
public sealed class LiveScore(string name)
{
    public string Name { get; } = name;

    public int Songs { get; set; }

    /// <summary>
    /// The primary figure: the live key is the tuned offline analysis's key at the checkpoint, the key of its
    /// segment (<see cref="SongKeyFinder.KeyAt"/>, computed on the whole song) covering the end of bar 8.
    /// </summary>
    public int AgreesWithOfflineHere { get; set; }

    /// <summary>The live key is the tuned offline key of the whole song (same tonic pitch class and mode).</summary>
    public int AgreesWithOffline { get; set; }

    /// <summary>The live key is the plain Albrecht-Shanahan offline key.</summary>
    public int AgreesWithPlain { get; set; }

    /// <summary>No key reported yet after 8 bars.</summary>
    public int NoKey { get; set; }

    /// <summary>Summed MIREX score of the live key against the main label (no key scores 0).</summary>
    public double LabelScoreSum { get; set; }

    public double LabelScore => Songs == 0 ? 0 : LabelScoreSum / Songs;

    /// <summary>Share of songs whose live key is the offline key at the checkpoint (the primary figure).</summary>
    public double Agreement => Songs == 0 ? 0 : (double)AgreesWithOfflineHere / Songs;

    /// <summary>Share of songs whose live key is the offline key of the whole song.</summary>
    public double WholeSongAgreement => Songs == 0 ? 0 : (double)AgreesWithOffline / Songs;
}

public sealed record KeyEvaluationResult(IReadOnlyList<MethodScore> Methods, IReadOnlyList<LiveScore> Live, int Songs, int SongsWithModulation, IReadOnlyList<(string Id, Key Label, Key Estimate, KeyRelation Relation)> Misses)
{
    /// <summary>Songs whose offline key at the end of bar 8 is not the offline key of the whole song.</summary>
    public int SongsOtherKeyAtCheckpoint { get; init; }
}

/// <summary>
/// Key finding on POP909 (issue 5): the offline key of each whole song with each published profile and with
/// the tuned method, and the live tracker's key after 8 bars against the offline key at that point (and, second,
/// against the offline key of the whole song).
/// </summary>
public sealed class KeyEvaluation : IEvaluationSection
{
    public const int LiveBars = 8;

    public string Name => "keys";

    public string Description => "Key finding on POP909 (labels key_audio.txt): offline MIREX score per profile, and live agreement after 8 bars.";

    /// <summary>The published profiles on the plain duration-weighted histogram.</summary>
    public static IReadOnlyList<SongKeyFinder> Baselines { get; } =
    [
        new("Krumhansl-Kessler", NoteWeighting.Duration, KeyProfiles.KrumhanslKessler),
        new("Temperley (Kostka-Payne)", NoteWeighting.Duration, KeyProfiles.Temperley),
        new("Albrecht-Shanahan", NoteWeighting.Duration, KeyProfiles.AlbrechtShanahan),
    ];

    /// <summary>
    /// Live tracker settings: as the plugin constructs it (defaults), the best setting of the valid sweep that
    /// still forgets (half-life 128 beats), no forgetting at all, which is the key of the first 8 bars with the
    /// same profile (the ceiling of any histogram setting), and the learned key model (<see cref="KeyModels.Pop909"/>).
    /// </summary>
    public static IReadOnlyList<(string Name, Func<LiveKeyTracker> Create)> Trackers { get; } =
    [
        ("Default (Albrecht-Shanahan, half-life 16 beats, margin 0.05)", () => new LiveKeyTracker()),
        ("POP909-train profile, half-life 128 beats, margin 0", () => new LiveKeyTracker(KeyProfiles.Pop909, 128, 0)),
        ("POP909-train profile, no decay (= key of the first 8 bars)", () => new LiveKeyTracker(KeyProfiles.Pop909, 1e9, 0)),
        ("POP909-train key model: correlation + bass, onsets, triads, opening bass; half-life 128 beats, margin 0, no confirmation", () => new LiveKeyTracker(KeyModels.Pop909, KeyModels.Pop909SwitchMargin, KeyModels.Pop909ConfirmBeats)),
    ];

    public static KeyEvaluationResult Evaluate(IReadOnlyList<KeySong> songs, IReadOnlyList<SongKeyFinder> methods, SongKeyFinder offline, IReadOnlyList<(string Name, Func<LiveKeyTracker> Create)> trackers)
    {
        var scores = methods.Select(m => new MethodScore(m.Name)).ToList();
        var lives = trackers.Select(t => new LiveScore(t.Name)).ToList();
        var liveTrackers = trackers.Select(t => t.Create()).ToList();
        var misses = new List<(string, Key, Key, KeyRelation)>();
        SongKeyFinder plain = Baselines[2];
        int otherKeyAtCheckpoint = 0;
        foreach (KeySong song in songs)
        {
            for (int i = 0; i < methods.Count; i++)
            {
                Key estimate = methods[i].FindKey(song.Song).Key;
                scores[i].Main.Add(estimate, song.Reference.Main);
                scores[i].TimeWeightedSum += song.Reference.TimeWeightedScore(estimate);
            }

            Key offlineKey = offline.FindKey(song.Song).Key;
            KeyRelation relation = MirexKeyScore.Classify(offlineKey, song.Reference.Main);
            if (relation != KeyRelation.Same)
            {
                misses.Add((song.Id, song.Reference.Main, offlineKey, relation));
            }

            Key plainKey = plain.FindKey(song.Song).Key;
            double checkpoint = song.Song.BeatAfterBars(LiveBars);
            Key offlineHere = offline.KeyAt(song.Song, checkpoint);
            otherKeyAtCheckpoint += offlineHere.IsEnharmonicTo(offlineKey) ? 0 : 1;
            for (int t = 0; t < lives.Count; t++)
            {
                LiveScore live = lives[t];
                Key? liveKey = LiveKeyCheck.KeyAt(liveTrackers[t], song.Song, checkpoint);
                live.Songs++;
                if (liveKey is Key k)
                {
                    live.AgreesWithOfflineHere += k.IsEnharmonicTo(offlineHere) ? 1 : 0;
                    live.AgreesWithOffline += k.IsEnharmonicTo(offlineKey) ? 1 : 0;
                    live.AgreesWithPlain += k.IsEnharmonicTo(plainKey) ? 1 : 0;
                    live.LabelScoreSum += MirexKeyScore.Score(k, song.Reference.Main);
                }
                else
                {
                    live.NoKey++;
                }
            }
        }

        return new KeyEvaluationResult(scores, lives, songs.Count, songs.Count(s => s.Reference.HasModulation), misses) { SongsOtherKeyAtCheckpoint = otherKeyAtCheckpoint };
    }

    /// <summary>The rows of the report: the baselines, the tuned method, and the steps that led to it (ablation).</summary>
    public static IReadOnlyList<SongKeyFinder> ReportedMethods() => [.. Baselines, .. SongKeyFinder.Steps, SongKeyFinder.Tuned];

    public int Run(EvaluationContext context)
    {
        IAnsiConsole console = context.Console;
        var clock = Stopwatch.StartNew();
        if (!Pop909Songs.TryListFolders(context, out IReadOnlyList<string> folders))
        {
            return ExitCodes.Failure;
        }

        var songs = new List<KeySong>();
        var failures = new List<string>();
        console.Progress().AutoClear(true).Start(progress =>
        {
            ProgressTask task = progress.AddTask($"Loading POP909 {context.Split.ToString().ToLowerInvariant()}", maxValue: folders.Count);
            foreach (string folder in folders)
            {
                try
                {
                    Song song = Pop909Loader.LoadSong(folder);
                    ReferenceKeys? reference = ReferenceKeys.From(song.Keys, out string? problem);
                    if (reference is null)
                    {
                        failures.Add($"{folder}: {problem}");
                    }
                    else
                    {
                        songs.Add(new KeySong(song.Id, AnalysedSong.From(song.Id, song.Notes, song.Beats, song.Metres, Pop909Songs.AllTracks), reference));
                    }
                }
                catch (DataLoadException e)
                {
                    failures.Add(e.Message);
                }

                task.Increment(1);
            }
        });

        // The pop profile is learned from the train split; check that the numbers in the code still are what the data gives.
        string profileCheck = "skipped in a smoke run (--limit)";
        if (context.Limit is null)
        {
            (KeyProfile learned, int trainSongs, List<string> trainFailures) = Pop909ProfileLearner.Learn(context.DataDirectory);
            bool same = learned.Major.SequenceEqual(KeyProfiles.Pop909.Major) && learned.Minor.SequenceEqual(KeyProfiles.Pop909.Minor);
            profileCheck = same
                ? $"relearned from {trainSongs} one-key train songs: identical to the profile in the code"
                : $"relearned from {trainSongs} one-key train songs: DIFFERS from the profile in the code, {Pop909ProfileLearner.Format(learned)}";
            failures.AddRange(trainFailures);
            if (!same)
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] the POP909 profile {profileCheck}");
            }

            var modelFailures = new List<string>();
            List<KeySong> train = LiveKeyModelLearner.LoadSongs(context.DataDirectory, Split.Train, modelFailures);
            KeyModel relearned = LiveKeyModelLearner.Learn(train);
            string modelCheck = LiveKeyModelLearner.SameWeights(relearned, KeyModels.Pop909)
                ? $"live key model relearned from {train.Count} train songs: identical to the model in the code"
                : $"live key model relearned from {train.Count} train songs: DIFFERS from the model in the code";
            if (!LiveKeyModelLearner.SameWeights(relearned, KeyModels.Pop909))
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] the {modelCheck}");
                console.WriteLine(LiveKeyModelLearner.Format(relearned));
            }

            profileCheck += $"; {modelCheck}";
        }

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
            KeySweep.Run(console, songs, context.DataDirectory);
            return ExitCodes.Ok;
        }

        KeyEvaluationResult result = Evaluate(songs, ReportedMethods(), SongKeyFinder.Tuned, Trackers);
        clock.Stop();
        Render(console, context, result, failures.Count, clock.Elapsed);
        MarkdownReport.WriteSection(context.OutPath, $"keys-{SplitName(context)}", ToMarkdown(context, result, failures, clock.Elapsed, profileCheck));
        console.MarkupLineInterpolated($"Wrote section keys-{SplitName(context)} of {context.OutPath} ({clock.Elapsed.TotalSeconds:F1} s).");
        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string SplitName(EvaluationContext context) => context.Split.ToString().ToLowerInvariant();

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Percent(int count, int of) => of == 0 ? "-" : (100.0 * count / of).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static void Render(IAnsiConsole console, EvaluationContext context, KeyEvaluationResult result, int failed, TimeSpan elapsed)
    {
        var table = new Table().Title($"Offline key, POP909 {SplitName(context)} ({result.Songs} songs)")
            .AddColumns("Method", "MIREX", "Exact", "MIREX time-weighted", "Same", "Fifth", "Relative", "Parallel", "Other");
        foreach (MethodScore m in result.Methods)
        {
            MirexKeyEvaluator e = m.Main;
            table.AddRow(Markup.Escape(m.Name), F(e.WeightedScore), F(e.Accuracy), F(m.TimeWeighted),
                Cell(e.CountOf(KeyRelation.Same)), Cell(e.CountOf(KeyRelation.Fifth)), Cell(e.CountOf(KeyRelation.Relative)),
                Cell(e.CountOf(KeyRelation.Parallel)), Cell(e.CountOf(KeyRelation.Other)));
        }

        console.Write(table);
        var liveTable = new Table().Title($"Live tracker after {LiveBars} bars ({result.Songs} songs)")
            .AddColumns("Tracker", "= offline key at bar 8", "= offline key of whole song", "= plain A-S whole-song key", "No key yet", "MIREX vs label");
        foreach (LiveScore live in result.Live)
        {
            liveTable.AddRow(Markup.Escape(live.Name), Percent(live.AgreesWithOfflineHere, live.Songs), Percent(live.AgreesWithOffline, live.Songs), Percent(live.AgreesWithPlain, live.Songs), Cell(live.NoKey), F(live.LabelScore));
        }

        console.Write(liveTable);
        if (failed > 0)
        {
            console.MarkupLineInterpolated($"[red]{failed} song(s) failed to load[/] (listed above); figures are over the {result.Songs} that loaded.");
        }

        _ = elapsed;
    }

    private static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string ToMarkdown(EvaluationContext context, KeyEvaluationResult result, List<string> failures, TimeSpan elapsed, string profileCheck)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.Append(inv, $"## Key finding: POP909 {SplitName(context)}\n\n");
        md.Append(inv, $"Run on {context.Date:yyyy-MM-dd} in {elapsed.TotalSeconds:F0} s by\n\n```\n{context.CommandLine}\n```\n\n");
        if (context.Limit is int limit)
        {
            md.Append(inv, $"**Smoke run: only the first {limit} songs of the split.**\n\n");
        }

        md.Append(inv, $"{result.Songs} songs ({result.SongsWithModulation} with more than one labelled key); tracks MELODY, BRIDGE and PIANO.");
        if (failures.Count > 0)
        {
            md.Append(inv, $" {failures.Count} song(s) failed to load: {string.Join("; ", failures)}.");
        }

        md.Append(inv, $" POP909-train profile {profileCheck}.");
        md.Append("\n\n### Offline key of the whole song\n\n");
        md.Append("| method | MIREX | exact | MIREX time-weighted | same | fifth | relative | parallel | other |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (MethodScore m in result.Methods)
        {
            MirexKeyEvaluator e = m.Main;
            string name = m.Name == SongKeyFinder.Tuned.Name ? $"**{m.Name}**" : m.Name;
            md.Append(inv, $"| {name} | {F(e.WeightedScore)} | {F(e.Accuracy)} | {F(m.TimeWeighted)} | {e.CountOf(KeyRelation.Same)} | {e.CountOf(KeyRelation.Fifth)} | {e.CountOf(KeyRelation.Relative)} | {e.CountOf(KeyRelation.Parallel)} | {e.CountOf(KeyRelation.Other)} |\n");
        }

        md.Append(inv, $"\n### Live tracker after {LiveBars} bars\n\n");
        md.Append("Primary figure: **agrees with the offline key at bar 8**, the tuned offline analysis's key at that point (its `KeySegmenter` segment, computed on the whole song, that covers the end of bar 8). ");
        md.Append(inv, $"Second: agreement with the tuned offline key of the whole song (the main key); the two references differ on {result.SongsOtherKeyAtCheckpoint} of {result.Songs} songs, whose first 8 bars the offline analysis itself puts in another key.\n\n");
        md.Append("| tracker | **agrees with offline key at bar 8** | agrees with offline key of whole song | agrees with plain Albrecht-Shanahan whole-song key | no key yet | MIREX of live key vs label |\n");
        md.Append("|---|---:|---:|---:|---:|---:|\n");
        foreach (LiveScore live in result.Live)
        {
            md.Append(inv, $"| {live.Name} | **{Percent(live.AgreesWithOfflineHere, live.Songs)}** | {Percent(live.AgreesWithOffline, live.Songs)} | {Percent(live.AgreesWithPlain, live.Songs)} | {live.NoKey} | {F(live.LabelScore)} |\n");
        }

        if (result.Misses.Count > 0)
        {
            md.Append(inv, $"\nSongs where the tuned key is not the main label: ");
            md.Append(string.Join(", ", result.Misses.Select(m => $"{m.Id} ({m.Label.ToShortString()} → {m.Estimate.ToShortString()}, {m.Relation.ToString().ToLowerInvariant()})")));
            md.Append(".\n");
        }

        md.Append(inv, $"\nMethod and conventions: [keys.md](keys.md).\n");
        return md.ToString();
    }
}
