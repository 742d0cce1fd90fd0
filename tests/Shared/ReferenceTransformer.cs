using CoPilot.Export;
using CoPilot.Inference.Onnx;

namespace CoPilot.TestSupport;

/// <summary>
/// The transformer of <see cref="TransformerConfig"/>'s remarks written out in plain C# (double accumulation):
/// the yardstick the ONNX graphs are checked against. Pre-LN GPT, learned positions, causal multi-head
/// attention with scale 1/√headDim, exact-erf GELU, untied head. Rotary models rotate each head's query and key
/// pair by pair (x[i], x[i + headDim/2]) by pos · 10000^(−2i/headDim), the angle recomputed here in double rather
/// than read from the config's tables, so a wrong table is caught too. Shared by the export and training tests.
/// </summary>
internal static class ReferenceTransformer
{
    /// <summary>Logits for every position of <paramref name="tokens"/>, row-major [tokens.Length, V].</summary>
    public static float[] Forward(TransformerWeights weights, IReadOnlyList<int> tokens)
    {
        var c = weights.Config;
        var w = weights.Tensors;
        int s = tokens.Count, d = c.Dim, hd = c.HeadDim;
        var x = new double[s][];
        for (int t = 0; t < s; t++)
        {
            x[t] = new double[d];
            for (int i = 0; i < d; i++)
            {
                x[t][i] = w["tok_emb.weight"][(tokens[t] * d) + i]
                    + (c.Positions == PositionEncoding.Learned ? w["pos_emb.weight"][(t * d) + i] : 0);
            }
        }

        for (int layer = 0; layer < c.Layers; layer++)
        {
            string p = $"blocks.{layer}.";
            var qkv = new double[s][];
            for (int t = 0; t < s; t++)
            {
                qkv[t] = Linear(LayerNorm(x[t], w[p + "ln1.weight"], w[p + "ln1.bias"]), w[p + "attn.qkv.weight"], w[p + "attn.qkv.bias"]);
                if (c.Positions == PositionEncoding.Rotary)
                {
                    for (int h = 0; h < c.Heads; h++)
                    {
                        Rotate(qkv[t], h * hd, hd, t);
                        Rotate(qkv[t], d + (h * hd), hd, t);
                    }
                }
            }

            for (int t = 0; t < s; t++)
            {
                var attended = new double[d];
                for (int h = 0; h < c.Heads; h++)
                {
                    var scores = new double[t + 1];
                    double max = double.NegativeInfinity;
                    for (int u = 0; u <= t; u++)
                    {
                        double dot = 0;
                        for (int i = 0; i < hd; i++)
                        {
                            dot += qkv[t][(h * hd) + i] * qkv[u][d + (h * hd) + i];
                        }

                        scores[u] = dot / Math.Sqrt(hd);
                        max = Math.Max(max, scores[u]);
                    }

                    double sum = 0;
                    for (int u = 0; u <= t; u++)
                    {
                        scores[u] = Math.Exp(scores[u] - max);
                        sum += scores[u];
                    }

                    for (int u = 0; u <= t; u++)
                    {
                        for (int i = 0; i < hd; i++)
                        {
                            attended[(h * hd) + i] += scores[u] / sum * qkv[u][(2 * d) + (h * hd) + i];
                        }
                    }
                }

                Add(x[t], Linear(attended, w[p + "attn.proj.weight"], w[p + "attn.proj.bias"]));
            }

            for (int t = 0; t < s; t++)
            {
                var hidden = Linear(LayerNorm(x[t], w[p + "ln2.weight"], w[p + "ln2.bias"]), w[p + "mlp.fc.weight"], w[p + "mlp.fc.bias"]);
                for (int i = 0; i < hidden.Length; i++)
                {
                    hidden[i] = 0.5 * hidden[i] * (1 + Erf(hidden[i] / Math.Sqrt(2)));
                }

                Add(x[t], Linear(hidden, w[p + "mlp.proj.weight"], w[p + "mlp.proj.bias"]));
            }
        }

        var logits = new float[s * c.VocabSize];
        for (int t = 0; t < s; t++)
        {
            var row = Linear(LayerNorm(x[t], w["ln_f.weight"], w["ln_f.bias"]), w["head.weight"], null);
            for (int v = 0; v < c.VocabSize; v++)
            {
                logits[(t * c.VocabSize) + v] = (float)row[v];
            }
        }

        return logits;
    }

    private static void Rotate(double[] row, int start, int headDim, int position)
    {
        int half = headDim / 2;
        for (int i = 0; i < half; i++)
        {
            double angle = position * Math.Pow(TransformerConfig.RotaryBase, -2.0 * i / headDim);
            double a = row[start + i], b = row[start + half + i];
            row[start + i] = (a * Math.Cos(angle)) - (b * Math.Sin(angle));
            row[start + half + i] = (b * Math.Cos(angle)) + (a * Math.Sin(angle));
        }
    }

    private static double[] LayerNorm(double[] x, float[] gain, float[] bias)
    {
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        double inverse = 1 / Math.Sqrt(variance + TransformerConfig.LayerNormEpsilon);
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = ((x[i] - mean) * inverse * gain[i]) + bias[i];
        }

        return y;
    }

    /// <summary>y = W·x + b with W stored [out, in].</summary>
    private static double[] Linear(double[] x, float[] weight, float[]? bias)
    {
        int n = weight.Length / x.Length, k = x.Length;
        var y = new double[n];
        for (int row = 0; row < n; row++)
        {
            double sum = bias?[row] ?? 0;
            for (int col = 0; col < k; col++)
            {
                sum += weight[(row * k) + col] * x[col];
            }

            y[row] = sum;
        }

        return y;
    }

    private static void Add(double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += y[i];
        }
    }

    /// <summary>erf by its Taylor series near 0 and the continued fraction of erfc beyond (error &lt; 1e-12).</summary>
    internal static double Erf(double x)
    {
        double a = Math.Abs(x);
        double result;
        if (a < 2.5)
        {
            double term = a, sum = a;
            for (int n = 1; n < 60; n++)
            {
                term *= -a * a / n;
                sum += term / ((2 * n) + 1);
            }

            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + …))))), evaluated from the tail.
            double fraction = a;
            for (int n = 60; n >= 1; n--)
            {
                fraction = a + (n / 2.0 / fraction);
            }

            result = 1 - (Math.Exp(-a * a) / Math.Sqrt(Math.PI) / fraction);
        }

        return x < 0 ? -result : result;
    }
}
