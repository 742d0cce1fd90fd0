using System.Globalization;
using CoPilot.Cli.Analysis;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// The grid search behind <see cref="SongKeyFinder.Tuned"/> and the live tracker's settings: <c>copilot eval keys
/// --sweep</c>, refused on the test split. Prints every setting's valid score so the choice can be checked.
/// </summary>
public static class KeySweep
{
    private static readonly double[] Alphas = [0.5, 0.75, 1.0];

    public static void Run(IAnsiConsole console, IReadOnlyList<KeySong> songs, string dataDirectory, bool liveOnly = false)
    {
        var inv = CultureInfo.InvariantCulture;
        RunLiveModels(console, songs, dataDirectory);
        if (liveOnly)
        {
            return;
        }

        (KeyProfile pop, int trained, _) = Pop909ProfileLearner.Learn(dataDirectory);
        console.WriteLine($"learned from {trained} train songs: {Pop909ProfileLearner.Format(pop)}");
        (string Name, KeyProfile[] Profiles)[] profileSets =
        [
            ("AS", [KeyProfiles.AlbrechtShanahan]),
            ("POP", [pop]),


            ("AS+KK", [KeyProfiles.AlbrechtShanahan, KeyProfiles.KrumhanslKessler]),

            ("KK", [KeyProfiles.KrumhanslKessler]),

        ];
        var rows = new List<(string Name, double Score, double Exact, double TimeWeighted)>();
        foreach ((string pName, KeyProfile[] profiles) in profileSets)
        {
            foreach (double alpha in liveOnly ? [] : Alphas)
            {
                foreach (double bass in new[] { 1.0, 2.0, 3.0 })
                {
                    foreach (double down in new[] { 1.0, 2.0 })
                    {
                        foreach (double tonic in new[] { 0.0, 0.2, 0.3 })
                        {
                            foreach (double? seg in new double?[] { null, 0.2, 0.3, 0.5 })
                            {
                                var finder = new SongKeyFinder($"{pName} a={alpha} bass={bass} down={down} tonic={tonic} seg={seg}", new NoteWeighting(alpha, bass, down, tonic), seg, profiles);
                                var e = new MirexKeyEvaluator();
                                double tw = 0;
                                foreach (KeySong s in songs)
                                {
                                    Key k = finder.FindKey(s.Song).Key;
                                    e.Add(k, s.Reference.Main);
                                    tw += s.Reference.TimeWeightedScore(k);
                                }

                                rows.Add((finder.Name, e.WeightedScore, e.Accuracy, tw / songs.Count));
                            }
                        }
                    }
                }
            }
        }

        foreach (var r in rows.OrderByDescending(r => r.Score).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            console.WriteLine(string.Create(inv, $"offline {r.Score:F4} exact {r.Exact:F4} tw {r.TimeWeighted:F4}  {r.Name}"));
        }

        // Live: agreement after 8 bars with the tuned offline key at that point (primary) and of the whole song.
        var offline = songs.Select(s => SongKeyFinder.Tuned.FindKey(s.Song).Key).ToArray();
        var offlineHere = songs.Select(s => SongKeyFinder.Tuned.KeyAt(s.Song, s.Song.BeatAfterBars(KeyEvaluation.LiveBars))).ToArray();
        foreach ((string pName, KeyProfile[] profiles) in profileSets.Where(p => p.Profiles.Length == 1))
        {
            foreach (double halfLife in new[] { 8.0, 16, 32, 64, 128, 1e6 })
            {
                foreach (double margin in new[] { 0.0, 0.05, 0.1 })
                {
                    foreach (double minimum in new[] { 2.0, 8.0 })
                    {
                        var tracker = new LiveKeyTracker(profiles[0], halfLife, margin, 2, minimum);
                        int agree = 0;
                        int agreeHere = 0;
                        double label = 0;
                        for (int i = 0; i < songs.Count; i++)
                        {
                            Key? k = LiveKeyCheck.KeyAt(tracker, songs[i].Song, songs[i].Song.BeatAfterBars(KeyEvaluation.LiveBars));
                            if (k is Key key)
                            {
                                agree += key.IsEnharmonicTo(offline[i]) ? 1 : 0;
                                agreeHere += key.IsEnharmonicTo(offlineHere[i]) ? 1 : 0;
                                label += MirexKeyScore.Score(key, songs[i].Reference.Main);
                            }
                        }

                        console.WriteLine(string.Create(inv, $"live at bar 8 {100.0 * agreeHere / songs.Count:F1} % whole song {100.0 * agree / songs.Count:F1} % label {label / songs.Count:F4}  {pName} halfLife={halfLife} margin={margin} minimum={minimum}"));
                    }
                }
            }
        }
    }

    /// <summary>Feature groups of <see cref="KeyModel"/> that the ablation switches off: first index and length.</summary>
    private static readonly (string Name, int Start, int Length)[] FeatureGroups =
    [
        ("correlation", 0, 1),
        ("duration", 1, PitchClass.Count),
        ("bass", 1 + PitchClass.Count, PitchClass.Count),
        ("onsets", 1 + (2 * PitchClass.Count), PitchClass.Count),
        ("triads", 1 + (3 * PitchClass.Count), KeyModel.TriadCount),
        ("opening bass", 1 + (3 * PitchClass.Count) + KeyModel.TriadCount, PitchClass.Count),
    ];

    /// <summary>
    /// The live model grid: training checkpoints and L2 penalties. Half-life 32 beats lost to 128 in every cell of
    /// an earlier grid (docs/evaluation/keys.md), so only <see cref="LiveKeyModelLearner.HalfLifeBeats"/> is tried.
    /// </summary>
    private static readonly int[][] GridBars = [[8], [6, 8, 10], [4, 6, 8, 10, 12]];

    private static readonly double[] GridL2 = [3e-5, 1e-4, 1e-3];

    /// <summary>Samples with one feature group cleared in every key, for the ablations.</summary>
    private static IEnumerable<(double[] Features, int Key)> Without(IEnumerable<(double[] Features, int Key)> samples, int start, int length) =>
        samples.Select(x =>
        {
            double[] f = (double[])x.Features.Clone();
            for (int k = 0; length > 0 && k < Key.MajorMinorCount; k++)
            {
                Array.Clear(f, (k * KeyModel.FeatureCount) + start, length);
            }

            return (f, x.Key);
        });

    /// <summary>
    /// Live key models learned on POP909 train (<see cref="LiveKeyModelLearner"/>) over half-life, training
    /// checkpoints and L2 penalty, each scored on the given (valid) songs at bar 8, then an ablation of the
    /// feature groups for the best setting.
    /// </summary>
    public static void RunLiveModels(IAnsiConsole console, IReadOnlyList<KeySong> songs, string dataDirectory)
    {
        var inv = CultureInfo.InvariantCulture;
        var failures = new List<string>();
        List<KeySong> train = LiveKeyModelLearner.LoadSongs(dataDirectory, Data.Split.Train, failures);
        console.WriteLine($"live models: {train.Count} train songs ({failures.Count} failed)");
        var offlineHere = songs.Select(s => SongKeyFinder.Tuned.KeyAt(s.Song, s.Song.BeatAfterBars(KeyEvaluation.LiveBars))).ToArray();
        double Agreement(KeyModel model, double margin, double confirmBeats)
        {
            var tracker = new LiveKeyTracker(model, margin, confirmBeats);
            int agree = 0;
            for (int i = 0; i < songs.Count; i++)
            {
                Key? k = LiveKeyCheck.KeyAt(tracker, songs[i].Song, songs[i].Song.BeatAfterBars(KeyEvaluation.LiveBars));
                agree += k is Key key && key.IsEnharmonicTo(offlineHere[i]) ? 1 : 0;
            }

            return 100.0 * agree / songs.Count;
        }

        // Taking samples plays every train song into a tracker at every checkpoint: once per grid row, shared by the
        // valid grid, the cross-validation and the chosen model.
        var grid = GridBars.Select(bars => (Bars: bars, Samples: LiveKeyModelLearner.Samples(train, LiveKeyModelLearner.HalfLifeBeats, bars))).ToList();
        foreach ((int[] bars, List<(double[] Features, int Key)> samples) in grid)
        {
            foreach (double l2 in GridL2)
            {
                KeyModel model = LiveKeyModelLearner.Fit("sweep", samples, LiveKeyModelLearner.HalfLifeBeats, l2);
                console.WriteLine(string.Create(inv, $"live model at bar 8 {Agreement(model, 0, 0):F1} % (confirm 2 beats: {Agreement(model, 0, 2):F1} %; margin 0.1: {Agreement(model, 0.1, 0):F1} %)  halfLife={LiveKeyModelLearner.HalfLifeBeats} bars={string.Join('+', bars)} l2={l2}"));
            }
        }

        CrossValidate(console, train, grid);

        // The chosen setting: its weights (for KeyModels.Pop909), its misses, and the ablation of each feature group.
        List<(double[] Features, int Key)> bestSamples = grid.Find(g => g.Bars.SequenceEqual(LiveKeyModelLearner.Bars)).Samples
            ?? LiveKeyModelLearner.Samples(train, LiveKeyModelLearner.HalfLifeBeats, LiveKeyModelLearner.Bars);
        KeyModel chosen = LiveKeyModelLearner.Learn(bestSamples);
        console.WriteLine($"chosen live model (half-life {LiveKeyModelLearner.HalfLifeBeats}, bars {string.Join('+', LiveKeyModelLearner.Bars)}, L2 {LiveKeyModelLearner.L2}): {Agreement(chosen, KeyModels.Pop909SwitchMargin, KeyModels.Pop909ConfirmBeats):F1} %\n{LiveKeyModelLearner.Format(chosen)}");
        var bestTracker = new LiveKeyTracker(chosen, KeyModels.Pop909SwitchMargin, KeyModels.Pop909ConfirmBeats);
        var plainTracker = new LiveKeyTracker(KeyProfiles.Pop909, 1e9, 0);
        for (int i = 0; i < songs.Count; i++)
        {
            double checkpoint = songs[i].Song.BeatAfterBars(KeyEvaluation.LiveBars);
            Key? plain = LiveKeyCheck.KeyAt(plainTracker, songs[i].Song, checkpoint);
            Key? k = LiveKeyCheck.KeyAt(bestTracker, songs[i].Song, checkpoint);
            if (k is not Key key || !key.IsEnharmonicTo(offlineHere[i]))
            {
                string live = k is Key kk ? $"{kk.ToShortString()} p={bestTracker.Scores[kk.Index]:F2}" : "none";
                console.WriteLine(string.Create(inv, $"live miss {songs[i].Id}: offline {offlineHere[i].ToShortString()} (p={bestTracker.Scores[offlineHere[i].Index]:F2}) live {live} {(k is Key x ? MirexKeyScore.Classify(x, offlineHere[i]) : default)}; label {songs[i].Reference.Main.ToShortString()}; histogram tracker {plain?.ToShortString()}"));
            }
        }

        foreach ((string name, int start, int length) in FeatureGroups)
        {
            KeyModel model = LiveKeyModelLearner.Fit("ablation", Without(bestSamples, start, length), LiveKeyModelLearner.HalfLifeBeats, LiveKeyModelLearner.L2);
            console.WriteLine(string.Create(inv, $"live model without {name}: {Agreement(model, KeyModels.Pop909SwitchMargin, KeyModels.Pop909ConfirmBeats):F1} %"));
        }
    }

    /// <summary>
    /// 4-fold cross-validation on the train split (songs by index mod 4): 728 songs tell settings apart where the
    /// 91 valid songs cannot (one song is 1.1 points there). Histogram trackers need no fitting and are scored
    /// on every train song.
    /// </summary>
    private static void CrossValidate(IAnsiConsole console, List<KeySong> train, List<(int[] Bars, List<(double[] Features, int Key)> Samples)> grid)
    {
        const int Folds = 4;
        var inv = CultureInfo.InvariantCulture;
        var reference = train.Select(s => SongKeyFinder.Tuned.KeyAt(s.Song, s.Song.BeatAfterBars(KeyEvaluation.LiveBars))).ToArray();
        int Agree(LiveKeyTracker tracker, int fold)
        {
            int agree = 0;
            for (int i = 0; i < train.Count; i++)
            {
                if (fold < 0 || i % Folds == fold)
                {
                    Key? k = LiveKeyCheck.KeyAt(tracker, train[i].Song, train[i].Song.BeatAfterBars(KeyEvaluation.LiveBars));
                    agree += k is Key key && key.IsEnharmonicTo(reference[i]) ? 1 : 0;
                }
            }

            return agree;
        }

        foreach ((string name, LiveKeyTracker tracker) in new[]
        {
            ("histogram, default", new LiveKeyTracker()),
            ("histogram, POP909 profile, half-life 128, margin 0", new LiveKeyTracker(KeyProfiles.Pop909, 128, 0)),
            ("histogram, POP909 profile, no decay", new LiveKeyTracker(KeyProfiles.Pop909, 1e9, 0)),
        })
        {
            console.WriteLine(string.Create(inv, $"train (all {train.Count}) at bar 8 {100.0 * Agree(tracker, -1) / train.Count:F1} %  {name}"));
        }

        const double HalfLife = LiveKeyModelLearner.HalfLifeBeats;
        foreach ((int[] bars, List<(double[] Features, int Key)> samples) in grid)
        {
            foreach (double l2 in GridL2)
            {
                bool chosen = bars.SequenceEqual(LiveKeyModelLearner.Bars) && l2 == LiveKeyModelLearner.L2;
                foreach ((string group, int start, int length) in FeatureGroups.Select(g => ("without " + g.Name, g.Start, g.Length)).Prepend(("all features", 0, 0)))
                {
                    if (length > 0 && !chosen)
                    {
                        continue;
                    }

                    // Switch margin 0 or 0.1, confirmation 0 or 2 beats.
                    int[] agree = new int[4];
                    for (int fold = 0; fold < Folds; fold++)
                    {
                        var fit = Without(samples.Where((_, j) => j / bars.Length % Folds != fold), start, length);
                        KeyModel model = LiveKeyModelLearner.Fit("fold", fit, HalfLife, l2);
                        for (int h = 0; h < agree.Length; h++)
                        {
                            agree[h] += Agree(new LiveKeyTracker(model, h < 2 ? 0 : 0.1, h % 2 == 0 ? 0 : 2), fold);
                        }
                    }

                    string Share(int a) => (100.0 * a / train.Count).ToString("F1", inv);
                    console.WriteLine(string.Create(inv, $"train {Folds}-fold at bar 8 {Share(agree[0])} % (confirm 2 beats: {Share(agree[1])} %; margin 0.1: {Share(agree[2])} / {Share(agree[3])} %)  model halfLife={HalfLife} bars={string.Join('+', bars)} l2={l2} {group}"));
                }
            }
        }
    }
}
