using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Evaluation;

/// <summary>A song's labelled key segments, parsed.</summary>
/// <param name="Segments">Each key with the fraction of the labelled time it covers (fractions sum to 1).</param>
public sealed record ReferenceKeys(IReadOnlyList<(Key Key, double Fraction)> Segments)
{
    /// <summary>
    /// The key that covers most of the labelled time: the reference of the one-key-per-piece MIREX task.
    /// </summary>
    public Key Main => Segments.MaxBy(s => s.Fraction).Key;

    public bool HasModulation => Segments.Select(s => s.Key.Index).Distinct().Count() > 1;

    /// <summary>The MIREX weight of <paramref name="estimate"/> against each segment, weighted by the segment's share of time.</summary>
    public double TimeWeightedScore(Key estimate) => Segments.Sum(s => s.Fraction * MirexKeyScore.Score(estimate, s.Key));

    /// <summary>Parses POP909 key_audio.txt labels ("Gb:maj", "F:min"); null with a reason when there are none or one does not parse.</summary>
    public static ReferenceKeys? From(IReadOnlyList<KeyLabel> labels, out string? problem)
    {
        problem = null;
        var parsed = new List<(Key, double)>();
        double total = 0;
        foreach (KeyLabel label in labels)
        {
            if (!Key.TryParse(label.Label, out Key key) || key.Index < 0)
            {
                problem = $"key label '{label.Label}' is not a major or minor key";
                return null;
            }

            double length = Math.Max(0, (label.EndSeconds ?? label.EndBeat) - (label.StartSeconds ?? label.StartBeat));
            parsed.Add((key, length));
            total += length;
        }

        if (parsed.Count == 0 || !(total > 0))
        {
            problem = "no key label";
            return null;
        }

        return new ReferenceKeys([.. parsed.Select(p => (p.Item1, p.Item2 / total))]);
    }
}
