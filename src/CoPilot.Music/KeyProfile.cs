namespace CoPilot.Music;

/// <summary>
/// A key profile: the expected weight of each of the twelve pitch classes, tonic first, in a major and in a
/// minor key. Key finding correlates a piece's pitch-class histogram with the profile rotated to each of
/// the 24 tonics (Krumhansl and Schmuckler's method).
/// </summary>
/// <remarks>
/// Correlation ignores the profile's scale and offset, so the arrays are kept as published. The mean-centred
/// copies and their norms are computed once here so scoring a key is a 12-term dot product.
/// </remarks>
public sealed class KeyProfile
{
    private readonly double[] _major;
    private readonly double[] _minor;
    private readonly double[] _centred; // 24: major then minor, mean removed

    public KeyProfile(string name, ReadOnlySpan<double> major, ReadOnlySpan<double> minor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (major.Length != PitchClass.Count || minor.Length != PitchClass.Count)
        {
            throw new ArgumentException("Key profiles have 12 weights, tonic first.");
        }

        Name = name;
        _major = major.ToArray();
        _minor = minor.ToArray();
        _centred = new double[2 * PitchClass.Count];
        MajorNorm = Centre(major, _centred.AsSpan(0, PitchClass.Count));
        MinorNorm = Centre(minor, _centred.AsSpan(PitchClass.Count));
        if (MajorNorm == 0 || MinorNorm == 0)
        {
            throw new ArgumentException("A flat profile cannot be correlated.");
        }
    }

    public string Name { get; }

    /// <summary>Weights for a major key, tonic first.</summary>
    public ReadOnlySpan<double> Major => _major;

    /// <summary>Weights for a minor key, tonic first.</summary>
    public ReadOnlySpan<double> Minor => _minor;

    internal ReadOnlySpan<double> CentredMajor => _centred.AsSpan(0, PitchClass.Count);

    internal ReadOnlySpan<double> CentredMinor => _centred.AsSpan(PitchClass.Count);

    internal double MajorNorm { get; }

    internal double MinorNorm { get; }

    private static double Centre(ReadOnlySpan<double> values, Span<double> centred)
    {
        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double sumSquares = 0;
        for (int i = 0; i < values.Length; i++)
        {
            centred[i] = values[i] - mean;
            sumSquares += centred[i] * centred[i];
        }

        return Math.Sqrt(sumSquares);
    }

    public override string ToString() => Name;
}

/// <summary>The published key profiles, and one learned from POP909 in this project (<see cref="Pop909"/>).</summary>
public static class KeyProfiles
{
    /// <summary>
    /// Krumhansl, C. L. and Kessler, E. J. (1982). "Tracing the dynamic changes in perceived tonal organization
    /// in a spatial representation of musical keys." Psychological Review 89(4), 334-368: probe-tone ratings,
    /// as used by Krumhansl and Schmuckler (Krumhansl 1990, Cognitive Foundations of Musical Pitch).
    /// </summary>
    public static KeyProfile KrumhanslKessler { get; } = new(
        "Krumhansl-Kessler",
        [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
        [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]);

    /// <summary>
    /// Temperley, D. (2007). Music and Probability, MIT Press, table 6.1: the proportion of segments containing
    /// each scale degree in the Kostka-Payne harmony-textbook corpus (also music21's "TemperleyKostkaPayne").
    /// </summary>
    public static KeyProfile Temperley { get; } = new(
        "Temperley (Kostka-Payne)",
        [0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400],
        [0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330]);

    /// <summary>
    /// Temperley, D. (1999). "What's key for key? The Krumhansl-Schmuckler key-finding algorithm reconsidered."
    /// Music Perception 17(1), 65-100: the hand-revised profiles (also in The Cognition of Basic Musical
    /// Structures, 2001).
    /// </summary>
    public static KeyProfile Temperley1999 { get; } = new(
        "Temperley 1999",
        [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0],
        [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0]);

    /// <summary>
    /// Albrecht, J. and Shanahan, D. (2013). "The use of large corpora to train a new type of key-finding
    /// algorithm: An improved treatment of the minor mode." Music Perception 31(1), 59-67: duration-weighted
    /// pitch-class distributions of a corpus of 490 common-practice pieces.
    /// </summary>
    public static KeyProfile AlbrechtShanahan { get; } = new(
        "Albrecht-Shanahan",
        [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081],
        [0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052]);

    /// <summary>
    /// A key profile of pop music, learned in this project from the POP909 train split (Wang et al. 2020) with
    /// Albrecht and Shanahan's recipe: the averaged duration-weighted pitch-class distributions of the 599 train
    /// songs with one labelled key (key_audio.txt; MELODY, BRIDGE and PIANO tracks), each rotated to its labelled
    /// tonic, per mode, rounded to three decimals. <c>copilot eval keys</c> (CoPilot.Cli, Pop909ProfileLearner)
    /// learns it again from the data on every full run and says whether it still matches these numbers.
    /// </summary>
    /// <remarks>
    /// Against Albrecht-Shanahan's common-practice profile, pop minor is Aeolian: the flat seventh weighs 0.126
    /// (A-S 0.061) and the leading note 0.009 (A-S 0.052), so a minor song full of its relative major's dominant
    /// chord is no longer taken for the relative major, which was the commonest error of the published profiles
    /// on POP909 (docs/evaluation/keys.md).
    /// </remarks>
    public static KeyProfile Pop909 { get; } = new(
        "POP909 train",
        [0.217, 0.001, 0.134, 0.001, 0.148, 0.083, 0.003, 0.210, 0.004, 0.128, 0.004, 0.066],
        [0.238, 0.001, 0.081, 0.148, 0.002, 0.124, 0.001, 0.203, 0.065, 0.004, 0.126, 0.009]);
}
