using CoPilot.Inference.Onnx;

namespace CoPilot.Export;

/// <summary>
/// How far a quantised decoder strays from its float reference on real sequences: top-1 agreement, mean
/// negative log-likelihood of the actual next token under both, and the mean absolute logit difference.
/// </summary>
/// <remarks>Every position that has a next token counts (the last token of a sequence predicts nothing).</remarks>
public sealed record QuantizationReport(int Positions, double TopOneAgreement, double ReferenceNll, double CandidateNll, double MeanAbsoluteLogitError)
{
    /// <summary>|candidate − reference| / reference NLL.</summary>
    public double RelativeNllChange => Math.Abs(CandidateNll - ReferenceNll) / ReferenceNll;

    /// <summary>Runs both decoders over each sequence (prompt mode, one run per sequence, cut to the context).</summary>
    public static QuantizationReport Measure(OnnxDecoder reference, OnnxDecoder candidate, IEnumerable<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(sequences);
        if (reference.VocabSize != candidate.VocabSize)
        {
            throw new ArgumentException($"The decoders' vocabularies differ ({reference.VocabSize} and {candidate.VocabSize}).", nameof(candidate));
        }

        int vocab = reference.VocabSize, positions = 0, agree = 0;
        double referenceNll = 0, candidateNll = 0, error = 0;
        foreach (int[] sequence in sequences)
        {
            int length = Math.Min(sequence.Length, Math.Min(reference.ContextLength, candidate.ContextLength));
            if (length < 2)
            {
                continue;
            }

            reference.Reset();
            candidate.Reset();
            float[] a = reference.Prefill(sequence.AsSpan(0, length)).ToArray();
            ReadOnlySpan<float> b = candidate.Prefill(sequence.AsSpan(0, length));
            for (int t = 0; t + 1 < length; t++)
            {
                var rowA = a.AsSpan(t * vocab, vocab);
                var rowB = b.Slice(t * vocab, vocab);
                agree += Logits.ArgMax(rowA) == Logits.ArgMax(rowB) ? 1 : 0;
                referenceNll -= Logits.LogSoftmax(rowA, sequence[t + 1]);
                candidateNll -= Logits.LogSoftmax(rowB, sequence[t + 1]);
                for (int i = 0; i < vocab; i++)
                {
                    error += Math.Abs(rowA[i] - rowB[i]);
                }

                positions++;
            }
        }

        if (positions == 0)
        {
            throw new ArgumentException("No sequence has two tokens to compare.", nameof(sequences));
        }

        return new QuantizationReport(positions, (double)agree / positions, referenceNll / positions, candidateNll / positions, error / ((double)positions * vocab));
    }

    public override string ToString() =>
        $"{Positions} positions: top-1 agreement {TopOneAgreement:P2}, NLL {ReferenceNll:F4} → {CandidateNll:F4} ({RelativeNllChange:P2}), mean |Δlogit| {MeanAbsoluteLogitError:G3}";
}
