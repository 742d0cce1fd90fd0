namespace CoPilot.Export.Tests;

/// <summary>Random weights of a given shape, large enough that logits differ clearly between tokens.</summary>
internal static class RandomWeights
{
    public static TransformerWeights Create(TransformerConfig config, int seed)
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, float[]>();
        foreach (var (name, shape) in config.WeightShapes())
        {
            int length = shape.Aggregate(1, (a, b) => a * b);
            var values = new float[length];
            bool isGain = name.EndsWith("ln1.weight", StringComparison.Ordinal) || name.EndsWith("ln2.weight", StringComparison.Ordinal) || name == "ln_f.weight";
            double spread = name.Contains("emb", StringComparison.Ordinal) ? 0.5 : shape.Length == 2 ? 1.5 / Math.Sqrt(shape[1]) : 0.1;
            for (int i = 0; i < length; i++)
            {
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                values[i] = (float)((isGain ? 1 : 0) + (spread * normal));
            }

            tensors[name] = values;
        }

        return new TransformerWeights(config, tensors);
    }
}
