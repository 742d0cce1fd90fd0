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
    /// <summary>The switch margin (in probability) <see cref="Pop909"/> was chosen with (cross-validation on POP909 train).</summary>
    public const double Pop909SwitchMargin = 0;

    /// <summary>
    /// Learned on the 728 POP909 train songs (CoPilot.Cli <c>LiveKeyModelLearner</c>): each song heard by a live
    /// tracker (half-life 128 beats) up to the end of bars 6, 8 and 10, the target the tuned offline analysis's
    /// key there; L2 1e-4, weights rounded to four decimals. <c>copilot eval keys</c> learns it again on every
    /// full run and says whether it still matches these numbers. With <see cref="Pop909SwitchMargin"/> it agrees
    /// with the offline key after 8 bars on more POP909 valid songs than any histogram tracker
    /// (docs/evaluation/keys.md).
    /// </summary>
    public static KeyModel Pop909 { get; } = new(
        "POP909 train",
        KeyProfiles.Pop909,
        128,

        // Per mode: correlation; duration, bass and onset shares on degrees 0-11 from the tonic; major triads
        // on degrees 0-11; minor triads on degrees 0-11; bias.
        [
            6.6548,
            1.839, -0.4026, 0.9299, -1.0408, 1.1688, 0.1123, -1.8308, 2.5408, 1.3846, -2.4115, -1.5894, 0.0581,
            1.846, -1.904, -2.6246, -0.5954, -1.7239, 2.6528, -1.0691, -0.854, 3.6499, 0.2866, -0.4283, 1.307,
            4.0675, -0.512, 0.1064, -1.4942, 5.5176, -0.8189, -3.3803, 3.8089, -0.3034, -2.1231, -3.7614, -1.0858,
            1.9495, -0.8744, -0.7552, -0.8866, -0.5587, 1.4234, 0.0531, 2.631, -0.1852, 1.0099, 0.4258, -0.874,
            -3.7386, 0.4536, 2.9502, 0.6157, 2.1555, 1.4981, -0.4352, -5.128, 0.2107, 3.3821, -0.923, -3.3357,
            0.6184
        ],
        [
            6.5832,
            3.3594, -1.7953, -0.2107, 0.0176, -1.1215, 1.3703, -0.4438, 2.4779, -0.1322, -3.0459, -0.0825, 0.1322,
            3.0264, -3.2187, -1.6754, -0.01, -0.468, -1.0221, -0.2969, 1.4926, 0.6211, -1.7666, 3.8517, -0.1965,
            1.7751, -1.7064, 0.9618, 4.3799, -1.3444, -0.8039, -0.2604, 2.6239, -0.4542, -3.5955, -1.611, 0.2694,
            -3.4966, -2.5805, -0.9399, 1.5922, -0.0451, -1.6491, -0.2757, 2.2865, 0.3414, -0.009, 1.9897, -0.083,
            3.6685, -0.1117, -2.961, -0.8261, -0.4715, 2.4148, -0.0024, 1.7625, -0.7389, -0.5875, 0.4371, -0.0632,
            -0.6184
        ]);
}
