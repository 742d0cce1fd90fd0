namespace CoPilot.Music;

/// <summary>
/// A key model that weighs more evidence than one pitch-class histogram: a log-linear (multinomial logistic)
/// model over the 24 keys whose features, for each candidate key, are the profile correlation and four
/// histograms read in that key's degrees: all notes by duration, bass by duration, note onsets, and the
/// major and minor triads that sounded, by duration (24 bins: major triads on C … B, then minor).
/// </summary>
/// <remarks>
/// <para>
/// Why: 8 bars of pop often fit the relative key or a key a fifth away slightly better than the key the song
/// settles in, because the two share most pitch classes. What separates them is where the harmony rests: the
/// pitch classes in the bass (the chord roots), the ones struck most often, and which triads the notes form (C
/// major and A minor share their pitch classes but not their triads' durations). A correlation cannot weigh
/// those; a model learned on POP909 train can, and it also learns the prior that pop is mostly major.
/// </para>
/// <para>
/// The score of key k is <c>bias[mode] + Σ w[mode][j]·x_k[j]</c>, turned into probabilities by a softmax.
/// Every feature is rotated to the key's tonic, so one weight vector per mode serves all twelve tonics
/// (the model is transposition invariant). The histograms are normalised to sum 1, so loudness and tempo do
/// not matter. Scoring is 24 dot products of <see cref="FeatureCount"/> terms and allocation-free.
/// </para>
/// </remarks>
public sealed class KeyModel
{
    /// <summary>Bins of the triad histogram: major triads on C … B, then minor triads (as <see cref="Key.Index"/>).</summary>
    public const int TriadCount = Key.MajorMinorCount;

    /// <summary>Features per key: correlation, 12 degrees each of duration, bass and onset histograms, 24 triads.</summary>
    public const int FeatureCount = 1 + (3 * PitchClass.Count) + TriadCount;

    /// <summary>Weights per mode: the features, then the bias.</summary>
    public const int WeightCount = FeatureCount + 1;

    private const int DurationOffset = 1;
    private const int BassOffset = DurationOffset + PitchClass.Count;
    private const int OnsetOffset = BassOffset + PitchClass.Count;
    private const int TriadOffset = OnsetOffset + PitchClass.Count;

    private readonly double[] _weights; // major then minor, WeightCount each
    private readonly KeyFinder _finder;

    /// <param name="name">Shown in reports.</param>
    /// <param name="profile">The profile whose correlation is the first feature.</param>
    /// <param name="halfLifeBeats">The histogram half-life the weights were learned with; the tracker uses it.</param>
    /// <param name="major">Weights of a major key (<see cref="WeightCount"/>: features, then bias).</param>
    /// <param name="minor">Weights of a minor key.</param>
    public KeyModel(string name, KeyProfile profile, double halfLifeBeats, ReadOnlySpan<double> major, ReadOnlySpan<double> minor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(halfLifeBeats);
        if (major.Length != WeightCount || minor.Length != WeightCount)
        {
            throw new ArgumentException($"A key model has {WeightCount} weights per mode.");
        }

        Name = name;
        Profile = profile;
        HalfLifeBeats = halfLifeBeats;
        _finder = new KeyFinder(profile);
        _weights = new double[2 * WeightCount];
        major.CopyTo(_weights);
        minor.CopyTo(_weights.AsSpan(WeightCount));
    }

    public string Name { get; }

    public KeyProfile Profile { get; }

    public double HalfLifeBeats { get; }

    public ReadOnlySpan<double> MajorWeights => _weights.AsSpan(0, WeightCount);

    public ReadOnlySpan<double> MinorWeights => _weights.AsSpan(WeightCount);

    /// <summary>
    /// The features of all 24 keys (<see cref="FeatureCount"/> each, keys indexed as <see cref="Key.Index"/>)
    /// from the three pitch-class histograms (C first) and the triad histogram (<see cref="TriadCount"/> bins).
    /// Allocation-free.
    /// </summary>
    public void Features(ReadOnlySpan<double> durations, ReadOnlySpan<double> bass, ReadOnlySpan<double> onsets, ReadOnlySpan<double> triads, Span<double> features)
    {
        if (features.Length < Key.MajorMinorCount * FeatureCount)
        {
            throw new ArgumentException("Features need room for 24 keys.", nameof(features));
        }

        Span<double> correlations = stackalloc double[Key.MajorMinorCount];
        _finder.Score(durations, correlations);
        Span<double> d = stackalloc double[PitchClass.Count];
        Span<double> b = stackalloc double[PitchClass.Count];
        Span<double> o = stackalloc double[PitchClass.Count];
        Span<double> t = stackalloc double[TriadCount];
        Normalise(durations, d);
        Normalise(bass, b);
        Normalise(onsets, o);
        Normalise(triads, t);
        for (int k = 0; k < Key.MajorMinorCount; k++)
        {
            Span<double> x = features.Slice(k * FeatureCount, FeatureCount);
            int tonic = k % PitchClass.Count;
            x[0] = correlations[k];
            for (int degree = 0; degree < PitchClass.Count; degree++)
            {
                int pc = tonic + degree;
                pc = pc < PitchClass.Count ? pc : pc - PitchClass.Count;
                x[DurationOffset + degree] = d[pc];
                x[BassOffset + degree] = b[pc];
                x[OnsetOffset + degree] = o[pc];
                x[TriadOffset + degree] = t[pc];
                x[TriadOffset + PitchClass.Count + degree] = t[PitchClass.Count + pc];
            }
        }
    }

    /// <summary>Key probabilities (summing to 1) from <see cref="Features"/>, indexed as <see cref="Key.Index"/>.</summary>
    public void Probabilities(ReadOnlySpan<double> features, Span<double> probabilities) =>
        Probabilities(features, _weights, probabilities);

    /// <summary>The softmax of the 24 linear scores for the given weights (major then minor): shared with training.</summary>
    public static void Probabilities(ReadOnlySpan<double> features, ReadOnlySpan<double> weights, Span<double> probabilities)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < Key.MajorMinorCount; k++)
        {
            ReadOnlySpan<double> w = weights.Slice(k < PitchClass.Count ? 0 : WeightCount, WeightCount);
            ReadOnlySpan<double> x = features.Slice(k * FeatureCount, FeatureCount);
            double s = w[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
            {
                s += w[j] * x[j];
            }

            probabilities[k] = s;
            max = Math.Max(max, s);
        }

        double total = 0;
        for (int k = 0; k < Key.MajorMinorCount; k++)
        {
            probabilities[k] = Math.Exp(probabilities[k] - max);
            total += probabilities[k];
        }

        for (int k = 0; k < Key.MajorMinorCount; k++)
        {
            probabilities[k] /= total;
        }
    }

    private static void Normalise(ReadOnlySpan<double> histogram, Span<double> shares)
    {
        if (histogram.Length != shares.Length)
        {
            throw new ArgumentException($"This histogram has {shares.Length} bins.", nameof(histogram));
        }

        double total = 0;
        foreach (double h in histogram)
        {
            total += h;
        }

        for (int i = 0; i < shares.Length; i++)
        {
            shares[i] = total > 0 ? histogram[i] / total : 0;
        }
    }
}

/// <summary>Key models learned in this project.</summary>
public static class KeyModels
{
    /// <summary>The switch margin (in probability) <see cref="Pop909"/> was chosen with on POP909 valid.</summary>
    public const double Pop909SwitchMargin = 0.1;

    /// <summary>
    /// Learned on the 728 POP909 train songs (CoPilot.Cli <c>LiveKeyModelLearner</c>): each song heard by a live
    /// tracker (half-life 32 beats) up to the end of bars 6, 8 and 10, the target the tuned offline analysis's
    /// key there; L2 1e-4, weights rounded to four decimals. <c>copilot eval keys</c> learns it again on every
    /// full run and says whether it still matches these numbers. With <see cref="Pop909SwitchMargin"/> it agrees
    /// with the offline key after 8 bars on more POP909 valid songs than any histogram tracker
    /// (docs/evaluation/keys.md).
    /// </summary>
    public static KeyModel Pop909 { get; } = new(
        "POP909 train",
        KeyProfiles.Pop909,
        32,

        // Per mode: correlation; duration, bass and onset shares on degrees 0-11 from the tonic; major triads
        // on degrees 0-11; minor triads on degrees 0-11; bias.
        [
            6.8223,
            1.699, -0.3769, 1.2149, -1.109, 1.075, 0.2684, -2.0505, 2.6674, 1.1983, -2.2353, -1.659, 0.0755,
            1.5104, -1.802, -2.5049, -0.7847, -1.5532, 2.5588, -0.9786, -0.82, 3.2659, 0.407, -0.4763, 1.7681,
            4.2257, -0.492, 0.2642, -1.4485, 5.5014, -0.7043, -3.499, 3.6703, -0.225, -2.17, -3.9698, -1.1243,
            1.9166, -0.6847, -0.7511, -0.9487, -0.8528, 1.3919, 0.0412, 2.6113, -0.0197, 0.9909, 0.2519, -0.959,
            -3.6215, 0.3621, 3.1224, 0.6686, 2.3033, 1.525, -0.4048, -5.1772, 0.2121, 3.3533, -0.997, -3.2956,
            0.5612
        ],
        [
            6.6079,
            3.3322, -1.8466, -0.2035, 0.0761, -1.2283, 1.5527, -0.4421, 2.4512, -0.1278, -3.0738, -0.1699, 0.2286,
            2.8892, -3.2331, -1.7559, -0.082, -0.6149, -0.9113, -0.3077, 1.4694, 0.7357, -1.7454, 3.9028, 0.0116,
            1.786, -1.7208, 1.1063, 4.3753, -1.4612, -0.7638, -0.3214, 2.5697, -0.3335, -3.6626, -1.6163, 0.2742,
            -3.5913, -2.4576, -0.9307, 1.5769, -0.0407, -1.6225, -0.2316, 2.2523, 0.4468, -0.0107, 2.1153, -0.0061,
            3.7738, -0.1099, -3.0484, -0.8629, -0.6073, 2.3911, -0.0024, 1.8268, -0.7218, -0.5342, 0.1116, -0.0781,
            -0.5612
        ]);
}
