namespace CoPilot.Music;

/// <summary>The outcome of key finding: the best key, its correlation and the runner-up's.</summary>
/// <param name="Key">The best key (meaningless when <see cref="HasKey"/> is false).</param>
/// <param name="Correlation">Pearson correlation of the histogram with the key's profile, -1 … 1.</param>
/// <param name="RunnerUp">The second-best key.</param>
/// <param name="RunnerUpCorrelation">Its correlation; the gap to <see cref="Correlation"/> is a confidence measure.</param>
public readonly record struct KeyEstimate(Key Key, double Correlation, Key RunnerUp, double RunnerUpCorrelation)
{
    /// <summary>False when the histogram was empty or flat, so no key can be told.</summary>
    public bool HasKey => Correlation > 0;

    public double Margin => Correlation - RunnerUpCorrelation;

    public static KeyEstimate None => default;
}

/// <summary>
/// Key finding by profile correlation (Krumhansl and Schmuckler, in Krumhansl 1990): the Pearson correlation
/// of a pitch-class histogram with a key profile rotated to each of the 24 major and minor tonics; the best
/// correlation wins.
/// </summary>
/// <remarks>
/// Stateless after construction and allocation-free: safe to share between threads and to call live. The
/// histogram is anything with 12 non-negative bins, C first: note durations for a whole song (offline), a
/// window of it (<see cref="KeySegmenter"/>), or a time-decayed one (<see cref="LiveKeyTracker"/>).
/// </remarks>
public sealed class KeyFinder
{
    public KeyFinder(KeyProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
    }

    /// <summary>A finder with the Albrecht-Shanahan profile, the most accurate of the three on pop data.</summary>
    public KeyFinder()
        : this(KeyProfiles.AlbrechtShanahan)
    {
    }

    public KeyProfile Profile { get; }

    /// <summary>
    /// Correlations for all 24 keys, indexed as <see cref="Key.Index"/> (major 0-11, minor 12-23). All zero
    /// when the histogram is flat or empty.
    /// </summary>
    public void Score(ReadOnlySpan<double> histogram, Span<double> scores)
    {
        if (histogram.Length != PitchClass.Count)
        {
            throw new ArgumentException("A pitch-class histogram has 12 bins.", nameof(histogram));
        }

        if (scores.Length < Key.MajorMinorCount)
        {
            throw new ArgumentException("Scores need room for 24 keys.", nameof(scores));
        }

        Span<double> centred = stackalloc double[PitchClass.Count];
        double mean = 0;
        for (int i = 0; i < PitchClass.Count; i++)
        {
            mean += histogram[i];
        }

        mean /= PitchClass.Count;
        double sumSquares = 0;
        for (int i = 0; i < PitchClass.Count; i++)
        {
            centred[i] = histogram[i] - mean;
            sumSquares += centred[i] * centred[i];
        }

        // A flat histogram (nothing played, or all twelve equally) correlates with nothing.
        double norm = Math.Sqrt(sumSquares);
        if (!(norm > 1e-12 * Math.Max(1.0, Math.Abs(mean))))
        {
            scores[..Key.MajorMinorCount].Clear();
            return;
        }

        ScoreMode(centred, Profile.CentredMajor, norm * Profile.MajorNorm, scores[..PitchClass.Count]);
        ScoreMode(centred, Profile.CentredMinor, norm * Profile.MinorNorm, scores.Slice(PitchClass.Count, PitchClass.Count));
    }

    private static void ScoreMode(ReadOnlySpan<double> centred, ReadOnlySpan<double> profile, double denominator, Span<double> scores)
    {
        for (int tonic = 0; tonic < PitchClass.Count; tonic++)
        {
            double dot = 0;
            for (int degree = 0; degree < PitchClass.Count; degree++)
            {
                int pc = tonic + degree;
                dot += centred[pc < PitchClass.Count ? pc : pc - PitchClass.Count] * profile[degree];
            }

            scores[tonic] = dot / denominator;
        }
    }

    /// <summary>The best key for a 12-bin pitch-class histogram, C first.</summary>
    public KeyEstimate FindKey(ReadOnlySpan<double> histogram)
    {
        Span<double> scores = stackalloc double[Key.MajorMinorCount];
        Score(histogram, scores);
        return Best(scores);
    }

    /// <summary>The best key for a whole piece: its notes' durations summed per pitch class.</summary>
    public KeyEstimate FindKey(ReadOnlySpan<TimedNote> notes)
    {
        Span<double> histogram = stackalloc double[PitchClass.Count];
        histogram.Clear();
        PitchClassHistogram.Accumulate(notes, histogram);
        return FindKey(histogram);
    }

    /// <summary>The best key for (pitch, duration) pairs.</summary>
    public KeyEstimate FindKey(ReadOnlySpan<(int Pitch, double Duration)> notes)
    {
        Span<double> histogram = stackalloc double[PitchClass.Count];
        histogram.Clear();
        PitchClassHistogram.Accumulate(notes, histogram);
        return FindKey(histogram);
    }

    /// <summary>The best and second-best of 24 scores (ties go to the lower index: major before minor, C first).</summary>
    public static KeyEstimate Best(ReadOnlySpan<double> scores)
    {
        int best = BestIndex(scores, -1);
        if (scores[best] <= 0)
        {
            return KeyEstimate.None;
        }

        int second = BestIndex(scores, best);
        return new KeyEstimate(Key.FromIndex(best), scores[best], Key.FromIndex(second), scores[second]);
    }

    internal static int BestIndex(ReadOnlySpan<double> scores, int exclude)
    {
        int best = exclude == 0 ? 1 : 0;
        for (int i = 0; i < Key.MajorMinorCount; i++)
        {
            if (i != exclude && scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
