using CoPilot.Export;

namespace CoPilot.Cli.Bench;

/// <summary>
/// Random weights of a given transformer shape, for timing the decoder without a trained model: the graph, the
/// kernels and the memory traffic are those of a trained model of the same shape, the logits are noise.
/// </summary>
/// <remarks>
/// Gaussian, with LayerNorm gains around 1 and matrices scaled by 1/√fan-in so activations neither vanish nor
/// blow up through the layers (ORT's kernels take the same time either way, but NaNs or infinities would make
/// the sampler's work atypical).
/// </remarks>
public static class RandomDecoderWeights
{
    /// <summary>The shipped shape: 4 layers of width 256, 4 heads, a context of 256 tokens.</summary>
    public static TransformerConfig Shipped { get; } = new(VocabSize: Inference.Tokens.Vocabulary.Size, ContextLength: 256, Layers: 4, Dim: 256, Heads: 4);

    public static TransformerWeights Create(TransformerConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var random = new Random(seed);
        var tensors = new Dictionary<string, float[]>();
        foreach ((string name, int[] shape) in config.WeightShapes())
        {
            int length = shape.Aggregate(1, (a, b) => a * b);
            bool isGain = name.EndsWith(".weight", StringComparison.Ordinal) && shape.Length == 1;
            double spread = name.Contains("emb", StringComparison.Ordinal) ? 0.5 : shape.Length == 2 ? 1.0 / Math.Sqrt(shape[1]) : 0.05;
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                // Box–Muller: one standard normal from two uniforms.
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                values[i] = (float)((isGain ? 1 : 0) + (spread * normal));
            }

            tensors[name] = values;
        }

        return new TransformerWeights(config, tensors);
    }
}
