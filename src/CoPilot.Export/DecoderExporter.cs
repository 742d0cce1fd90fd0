using CoPilot.Export.Onnx;
using CoPilot.Inference.Onnx;
using Google.Protobuf;
using DataType = CoPilot.Export.Onnx.TensorProto.Types.DataType;

namespace CoPilot.Export;

/// <summary>
/// Writes the trained transformer as the decode graph <see cref="OnnxDecoder"/> runs: one call takes S new
/// tokens, appends their keys and values to a fixed per-layer KV buffer in place and returns their logits.
/// </summary>
/// <remarks>
/// <para>Graph (names in <see cref="DecoderTensorNames"/>): x = Gather(tok_emb, input_ids) + Gather(pos_emb,
/// position_ids); per layer LayerNormalization → QKV projection → com.microsoft GroupQueryAttention (packed QKV,
/// kv_num_heads = num_heads, causal, scale 1/√headDim) over past/present buffers [1, heads, ContextLength,
/// headDim] → output projection → residual; LayerNormalization → fc → com.microsoft Gelu (exact erf) → proj →
/// residual; final LayerNormalization (also an output, <c>hidden</c>) and the untied head. A rotary model has no pos_emb Gather: its
/// GroupQueryAttention gets do_rotary = 1, rotary_interleaved = 0 and the config's cos/sin tables as cos_cache and
/// sin_cache, and rotates q and k by the position it derives from seqlens_k (the position_ids input stays, unread,
/// so one decoder binds either kind). The graph stays the plain form of the model: ORT
/// 1.31 at level "all" fuses bias + Gelu (FP32) and one residual + LayerNorm, and writing every residual + LayerNorm
/// as com.microsoft SkipLayerNormalization by hand measured no faster (INT8 p50 0.10 ms against 0.09 ms).</para>
/// <para>The packed QKV input of GroupQueryAttention reads each token's row as q (heads × headDim), then k, then
/// v: exactly the rows of <c>attn.qkv.weight</c> in that order, with head h at columns h·headDim…</para>
/// <para>Past and present share one buffer when the caller binds the same memory to both (ORT compares the
/// pointers); seqlens_k and total_sequence_length then tell the kernel how much of it is filled. A call with
/// S &gt; 1 and an empty cache is the prompt case; S = 1 is a decode step.</para>
/// <para>FP32: MatMul against transposed float initializers, then Add of the bias. INT8: MatMulNBits (bits 8,
/// accuracy_level 4, i.e. int8 activations too, with the bias as its sixth input); see
/// <see cref="BlockQuantizer"/> for the packing. Embeddings and LayerNorm parameters stay float32.</para>
/// </remarks>
public static class DecoderExporter
{
    /// <summary>ONNX IR version 10 (the one that goes with opset 21).</summary>
    public const int IrVersion = 10;

    public const int OnnxOpset = 21;

    public const int MicrosoftOpset = 1;

    /// <summary>MatMulNBits accuracy level 4: activations are quantised to int8 per block, ~17× faster than level 0.</summary>
    public const int AccuracyLevel = 4;

    /// <summary>The serialized ONNX model.</summary>
    public static byte[] Export(TransformerWeights weights, OnnxWeightFormat format, string vocabularyHash) =>
        BuildModel(weights, format, vocabularyHash).ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/> (through a temporary file, so a crash leaves no half model).</summary>
    public static void Write(TransformerWeights weights, OnnxWeightFormat format, string vocabularyHash, string path)
    {
        byte[] bytes = Export(weights, format, vocabularyHash);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The model info the export writes for these weights.</summary>
    public static OnnxModelInfo InfoFor(TransformerConfig config, OnnxWeightFormat format, string vocabularyHash) =>
        new(config.VocabSize, config.ContextLength, config.Layers, config.Dim, config.Heads, format, vocabularyHash, Positions: config.Positions);

    internal static ModelProto BuildModel(TransformerWeights weights, OnnxWeightFormat format, string vocabularyHash)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(vocabularyHash);
        weights.Validate();
        var config = weights.Config;
        if (config.HeadDim % 8 != 0)
        {
            // ORT's CPU GroupQueryAttention refuses such heads at run time, after the model has loaded.
            throw new ArgumentException($"GroupQueryAttention needs a head size that is a multiple of 8; {config} has {config.HeadDim}.", nameof(weights));
        }

        var graph = new DecoderGraph(weights, format);
        graph.Build();

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "CoPilot.Export",
            ProducerVersion = OnnxModelInfo.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Domain = "copilot",
            ModelVersion = OnnxModelInfo.CurrentFormatVersion,
            DocString = $"CoPilot decoder {config}, {format}",
            Graph = graph.Builder.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxOpset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxGraphBuilder.MicrosoftDomain, Version = MicrosoftOpset });
        foreach (var (key, value) in InfoFor(config, format, vocabularyHash).ToMetadata())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private sealed class DecoderGraph(TransformerWeights weights, OnnxWeightFormat format)
    {
        private readonly TransformerConfig _config = weights.Config;

        public OnnxGraphBuilder Builder { get; } = new("copilot_decoder");

        public void Build()
        {
            var b = Builder;
            var c = _config;
            const string S = "sequence";
            object[] kvShape = [1, c.Heads, c.ContextLength, c.HeadDim];

            string ids = b.Input(DecoderTensorNames.InputIds, DataType.Int64, 1, S);
            string positions = b.Input(DecoderTensorNames.PositionIds, DataType.Int64, 1, S);
            string seqLens = b.Input(DecoderTensorNames.SeqLensK, DataType.Int32, 1);
            string total = b.Input(DecoderTensorNames.TotalSequenceLength, DataType.Int32);
            for (int i = 0; i < c.Layers; i++)
            {
                b.Input(DecoderTensorNames.PastKey(i), DataType.Float, kvShape);
                b.Input(DecoderTensorNames.PastValue(i), DataType.Float, kvShape);
            }

            string x = b.Node("Gather", [Weight("tok_emb.weight"), ids]);
            string[] rotary = [];
            if (c.Positions == PositionEncoding.Learned)
            {
                string places = b.Node("Gather", [Weight("pos_emb.weight"), positions]);
                x = b.Node("Add", [x, places]);
            }
            else
            {
                var (cos, sin) = c.RotaryTables();
                rotary =
                [
                    b.Initializer("rotary.cos_cache", cos, c.ContextLength, c.HeadDim / 2),
                    b.Initializer("rotary.sin_cache", sin, c.ContextLength, c.HeadDim / 2),
                ];
            }

            bool doRotary = rotary.Length > 0;
            for (int i = 0; i < c.Layers; i++)
            {
                string p = $"blocks.{i}.";
                string h = LayerNorm(x, p + "ln1");
                string qkv = Linear(h, p + "attn.qkv", hasBias: true);
                string attention = b.NodeWithOutputs(
                    "GroupQueryAttention",
                    [qkv, "", "", DecoderTensorNames.PastKey(i), DecoderTensorNames.PastValue(i), seqLens, total, .. rotary],
                    [$"attention_{i}", DecoderTensorNames.PresentKey(i), DecoderTensorNames.PresentValue(i)],
                    OnnxGraphBuilder.MicrosoftDomain,
                    OnnxGraphBuilder.Int("num_heads", c.Heads),
                    OnnxGraphBuilder.Int("kv_num_heads", c.Heads),
                    OnnxGraphBuilder.Float("scale", 1f / MathF.Sqrt(c.HeadDim)),
                    OnnxGraphBuilder.Int("do_rotary", doRotary ? 1 : 0),
                    OnnxGraphBuilder.Int("rotary_interleaved", 0))[0];
                x = b.Node("Add", [x, Linear(attention, p + "attn.proj", hasBias: true)]);

                h = LayerNorm(x, p + "ln2");
                string fc = Linear(h, p + "mlp.fc", hasBias: true);
                string gelu = b.Node("Gelu", [fc], OnnxGraphBuilder.MicrosoftDomain);
                x = b.Node("Add", [x, Linear(gelu, p + "mlp.proj", hasBias: true)]);
            }

            string final = LayerNorm(x, "ln_f");
            string logits = Linear(final, "head", hasBias: false, output: DecoderTensorNames.Logits);
            b.Output(logits, DataType.Float, 1, S, c.VocabSize);

            // The state the head reads, for the continuous cache over a song's chords (ContinuousCache).
            b.NodeWithOutputs("Identity", [final], [DecoderTensorNames.Hidden]);
            b.Output(DecoderTensorNames.Hidden, DataType.Float, 1, S, c.Dim);
            for (int i = 0; i < c.Layers; i++)
            {
                b.Output(DecoderTensorNames.PresentKey(i), DataType.Float, kvShape);
                b.Output(DecoderTensorNames.PresentValue(i), DataType.Float, kvShape);
            }
        }

        private string LayerNorm(string x, string prefix) =>
            Builder.Node(
                "LayerNormalization",
                [x, Weight(prefix + ".weight"), Weight(prefix + ".bias")],
                "",
                OnnxGraphBuilder.Int("axis", -1),
                OnnxGraphBuilder.Float("epsilon", TransformerConfig.LayerNormEpsilon));

        /// <summary>y = x · Wᵀ + b for a PyTorch Linear with weight [out, in].</summary>
        private string Linear(string x, string prefix, bool hasBias, string? output = null)
        {
            var b = Builder;
            string weightName = prefix + ".weight";
            int[] shape = ShapeOf(weightName);
            int n = shape[0], k = shape[1];
            float[] weight = weights.Tensors[weightName];
            if (format == OnnxWeightFormat.Int8)
            {
                var quantized = new BlockQuantizer(BlockQuantizer.ChooseBlockSize(k)).Quantize(weight, n, k);
                int blocks = quantized.Blocks;
                string[] inputs =
                [
                    x,
                    b.Initializer(weightName + ".q", quantized.Data, n, blocks, quantized.BlockSize),
                    b.Initializer(weightName + ".scales", quantized.Scales, n, blocks),
                    b.Initializer(weightName + ".zero_points", quantized.ZeroPoints, n, blocks),
                    .. hasBias ? (string[])["", Weight(prefix + ".bias")] : [],
                ];
                AttributeProto[] attributes =
                [
                    OnnxGraphBuilder.Int("K", k),
                    OnnxGraphBuilder.Int("N", n),
                    OnnxGraphBuilder.Int("bits", BlockQuantizer.Bits),
                    OnnxGraphBuilder.Int("block_size", quantized.BlockSize),
                    OnnxGraphBuilder.Int("accuracy_level", AccuracyLevel),
                ];
                return output is null
                    ? b.Node("MatMulNBits", inputs, OnnxGraphBuilder.MicrosoftDomain, attributes)
                    : b.NodeWithOutputs("MatMulNBits", inputs, [output], OnnxGraphBuilder.MicrosoftDomain, attributes)[0];
            }

            var transposed = new float[weight.Length];
            for (int row = 0; row < n; row++)
            {
                for (int col = 0; col < k; col++)
                {
                    transposed[(col * n) + row] = weight[(row * k) + col];
                }
            }

            string product = !hasBias && output is not null
                ? b.NodeWithOutputs("MatMul", [x, b.Initializer(weightName + ".t", transposed, k, n)], [output])[0]
                : b.Node("MatMul", [x, b.Initializer(weightName + ".t", transposed, k, n)]);
            if (!hasBias)
            {
                return product;
            }

            return output is null
                ? b.Node("Add", [product, Weight(prefix + ".bias")])
                : b.NodeWithOutputs("Add", [product, Weight(prefix + ".bias")], [output])[0];
        }

        private readonly Dictionary<string, string> _initialized = [];

        /// <summary>The float initializer of a weight as stored (added on first use).</summary>
        private string Weight(string name)
        {
            if (!_initialized.TryGetValue(name, out string? value))
            {
                int[] shape = ShapeOf(name);
                value = Builder.Initializer(name, weights.Tensors[name], Array.ConvertAll(shape, d => (long)d));
                _initialized[name] = value;
            }

            return value;
        }

        private int[] ShapeOf(string name)
        {
            foreach (var (weightName, shape) in _config.WeightShapes())
            {
                if (weightName == name)
                {
                    return shape;
                }
            }

            throw new InvalidOperationException($"TransformerConfig has no weight '{name}'.");
        }
    }
}
