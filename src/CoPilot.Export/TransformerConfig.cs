using CoPilot.Inference.Onnx;

namespace CoPilot.Export;

/// <summary>
/// The shape of the co-pilot's decoder-only transformer: the one contract between training
/// (CoPilot.Training, TorchSharp) and export (ONNX), so both read the same weights the same way.
/// </summary>
/// <remarks>
/// <para>GPT-2-like, pre-LayerNorm: x = tok_emb[id] (+ pos_emb[pos] with learned positions); per layer
/// x += proj(attn(ln1(x))), x += mlp.proj(gelu(mlp.fc(ln2(x)))) with exact (erf) GELU; logits = ln_f(x) · head.weightᵀ.
/// Causal multi-head attention (kv heads = heads), scale 1/√headDim, LayerNorm eps 1e-5.
/// Linear weights are stored as PyTorch does, [out, in].</para>
/// <para>With <see cref="PositionEncoding.Rotary"/> there is no pos_emb; instead every head's query and key are
/// rotated by their position before the dot product (RoFormer, Su et al. 2021), in the half-split layout
/// ONNX Runtime's GroupQueryAttention uses with rotary_interleaved = 0: for i &lt; headDim/2 the pair
/// (x[i], x[i + headDim/2]) turns by pos · θ_i, θ_i = 10000^(−2i/headDim). Attention scores then depend on how far
/// apart two tokens are, not where they are, which is what copying an earlier phrase of the same song needs.</para>
/// </remarks>
public sealed record TransformerConfig(int VocabSize, int ContextLength, int Layers, int Dim, int Heads, PositionEncoding Positions = PositionEncoding.Learned)
{
    public const float LayerNormEpsilon = 1e-5f;

    /// <summary>The base of the rotary frequencies, as in RoFormer and most models since.</summary>
    public const double RotaryBase = 10000;

    public int HeadDim => Dim / Heads;

    public int HiddenDim => 4 * Dim;

    /// <summary>Every weight with its shape, in a fixed order (the order of the exported initializers).</summary>
    public IReadOnlyList<(string Name, int[] Shape)> WeightShapes()
    {
        var shapes = new List<(string, int[])>
        {
            ("tok_emb.weight", [VocabSize, Dim]),
        };
        if (Positions == PositionEncoding.Learned)
        {
            shapes.Add(("pos_emb.weight", [ContextLength, Dim]));
        }

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
        if (VocabSize < 2 || ContextLength < 1 || Layers < 1 || Dim < 1 || Heads < 1 || Dim % Heads != 0
            || !Enum.IsDefined(Positions) || (Positions == PositionEncoding.Rotary && HeadDim % 2 != 0))
        {
            throw new ArgumentException($"Invalid transformer shape: {this}");
        }
    }

    /// <summary>
    /// cos(pos · θ_i) and sin(pos · θ_i), row-major [ContextLength, HeadDim/2]: the rotary tables the trainer
    /// multiplies by and the exporter stores as GroupQueryAttention's cos_cache and sin_cache, computed once here in
    /// double so that both hold the very same float values.
    /// </summary>
    public (float[] Cos, float[] Sin) RotaryTables()
    {
        int half = HeadDim / 2;
        var cos = new float[ContextLength * half];
        var sin = new float[ContextLength * half];
        for (int pos = 0; pos < ContextLength; pos++)
        {
            for (int i = 0; i < half; i++)
            {
                double angle = pos * Math.Pow(RotaryBase, -2.0 * i / HeadDim);
                cos[(pos * half) + i] = (float)Math.Cos(angle);
                sin[(pos * half) + i] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
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
