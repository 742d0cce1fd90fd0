using CoPilot.Evaluation.Metrics;

namespace CoPilot.Evaluation.Baselines;

/// <summary>The negative log-likelihood of a set of held-out tokens and what follows from it.</summary>
public readonly record struct TokenScore(double Nats, long Tokens)
{
    public double Bits => Nats / Math.Log(2);

    public double NatsPerToken => Tokens == 0 ? 0 : Nats / Tokens;

    public double BitsPerToken => Tokens == 0 ? 0 : Bits / Tokens;

    public double Perplexity => LanguageModelMetrics.Perplexity(Nats, Tokens);

    public static TokenScore operator +(TokenScore a, TokenScore b) => new(a.Nats + b.Nats, a.Tokens + b.Tokens);
}

/// <summary>Scores a <see cref="ITokenModel"/> on held-out sequences.</summary>
public static class TokenScorer
{
    /// <summary>
    /// Sums -ln P over every token of every sequence from index <paramref name="prefixLength"/> on (the first
    /// tokens, a song's header, are context only). Contexts never cross from one sequence into the next.
    /// </summary>
    /// <remarks>
    /// Sequences are scored on all cores, each into its own slot, and the slots are summed in order: the
    /// total is the same bit for bit on every run, whatever the thread timing.
    /// </remarks>
    public static TokenScore Score(ITokenModel model, IReadOnlyList<int[]> sequences, int prefixLength = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        double[] nats = new double[sequences.Count];
        long[] tokens = new long[sequences.Count];
        Parallel.For(0, sequences.Count, s =>
        {
            (nats[s], tokens[s]) = ScoreSequence(model, sequences[s], prefixLength);
        });

        var total = default(TokenScore);
        for (int s = 0; s < nats.Length; s++)
        {
            total += new TokenScore(nats[s], tokens[s]);
        }

        return total;
    }

    /// <summary>-ln P of one sequence's tokens from <paramref name="prefixLength"/> on, and how many there were.</summary>
    public static (double Nats, long Tokens) ScoreSequence(ITokenModel model, ReadOnlySpan<int> sequence, int prefixLength = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        int contextLength = model.ContextLength;
        int vocabulary = model.VocabularySize;
        double nats = 0;
        long count = 0;
        for (int i = prefixLength; i < sequence.Length; i++)
        {
            if ((uint)sequence[i] >= (uint)vocabulary)
            {
                throw new ArgumentException($"token {sequence[i]} at {i} is outside the vocabulary of {vocabulary}", nameof(sequence));
            }

            int start = Math.Max(0, i - contextLength);
            nats -= model.LogProbability(sequence[start..i], sequence[i]);
            count++;
        }

        return (nats, count);
    }
}
