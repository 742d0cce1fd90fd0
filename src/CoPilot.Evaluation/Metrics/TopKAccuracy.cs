namespace CoPilot.Evaluation.Metrics;

/// <summary>
/// Top-k accuracy of ranked predictions: the share of cases whose answer is among the first k. Add the
/// answer's 0-based rank per case (<see cref="Ranking.RankOf(ReadOnlySpan{double}, int)"/>, or
/// <see cref="int.MaxValue"/> when it was not ranked at all).
/// </summary>
public sealed class TopKAccuracy
{
    private readonly long[] _hits;

    /// <param name="maxK">The largest k asked for.</param>
    public TopKAccuracy(int maxK = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxK, 1);
        _hits = new long[maxK];
    }

    public long Count { get; private set; }

    public int MaxK => _hits.Length;

    public void Add(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        Count++;
        for (int k = rank; k < _hits.Length; k++)
        {
            _hits[k]++;
        }
    }

    /// <summary>Cases whose rank was below <paramref name="k"/>.</summary>
    public long Hits(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
        return _hits[k - 1];
    }

    public Proportion Accuracy(int k) => new(Hits(k), Count);
}

/// <summary>Ranks of scored candidates.</summary>
public static class Ranking
{
    /// <summary>
    /// The 0-based rank of <paramref name="target"/>: how many candidates score higher, or equal with a lower
    /// index (ties go to the lower index, as <see cref="TopK"/> orders them and as ChordSuggester breaks them).
    /// </summary>
    public static int RankOf(ReadOnlySpan<double> scores, int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, scores.Length);
        double s = scores[target];
        int rank = 0;
        for (int c = 0; c < scores.Length; c++)
        {
            if (scores[c] > s || (scores[c] == s && c < target))
            {
                rank++;
            }
        }

        return rank;
    }

    /// <inheritdoc cref="RankOf(ReadOnlySpan{double}, int)"/>
    public static int RankOf(ReadOnlySpan<float> scores, int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, scores.Length);
        float s = scores[target];
        int rank = 0;
        for (int c = 0; c < scores.Length; c++)
        {
            if (scores[c] > s || (scores[c] == s && c < target))
            {
                rank++;
            }
        }

        return rank;
    }

    /// <summary>
    /// Writes the indices of the <c>best.Length</c> highest scores into <paramref name="best"/>, best first,
    /// ties to the lower index; returns how many were written (fewer when there are fewer candidates).
    /// </summary>
    public static int TopK(ReadOnlySpan<double> scores, Span<int> best)
    {
        int k = Math.Min(best.Length, scores.Length);
        int filled = 0;
        for (int c = 0; c < scores.Length; c++)
        {
            // Insertion into the short sorted list: k is 1 to 5 in practice.
            int at = filled;
            while (at > 0 && scores[best[at - 1]] < scores[c])
            {
                at--;
            }

            if (at >= k)
            {
                continue;
            }

            int last = Math.Min(filled, k - 1);
            for (int j = last; j > at; j--)
            {
                best[j] = best[j - 1];
            }

            best[at] = c;
            filled = Math.Min(filled + 1, k);
        }

        return filled;
    }
}
