using CoPilot.Evaluation.Baselines;
using CoPilot.Inference.Onnx;

namespace CoPilot.Evaluation.Harness;

/// <summary>
/// NLL of a transformer over whole sequences, the same tokens <see cref="TokenScorer"/> scores for the
/// baselines (every token from <c>prefixLength</c> on), read in overlapping windows.
/// </summary>
/// <remarks>
/// A sequence that fits the model's context is read in one pass. A longer one is read in windows of the
/// context length that advance by half of it; each window scores only the tokens the previous one did not, so
/// every token is scored exactly once and, after the first window, with at least half a context of history
/// (the sliding-window evaluation of GPT-2-style models).
/// </remarks>
public static class WindowScorer
{
    public static TokenScore Score(OnnxDecoder decoder, IReadOnlyList<int[]> sequences, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        var total = default(TokenScore);
        foreach (int[] sequence in sequences)
        {
            total += ScoreSequence(decoder, sequence, prefixLength);
        }

        return total;
    }

    public static TokenScore ScoreSequence(OnnxDecoder decoder, ReadOnlySpan<int> sequence, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        int context = decoder.ContextLength;
        int stride = Math.Max(1, context / 2);
        int vocab = decoder.VocabSize;
        int first = Math.Max(1, prefixLength);
        double nats = 0;
        long tokens = 0;
        int scoredUpTo = first;
        for (int start = 0; scoredUpTo < sequence.Length; start += stride)
        {
            int end = Math.Min(sequence.Length, start + context);
            decoder.Reset();
            ReadOnlySpan<float> rows = decoder.Prefill(sequence[start..end]);
            for (int i = scoredUpTo; i < end; i++)
            {
                // Row i − 1 − start predicts token i.
                ReadOnlySpan<float> logits = rows.Slice((i - 1 - start) * vocab, vocab);
                nats -= Logits.LogSoftmax(logits, sequence[i]);
                tokens++;
            }

            scoredUpTo = Math.Max(scoredUpTo, end);
        }

        return new TokenScore(nats, tokens);
    }
}
