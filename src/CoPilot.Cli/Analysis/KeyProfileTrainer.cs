using CoPilot.Music;

namespace CoPilot.Cli.Analysis;

/// <summary>
/// Learns a key profile from labelled songs the way Albrecht and Shanahan (2013) built theirs from
/// common-practice scores: each song's duration-weighted pitch-class distribution (summing to 1) is rotated so
/// its labelled tonic comes first, and the distributions are averaged per mode. On pop music this captures what
/// classical profiles miss: pop minor is mostly Aeolian, with a strong flat seventh and a weak leading note.
/// </summary>
public sealed class KeyProfileTrainer
{
    private readonly double[] _major = new double[PitchClass.Count];
    private readonly double[] _minor = new double[PitchClass.Count];

    public int MajorSongs { get; private set; }

    public int MinorSongs { get; private set; }

    /// <summary>Adds one song in one key (<paramref name="histogram"/>: 12 bins, C first).</summary>
    public void Add(ReadOnlySpan<double> histogram, Key key)
    {
        double total = 0;
        foreach (double h in histogram)
        {
            total += h;
        }

        if (!(total > 0) || key.Index < 0)
        {
            return;
        }

        double[] target = key.Mode == Mode.Major ? _major : _minor;
        int tonic = key.TonicPitchClass.Value;
        for (int degree = 0; degree < PitchClass.Count; degree++)
        {
            target[degree] += histogram[(tonic + degree) % PitchClass.Count] / total;
        }

        if (key.Mode == Mode.Major)
        {
            MajorSongs++;
        }
        else
        {
            MinorSongs++;
        }
    }

    /// <summary>The averaged distributions, rounded to 3 decimals as published profiles are.</summary>
    public KeyProfile Build(string name)
    {
        if (MajorSongs == 0 || MinorSongs == 0)
        {
            throw new InvalidOperationException("A profile needs songs in both modes.");
        }

        double[] major = [.. _major.Select(v => Math.Round(v / MajorSongs, 3))];
        double[] minor = [.. _minor.Select(v => Math.Round(v / MinorSongs, 3))];
        return new KeyProfile(name, major, minor);
    }
}
