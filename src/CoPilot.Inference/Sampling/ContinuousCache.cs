namespace CoPilot.Inference.Sampling;

/// <summary>
/// The song's memory in the model's own terms: the model's final hidden state before each earlier chord change,
/// with the chord it changed to. A continuous cache (Grave, Joulin and Usunier, "Improving Neural Language Models
/// with a Continuous Cache", ICLR 2017): p_cache(c | h) ∝ Σ_i [c_i = c] · exp(θ · cos(h, h_i)), which the caller
/// mixes with the model's own prediction at weight <see cref="Lambda"/>.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> The transformer predicts the next chord about as well as a trigram does, because it does
/// not learn to look up what followed the same moment earlier in the song (measured: it reads a song's opening a
/// second time barely better than the first; docs/evaluation/model.md). Songs repeat their sections, and the
/// hidden state before a chord already says where in the harmony and the tune the song is: a state like an earlier
/// one points at the chord that came then. The cache adds no weights and is not trained; θ and λ were chosen on
/// the valid splits (<see cref="DefaultTheta"/>).</para>
/// <para><b>Labels</b> are the caller's: key-relative chords in the evaluation, root × quality in the
/// accompanist. The cache keeps the last <c>capacity</c> entries (a ring: a long song forgets its opening).</para>
/// <para>[one thread] Everything is allocated in the constructor; <see cref="Add"/> and
/// <see cref="Distribution"/> allocate nothing and cost one dot product per entry.</para>
/// </remarks>
public sealed class ContinuousCache
{
    /// <summary>
    /// Sharpness θ of the match on cosine similarity. On the valid splits next-chord top-3 rose with θ up to
    /// about 60–90 and fell past it (<c>copilot eval model --cache-sweep</c>): only near-identical moments of the
    /// song count.
    /// </summary>
    public const float DefaultTheta = 60f;

    /// <summary>Weight λ of the cache against the model once the cache holds an entry (chosen with θ on the valid splits).</summary>
    public const float DefaultLambda = 0.6f;

    public const int DefaultCapacity = 256;

    private readonly float[] _keys;
    private readonly int[] _labels;
    private readonly float[] _scores;
    private int _next;

    public ContinuousCache(int dim, int labels, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(labels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Dim = dim;
        Labels = labels;
        Capacity = capacity;
        _keys = new float[capacity * dim];
        _labels = new int[capacity];
        _scores = new float[capacity];
    }

    public int Dim { get; }

    public int Labels { get; }

    public int Capacity { get; }

    /// <summary>Entries held (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    public float Theta { get; init; } = DefaultTheta;

    public float Lambda { get; init; } = DefaultLambda;

    /// <summary>Forgets the song.</summary>
    public void Clear()
    {
        Count = 0;
        _next = 0;
    }

    /// <summary>
    /// Remembers that the moment <paramref name="hidden"/> led to <paramref name="label"/>. A state of length zero
    /// (nothing to compare) is ignored, as is a label out of range.
    /// </summary>
    public void Add(ReadOnlySpan<float> hidden, int label)
    {
        if (hidden.Length != Dim || (uint)label >= (uint)Labels || !TryNormalise(hidden, _keys.AsSpan(_next * Dim, Dim)))
        {
            return;
        }

        _labels[_next] = label;
        _next = (_next + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>
    /// Writes p_cache over the labels into <paramref name="distribution"/> (length <see cref="Labels"/>, summing to
    /// 1) for the moment <paramref name="hidden"/>, leaving out <paramref name="excluded"/> (-1: none; the chord
    /// already sounding is not a change). Returns false, and writes zeros, when no entry counts.
    /// </summary>
    public bool Distribution(ReadOnlySpan<float> hidden, Span<double> distribution, int excluded = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(distribution.Length, Labels, nameof(distribution));
        distribution = distribution[..Labels];
        distribution.Clear();
        if (Count == 0 || hidden.Length != Dim)
        {
            return false;
        }

        double norm = Norm(hidden);
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            return false;
        }

        float best = float.NegativeInfinity;
        for (int i = 0; i < Count; i++)
        {
            if (_labels[i] == excluded)
            {
                continue;
            }

            ReadOnlySpan<float> key = _keys.AsSpan(i * Dim, Dim);
            float dot = 0;
            for (int d = 0; d < key.Length; d++)
            {
                dot += key[d] * hidden[d];
            }

            _scores[i] = (float)(dot / norm);
            best = Math.Max(best, _scores[i]);
        }

        if (float.IsNegativeInfinity(best))
        {
            return false;
        }

        double total = 0;
        for (int i = 0; i < Count; i++)
        {
            if (_labels[i] != excluded)
            {
                double w = Math.Exp(Theta * (_scores[i] - best));
                distribution[_labels[i]] += w;
                total += w;
            }
        }

        for (int c = 0; c < distribution.Length; c++)
        {
            distribution[c] /= total;
        }

        return true;
    }

    private static bool TryNormalise(ReadOnlySpan<float> hidden, Span<float> into)
    {
        double norm = Norm(hidden);
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            return false;
        }

        for (int d = 0; d < hidden.Length; d++)
        {
            into[d] = (float)(hidden[d] / norm);
        }

        return true;
    }

    private static double Norm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float x in v)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum);
    }
}
