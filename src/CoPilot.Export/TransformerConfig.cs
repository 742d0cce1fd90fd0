namespace CoPilot.Export;

/// <summary>
/// The shape of the co-pilot's decoder-only transformer: the one contract between training
/// (CoPilot.Training, TorchSharp) and export (ONNX), so both read the same weights the same way.
/// </summary>
/// <remarks>
/// GPT-2-like, pre-LayerNorm: x = tok_emb[id] + pos_emb[pos]; per layer x += proj(attn(ln1(x))),
/// x += mlp.proj(gelu(mlp.fc(ln2(x)))) with exact (erf) GELU; logits = ln_f(x) · head.weightᵀ.
/// Causal multi-head attention (kv heads = heads), scale 1/√headDim, LayerNorm eps 1e-5.
/// Linear weights are stored as PyTorch does, [out, in].
/// </remarks>
public sealed record TransformerConfig(int VocabSize, int ContextLength, int Layers, int Dim, int Heads)
{
    public const float LayerNormEpsilon = 1e-5f;

    public int HeadDim => Dim / Heads;

    public int HiddenDim => 4 * Dim;

    /// <summary>Every weight with its shape, in a fixed order (the order of the exported initializers).</summary>
    public IReadOnlyList<(string Name, int[] Shape)> WeightShapes()
    {
        var shapes = new List<(string, int[])>
        {
            ("tok_emb.weight", [VocabSize, Dim]),
            ("pos_emb.weight", [ContextLength, Dim]),
        };
        for (int i = 0; i < Layers; i++)
        {
            string p = $"blocks.{i}.";
            shapes.Add((p + "ln1.weight", [Dim]));
            shapes.Add((p + "ln1.bias", [Dim]));
            shapes.Add((p + "attn.qkv.weight", [3 * Dim, Dim]));
            shapes.Add((p + "attn.qkv.bias", [3 * Dim]));
            shapes.Add((p + "attn.proj.weight", [Dim, Dim]));
            shapes.Add((p + "attn.proj.bias", [Dim]));
            shapes.Add((p + "ln2.weight", [Dim]));
            shapes.Add((p + "ln2.bias", [Dim]));
            shapes.Add((p + "mlp.fc.weight", [HiddenDim, Dim]));
            shapes.Add((p + "mlp.fc.bias", [HiddenDim]));
            shapes.Add((p + "mlp.proj.weight", [Dim, HiddenDim]));
            shapes.Add((p + "mlp.proj.bias", [Dim]));
        }

        shapes.Add(("ln_f.weight", [Dim]));
        shapes.Add(("ln_f.bias", [Dim]));
        shapes.Add(("head.weight", [VocabSize, Dim]));
        return shapes;
    }

    /// <summary>Throws when the shape cannot be built (the export and the trainer check the same rules).</summary>
    public void Validate()
    {
        if (VocabSize < 2 || ContextLength < 1 || Layers < 1 || Dim < 1 || Heads < 1 || Dim % Heads != 0)
        {
            throw new ArgumentException($"Invalid transformer shape: {this}");
        }
    }
}

/// <summary>Trained weights by name (see <see cref="TransformerConfig.WeightShapes"/>), row-major float32.</summary>
public sealed class TransformerWeights(TransformerConfig config, IReadOnlyDictionary<string, float[]> tensors)
{
    public TransformerConfig Config { get; } = config;

    public IReadOnlyDictionary<string, float[]> Tensors { get; } = tensors;

    /// <summary>Throws naming the first missing or mis-sized tensor.</summary>
    public void Validate()
    {
        Config.Validate();
        foreach (var (name, shape) in Config.WeightShapes())
        {
            if (!Tensors.TryGetValue(name, out var data))
            {
                throw new ArgumentException($"Weight '{name}' is missing.");
            }

            long expected = 1;
            foreach (int d in shape)
            {
                expected *= d;
            }

            if (data.Length != expected)
            {
                throw new ArgumentException($"Weight '{name}' has {data.Length} values, expected {expected} ({string.Join('×', shape)}).");
            }
        }
    }
}
