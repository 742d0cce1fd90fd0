using CoPilot.Export;

namespace CoPilot.Training.Tests;

/// <summary>
/// The forward pass written out loop by loop from <see cref="TransformerConfig"/>'s remarks, in double
/// precision, so the TorchSharp model is checked against the contract rather than against itself.
/// </summary>
internal static class ReferenceTransformer
{
    public static float[] Logits(TransformerWeights weights, long[] ids)
    {
        var c = weights.Config;
        var w = weights.Tensors;
        int t = ids.Length, d = c.Dim;
        var x = new double[t][];
        for (int i = 0; i < t; i++)
        {
            x[i] = new double[d];
            for (int j = 0; j < d; j++)
            {
                x[i][j] = w["tok_emb.weight"][(ids[i] * d) + j] + w["pos_emb.weight"][(i * d) + j];
            }
        }

        for (int layer = 0; layer < c.Layers; layer++)
        {
            string p = $"blocks.{layer}.";
            var attention = Attention(c, w, p, [.. x.Select(r => LayerNorm(r, w[p + "ln1.weight"], w[p + "ln1.bias"]))]);
            for (int i = 0; i < t; i++)
            {
                x[i] = Add(x[i], attention[i]);
            }

            for (int i = 0; i < t; i++)
            {
                var h = Linear(LayerNorm(x[i], w[p + "ln2.weight"], w[p + "ln2.bias"]), w[p + "mlp.fc.weight"], w[p + "mlp.fc.bias"]);
                h = [.. h.Select(Gelu)];
                x[i] = Add(x[i], Linear(h, w[p + "mlp.proj.weight"], w[p + "mlp.proj.bias"]));
            }
        }

        var logits = new List<float>();
        foreach (var row in x)
        {
            logits.AddRange(Linear(LayerNorm(row, w["ln_f.weight"], w["ln_f.bias"]), w["head.weight"], null).Select(v => (float)v));
        }

        return [.. logits];
    }

    private static double[][] Attention(TransformerConfig c, IReadOnlyDictionary<string, float[]> w, string p, double[][] x)
    {
        int t = x.Length, d = c.Dim, hd = c.HeadDim;
        var qkv = x.Select(r => Linear(r, w[p + "attn.qkv.weight"], w[p + "attn.qkv.bias"])).ToArray();
        var merged = new double[t][];
        for (int i = 0; i < t; i++)
        {
            merged[i] = new double[d];
        }

        for (int h = 0; h < c.Heads; h++)
        {
            for (int i = 0; i < t; i++)
            {
                var scores = new double[i + 1];
                for (int j = 0; j <= i; j++)
                {
                    double s = 0;
                    for (int k = 0; k < hd; k++)
                    {
                        s += qkv[i][(h * hd) + k] * qkv[j][d + (h * hd) + k];
                    }

                    scores[j] = s / Math.Sqrt(hd);
                }

                double max = scores.Max();
                double sum = scores.Sum(s => Math.Exp(s - max));
                for (int j = 0; j <= i; j++)
                {
                    double a = Math.Exp(scores[j] - max) / sum;
                    for (int k = 0; k < hd; k++)
                    {
                        merged[i][(h * hd) + k] += a * qkv[j][(2 * d) + (h * hd) + k];
                    }
                }
            }
        }

        return [.. merged.Select(r => Linear(r, w[p + "attn.proj.weight"], w[p + "attn.proj.bias"]))];
    }

    private static double[] LayerNorm(double[] x, float[] gain, float[] bias)
    {
        double mean = x.Average();
        double variance = x.Average(v => (v - mean) * (v - mean));
        double scale = 1 / Math.Sqrt(variance + TransformerConfig.LayerNormEpsilon);
        return [.. x.Select((v, i) => ((v - mean) * scale * gain[i]) + bias[i])];
    }

    // Weight rows are outputs: [out, in], as PyTorch stores them.
    private static double[] Linear(double[] x, float[] weight, float[]? bias)
    {
        int outputs = weight.Length / x.Length;
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double s = bias?[o] ?? 0;
            for (int i = 0; i < x.Length; i++)
            {
                s += weight[(o * x.Length) + i] * x[i];
            }

            y[o] = s;
        }

        return y;
    }

    private static double[] Add(double[] a, double[] b) => [.. a.Select((v, i) => v + b[i])];

    // Exact GELU: x·Φ(x) = x/2·(1 + erf(x/√2)). erf from its Taylor series (cancellation costs at most
    // about 1e-5 at |z| = 5; beyond, erf is ±1 to 1.5e-12).
    private static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    private static double Erf(double z)
    {
        if (Math.Abs(z) > 5)
        {
            return Math.Sign(z);
        }

        double sum = 0, term = z;
        for (int n = 0; n < 60; n++)
        {
            sum += term / ((2 * n) + 1);
            term *= -z * z / (n + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
