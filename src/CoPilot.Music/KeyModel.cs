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
    /// full run and says whether it still matches these numbers. After 8 bars it agrees with the offline key on
    /// 87.4 % of train songs out-of-fold, 85.7 % of valid and 80.0 % of test songs; the best histogram tracker
    /// 83.7, 82.4 and 82.2 % (docs/evaluation/keys.md).
    /// </summary>
    public static KeyModel Pop909 { get; } = new(
        "POP909 train",
        KeyProfiles.Pop909,
        128,

        // Per mode: correlation; duration, bass and onset shares on degrees 0-11 from the tonic; major triads
        // on degrees 0-11; minor triads on degrees 0-11; bias.
        [
            6.7041,
            1.8592, -0.5714, 0.9962, -1.1337, 1.2783, 0.2766, -1.6024, 2.3933, 1.414, -2.2751, -1.5887, -0.2699,
            2.0716, -2.0093, -2.3855, -0.6974, -2.1452, 2.6547, -0.8825, -0.7804, 3.4681, 0.0672, -0.3706, 1.4902,
            4.1161, -0.6098, 0.2187, -1.6343, 5.4439, -0.6001, -3.1395, 3.7883, -0.3928, -2.0888, -3.7195, -1.3544,
            1.5389, -0.8738, -1.3376, -0.3906, -1.0558, 1.3004, 0.0473, 2.6371, 0.0494, 1.2032, 0.4629, -0.6504,
            -3.315, 0.4971, 2.5756, -0.0254, 2.9779, 1.7318, -0.4914, -4.9556, 0.4383, 3.593, -0.8219, -3.5955,
            0.5929
        ],
        [
            6.5476,
            3.3587, -1.5456, -0.5829, 0.0917, -1.0014, 0.9659, -0.442, 2.8611, -0.2986, -2.9755, 0.2943, -0.2119,
            3.2537, -2.9677, -1.4847, 0.3216, -0.4296, -1.4168, -0.3037, 1.6863, 0.4816, -1.7425, 3.4124, -0.5102,
            1.4099, -1.4586, 0.698, 4.2888, -1.2874, -0.8305, -0.2924, 2.884, -0.5927, -3.3662, -1.2026, -0.0071,
            -3.806, -2.8289, -0.9942, 0.9748, -0.04, -1.0499, -0.2828, 2.3395, 0.9076, -0.0104, 2.4856, -0.0425,
            3.441, -0.0782, -2.9022, -0.8408, -0.304, 3.0052, -0.0018, 1.0383, -0.623, -0.4469, -0.5696, -0.0439,
            -0.5929
        ]);
}
