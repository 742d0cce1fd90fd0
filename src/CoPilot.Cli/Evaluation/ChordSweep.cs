using System.Globalization;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// The grid search behind <see cref="ChordMethod.Tuned"/>: <c>copilot eval chords --sweep</c>, refused on the
/// test split. Prints every setting's valid scores, best majmin first, so the choice can be checked.
/// </summary>
public static class ChordSweep
{
    /// <summary>
    /// The grid: one change at a time around <see cref="ChordMethod.Tuned"/> for the coarse choices (windows,
    /// track weights, smoothing), then the full grid over the template weights, key bonus and change penalty.
    /// </summary>
    public static IReadOnlyList<ChordMethod> Grid()
    {
        ChordMethod tuned = ChordMethod.Tuned;
        var methods = new List<ChordMethod>();
        foreach (ChordWindows windows in new[] { ChordWindows.HalfBar, ChordWindows.Bar })
        {
            foreach (double penalty in new[] { 0.0, 0.1, 0.2, 0.3, 0.5 })
            {
                methods.Add(tuned with { Name = Invariant($"tuned but {windows} windows, change={penalty}"), Windows = windows, ChangePenalty = penalty });
            }
        }

        foreach (double penalty in new[] { 0.0, 0.2, 0.3, 0.8 })
        {
            methods.Add(tuned with { Name = Invariant($"tuned but change={penalty}"), ChangePenalty = penalty });
        }

        foreach (double melody in new[] { 0.0, 0.5, 1.0 })
        {
            foreach (double bridge in new[] { 0.1, 0.5, 1.0 })
            {
                methods.Add(tuned with { Name = Invariant($"tuned but melody={melody} bridge={bridge}"), MelodyWeight = melody, BridgeWeight = bridge });
            }
        }

        foreach (double rootInBass in new[] { 0.15, 0.2 })
        {
            foreach (double extra in new[] { 0.8, 1.0, 1.2 })
            {
                foreach (double presence in new[] { 0.25, 0.4 })
                {
                    foreach (double bridge in new[] { 0.1, 0.25 })
                    {
                        foreach (double diatonic in new[] { 0.0, 0.02, 0.04 })
                        {
                            foreach (double penalty in new[] { 0.5, 0.6 })
                            {
                                ChordScoring scoring = ChordScoring.Default with { RootInBass = rootInBass, ExtraPenalty = extra, Presence = presence, Diatonic = diatonic };
                                string name = Invariant($"beat rootInBass={rootInBass} extra={extra} presence={presence} melody=0.25 bridge={bridge} key/diatonic={diatonic} change={penalty}");
                                methods.Add(new ChordMethod(name, ChordWindows.Beat, penalty, diatonic > 0, scoring, MelodyWeight: 0.25, BridgeWeight: bridge));
                            }
                        }
                    }
                }
            }
        }

        return methods;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static void Run(IAnsiConsole console, IReadOnlyList<ChordEvaluationSong> songs)
    {
        IReadOnlyList<ChordMethodScore> scores = ChordEvaluation.Evaluate(songs, Grid());
        foreach (ChordMethodScore s in scores.OrderByDescending(s => s.Scores.MajMin).ThenBy(s => s.Method.Name, StringComparer.Ordinal))
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"majmin {s.Scores.MajMin:F4} root {s.Scores.Root:F4} sevenths {s.Scores.Sevenths:F4}  {s.Method.Name}"));
        }
    }
}
