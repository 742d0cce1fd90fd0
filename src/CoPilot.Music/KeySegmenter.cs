namespace CoPilot.Music;

/// <summary>A stretch of a piece in one key.</summary>
/// <param name="Key">The key.</param>
/// <param name="StartBeat">First beat of the segment (a window boundary).</param>
/// <param name="EndBeat">Beat after its end.</param>
/// <param name="MeanCorrelation">Average correlation of its windows with the key.</param>
public readonly record struct KeySegment(Key Key, double StartBeat, double EndBeat, double MeanCorrelation);

/// <summary>
/// Finds modulations offline: the piece is cut into windows (8 bars of 4/4 by default), each window's
/// duration-weighted histogram is correlated with the 24 keys, and dynamic programming (Viterbi) picks the key
/// sequence that maximises the summed correlation minus a penalty per key change. The penalty is what keeps
/// the answer from flipping every window when a passage leans briefly towards the dominant.
/// </summary>
/// <remarks>Offline only: allocates its result and work arrays.</remarks>
public sealed class KeySegmenter
{
    private readonly KeyFinder _finder;

    /// <param name="profile">Key profile; Albrecht-Shanahan when null.</param>
    /// <param name="windowBeats">Window length in beats (32 = 8 bars of 4/4). Windows start at beat 0.</param>
    /// <param name="switchPenalty">
    /// Correlation given up per key change; 0 picks the best key of every window. The default 0.2 sits between
    /// what 8 bars firmly in the dominant gain over the old tonic (about 0.3 with these profiles: a real
    /// modulation switches) and what one window must gain to flip away and back (2 × 0.2: a passing
    /// tonicisation does not).
    /// </param>
    public KeySegmenter(KeyProfile? profile = null, double windowBeats = 32, double switchPenalty = 0.2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowBeats);
        ArgumentOutOfRangeException.ThrowIfNegative(switchPenalty);
        _finder = new KeyFinder(profile ?? KeyProfiles.AlbrechtShanahan);
        WindowBeats = windowBeats;
        SwitchPenalty = switchPenalty;
    }

    public double WindowBeats { get; }

    public double SwitchPenalty { get; }

    /// <summary>Key segments in time order, adjacent and non-overlapping; empty when there are no notes.</summary>
    public IReadOnlyList<KeySegment> Segment(ReadOnlySpan<TimedNote> notes)
    {
        double end = 0;
        foreach (TimedNote note in notes)
        {
            end = Math.Max(end, note.EndBeat);
        }

        int windows = (int)Math.Ceiling(end / WindowBeats);
        if (windows == 0)
        {
            return [];
        }

        const int K = Key.MajorMinorCount;
        var scores = new double[windows * K];
        Span<double> histogram = stackalloc double[PitchClass.Count];
        for (int w = 0; w < windows; w++)
        {
            histogram.Clear();
            PitchClassHistogram.Accumulate(notes, w * WindowBeats, (w + 1) * WindowBeats, histogram);
            _finder.Score(histogram, scores.AsSpan(w * K, K));
        }

        int[] path = Viterbi(scores, windows, SwitchPenalty);

        var segments = new List<KeySegment>();
        int start = 0;
        for (int w = 1; w <= windows; w++)
        {
            if (w == windows || path[w] != path[start])
            {
                double sum = 0;
                for (int i = start; i < w; i++)
                {
                    sum += scores[(i * K) + path[start]];
                }

                segments.Add(new KeySegment(Key.FromIndex(path[start]), start * WindowBeats, w * WindowBeats, sum / (w - start)));
                start = w;
            }
        }

        return segments;
    }

    /// <summary>
    /// The key index per window maximising Σ score − penalty × changes. <paramref name="scores"/> holds 24
    /// scores per window, window-major.
    /// </summary>
    public static int[] Viterbi(ReadOnlySpan<double> scores, int windows, double switchPenalty)
    {
        const int K = Key.MajorMinorCount;
        if (scores.Length < windows * K)
        {
            throw new ArgumentException("24 scores per window.", nameof(scores));
        }

        var back = new int[windows * K];
        var total = new double[K];
        var next = new double[K];
        scores[..K].CopyTo(total);
        for (int w = 1; w < windows; w++)
        {
            int bestPrevious = 0;
            for (int k = 1; k < K; k++)
            {
                if (total[k] > total[bestPrevious])
                {
                    bestPrevious = k;
                }
            }

            for (int k = 0; k < K; k++)
            {
                double stay = total[k];
                double change = total[bestPrevious] - switchPenalty;
                bool switchKey = change > stay;
                back[(w * K) + k] = switchKey ? bestPrevious : k;
                next[k] = (switchKey ? change : stay) + scores[(w * K) + k];
            }

            (total, next) = (next, total);
        }

        var path = new int[windows];
        int last = 0;
        for (int k = 1; k < K; k++)
        {
            if (total[k] > total[last])
            {
                last = k;
            }
        }

        for (int w = windows - 1; w >= 0; w--)
        {
            path[w] = last;
            last = back[(w * K) + last];
        }

        return path;
    }
}
