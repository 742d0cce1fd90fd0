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
}
