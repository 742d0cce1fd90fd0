namespace CoPilot.Inference.Onnx;

/// <summary>Reading a decoder's logits: probabilities, the log-probability of one token and the most likely token.</summary>
public static class Logits
{
    /// <summary>ln softmax(logits)[token], computed in double with the maximum subtracted (no overflow).</summary>
    public static double LogSoftmax(ReadOnlySpan<float> logits, int token)
    {
        double max = double.NegativeInfinity;
        foreach (float l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        foreach (float l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return logits[token] - max - Math.Log(sum);
    }

    /// <summary>
    /// softmax(logits) into <paramref name="probabilities"/> (at least as long), in double with the maximum subtracted:
    /// the probabilities of a slice (the 12 chord roots, say) given that the next token is one of them.
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        double max = double.NegativeInfinity;
        foreach (float l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = Math.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] /= sum;
        }
    }

    /// <summary>The index of the largest logit (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
