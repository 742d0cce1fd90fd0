namespace CoPilot.Music;

/// <summary>
/// A key model that weighs more evidence than one pitch-class histogram: a log-linear (multinomial logistic)
/// model over the 24 keys whose features, for each candidate key, are the profile correlation and three
/// histograms read in that key's degrees (all notes by duration, bass notes by duration, note onsets).
/// </summary>
/// <remarks>
/// <para>
/// Why: 8 bars of pop often fit the relative key or a key a fifth away slightly better than the key the song
/// settles in, because the two share most pitch classes. What separates them is where the harmony rests: the
/// pitch classes in the bass (the chord roots) and the ones struck most often. A correlation cannot weigh
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
    /// <summary>Features per key: correlation, then 12 degrees each of duration, bass and onset histograms.</summary>
    public const int FeatureCount = 1 + (3 * PitchClass.Count);

    /// <summary>Weights per mode: the features, then the bias.</summary>
    public const int WeightCount = FeatureCount + 1;

    private const int DurationOffset = 1;
    private const int BassOffset = DurationOffset + PitchClass.Count;
    private const int OnsetOffset = BassOffset + PitchClass.Count;

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
    /// from the three histograms, C first. Allocation-free.
    /// </summary>
    public void Features(ReadOnlySpan<double> durations, ReadOnlySpan<double> bass, ReadOnlySpan<double> onsets, Span<double> features)
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
        Normalise(durations, d);
        Normalise(bass, b);
        Normalise(onsets, o);
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
        if (histogram.Length != PitchClass.Count)
        {
            throw new ArgumentException("A pitch-class histogram has 12 bins.", nameof(histogram));
        }

        double total = 0;
        foreach (double h in histogram)
        {
            total += h;
        }

        for (int pc = 0; pc < PitchClass.Count; pc++)
        {
            shares[pc] = total > 0 ? histogram[pc] / total : 0;
        }
    }
}
