using System.Globalization;

namespace CoPilot.Inference.Onnx;

/// <summary>How the decoder's matrix weights are stored in the ONNX file.</summary>
public enum OnnxWeightFormat
{
    /// <summary>Plain MatMul over float32 initializers: the reference for accuracy.</summary>
    Float32,

    /// <summary>com.microsoft MatMulNBits, 8 bits per weight with a scale and zero point per block along K.</summary>
    Int8,
}

/// <summary>How the decoder knows where a token is.</summary>
public enum PositionEncoding
{
    /// <summary>A learned vector per absolute position, added to the token embedding (GPT-2).</summary>
    Learned,

    /// <summary>Queries and keys rotated by their position inside attention (RoPE).</summary>
    Rotary,
}

/// <summary>
/// What an exported decoder promises its loader, stored as ONNX <c>metadata_props</c>: the format version of
/// the graph's inputs and outputs, the transformer's shape, the weight format, and a hash of the vocabulary the
/// model was trained on, so that a model from another tokenizer or an older exporter is refused at load time
/// instead of producing plausible-looking nonsense.
/// </summary>
public sealed record OnnxModelInfo(
    int VocabSize,
    int ContextLength,
    int Layers,
    int Dim,
    int Heads,
    OnnxWeightFormat WeightFormat,
    string VocabularyHash,
    int FormatVersion = OnnxModelInfo.CurrentFormatVersion,
    PositionEncoding Positions = PositionEncoding.Learned)
{
    /// <summary>
    /// Bumped whenever the graph's inputs, outputs or their meaning change (2: the final hidden state is an output,
    /// <see cref="DecoderTensorNames.Hidden"/>).
    /// </summary>
    public const int CurrentFormatVersion = 2;

    public const string FormatVersionKey = "copilot.format_version";
    public const string VocabSizeKey = "copilot.vocab_size";
    public const string ContextLengthKey = "copilot.context_length";
    public const string LayersKey = "copilot.layers";
    public const string DimKey = "copilot.dim";
    public const string HeadsKey = "copilot.heads";
    public const string WeightFormatKey = "copilot.weight_format";
    public const string VocabularyHashKey = "copilot.vocabulary_hash";

    /// <summary>Absent in models exported before rotary positions existed, which all learned theirs.</summary>
    public const string PositionsKey = "copilot.positions";

    public int HeadDim => Dim / Heads;

    /// <summary>The key/value pairs the exporter writes into <c>ModelProto.metadata_props</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata() =>
    [
        new(FormatVersionKey, FormatVersion.ToString(CultureInfo.InvariantCulture)),
        new(VocabSizeKey, VocabSize.ToString(CultureInfo.InvariantCulture)),
        new(ContextLengthKey, ContextLength.ToString(CultureInfo.InvariantCulture)),
        new(LayersKey, Layers.ToString(CultureInfo.InvariantCulture)),
        new(DimKey, Dim.ToString(CultureInfo.InvariantCulture)),
        new(HeadsKey, Heads.ToString(CultureInfo.InvariantCulture)),
        new(WeightFormatKey, WeightFormat == OnnxWeightFormat.Int8 ? "int8" : "float32"),
        new(VocabularyHashKey, VocabularyHash),
        new(PositionsKey, Positions == PositionEncoding.Rotary ? "rotary" : "learned"),
    ];

    /// <summary>Reads the metadata back; the error names the first missing or malformed key.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string> metadata, out OnnxModelInfo? info, out string error)
    {
        info = null;
        if (!TryInt(metadata, FormatVersionKey, out int version, out error)
            || !TryInt(metadata, VocabSizeKey, out int vocab, out error)
            || !TryInt(metadata, ContextLengthKey, out int context, out error)
            || !TryInt(metadata, LayersKey, out int layers, out error)
            || !TryInt(metadata, DimKey, out int dim, out error)
            || !TryInt(metadata, HeadsKey, out int heads, out error))
        {
            return false;
        }

        if (!metadata.TryGetValue(WeightFormatKey, out string? format) || (format != "int8" && format != "float32"))
        {
            error = $"metadata '{WeightFormatKey}' is missing or not 'float32'/'int8'";
            return false;
        }

        if (!metadata.TryGetValue(VocabularyHashKey, out string? hash))
        {
            error = $"metadata '{VocabularyHashKey}' is missing";
            return false;
        }

        var positions = PositionEncoding.Learned;
        if (metadata.TryGetValue(PositionsKey, out string? positionsText))
        {
            if (positionsText is not ("learned" or "rotary"))
            {
                error = $"metadata '{PositionsKey}' is not 'learned'/'rotary'";
                return false;
            }

            positions = positionsText == "rotary" ? PositionEncoding.Rotary : PositionEncoding.Learned;
        }

        if (vocab < 2 || context < 1 || layers < 1 || dim < 1 || heads < 1 || dim % heads != 0)
        {
            error = $"metadata describes an impossible shape (vocab {vocab}, context {context}, layers {layers}, dim {dim}, heads {heads})";
            return false;
        }

        info = new OnnxModelInfo(vocab, context, layers, dim, heads, format == "int8" ? OnnxWeightFormat.Int8 : OnnxWeightFormat.Float32, hash, version, positions);
        error = "";
        return true;
    }

    private static bool TryInt(IReadOnlyDictionary<string, string> metadata, string key, out int value, out string error)
    {
        if (metadata.TryGetValue(key, out string? text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = "";
            return true;
        }

        value = 0;
        error = $"metadata '{key}' is missing or not a non-negative integer";
        return false;
    }
}

/// <summary>
/// The names of the decoder graph's inputs and outputs: the contract between the exporter and
/// <see cref="OnnxDecoder"/> (format version <see cref="OnnxModelInfo.CurrentFormatVersion"/>).
/// </summary>
/// <remarks>
/// Inputs: <c>input_ids</c> int64 [1, S]; <c>position_ids</c> int64 [1, S] (absolute positions, for the learned
/// position embedding; a rotary model's GroupQueryAttention works them out from seqlens_k, and ignores this input); <c>seqlens_k</c> int32 [1] = tokens in the cache after this call − 1;
/// <c>total_sequence_length</c> int32 scalar = seqlens_k + 1; per layer <c>past_key.i</c>/<c>past_value.i</c>
/// float [1, heads, ContextLength, headDim]. Outputs: <c>logits</c> float [1, S, V], <c>hidden</c> float [1, S, dim]
/// (the final LayerNorm's output, which the head reads) and per layer
/// <c>present_key.i</c>/<c>present_value.i</c> of the same shape as the past, which the caller binds to the very
/// same buffer as the past so GroupQueryAttention appends in place.
/// </remarks>
public static class DecoderTensorNames
{
    public const string InputIds = "input_ids";
    public const string PositionIds = "position_ids";
    public const string SeqLensK = "seqlens_k";
    public const string TotalSequenceLength = "total_sequence_length";
    public const string Logits = "logits";
    public const string Hidden = "hidden";

    public static string PastKey(int layer) => "past_key." + layer.ToString(CultureInfo.InvariantCulture);

    public static string PastValue(int layer) => "past_value." + layer.ToString(CultureInfo.InvariantCulture);

    public static string PresentKey(int layer) => "present_key." + layer.ToString(CultureInfo.InvariantCulture);

    public static string PresentValue(int layer) => "present_value." + layer.ToString(CultureInfo.InvariantCulture);
}
