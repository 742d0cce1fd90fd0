using CoPilot.Core;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Accompaniment;

/// <summary>How the accompanists read the model's logits at a chord slot: whether a chord starts, and which.</summary>
public static class ChordLogits
{
    /// <summary>P(a chord starts here): the chord roots' share of everything the model may write after a Position token (No-chord is not a change to a chord).</summary>
    public static float ChordShare(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits)
        {
            max = Math.Max(max, l);
        }

        double all = 0, chord = 0;
        for (int t = 0; t < logits.Length; t++)
        {
            double e = Math.Exp(logits[t] - max);
            all += e;
            if (Vocabulary.IsChordRoot(t))
            {
                chord += e;
            }
        }

        return (float)(chord / all);
    }

    /// <summary>
    /// The likeliest index of <paramref name="logits"/> (temperature 0), or one drawn from their softmax at
    /// <paramref name="temperature"/>; <paramref name="excluded"/> (-1: none) is never chosen. <paramref name="weights"/>
    /// is scratch space at least as long as the logits.
    /// </summary>
    public static int Draw(ReadOnlySpan<float> logits, int excluded, float temperature, Span<float> weights, ref SplitMix64 random)
    {
        int n = logits.Length;
        int best = excluded == 0 ? 1 : 0;
        for (int i = 0; i < n; i++)
        {
            if (i != excluded && logits[i] > logits[best])
            {
                best = i;
            }
        }

        if (temperature <= 0)
        {
            return best;
        }

        double sum = 0;
        weights = weights[..n];
        for (int i = 0; i < n; i++)
        {
            weights[i] = i == excluded ? 0 : (float)Math.Exp((logits[i] - logits[best]) / temperature);
            sum += weights[i];
        }

        double pick = random.NextDouble() * sum;
        for (int i = 0; i < n; i++)
        {
            pick -= weights[i];
            if (pick < 0 && weights[i] > 0)
            {
                return i;
            }
        }

        return best;
    }
}
