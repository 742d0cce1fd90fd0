using CoPilot.Inference.Onnx;

namespace CoPilot.Inference.Tests.Onnx;

public class OnnxModelInfoTests
{
    private static readonly OnnxModelInfo Info = new(VocabSize: 400, ContextLength: 256, Layers: 4, Dim: 256, Heads: 4, OnnxWeightFormat.Int8, "sha256:abc");

    [Fact]
    public void Metadata_round_trips()
    {
        Assert.True(OnnxModelInfo.TryParse(Info.ToMetadata().ToDictionary(), out var parsed, out string error), error);
        Assert.Equal(Info, parsed);
        Assert.Equal(64, parsed!.HeadDim);
    }

    [Fact]
    public void Rotary_positions_round_trip_and_a_model_from_before_them_reads_as_learned()
    {
        var rotary = Info with { Positions = PositionEncoding.Rotary };
        Assert.True(OnnxModelInfo.TryParse(rotary.ToMetadata().ToDictionary(), out var parsed, out string error), error);
        Assert.Equal(PositionEncoding.Rotary, parsed!.Positions);

        var old = rotary.ToMetadata().Where(p => p.Key != OnnxModelInfo.PositionsKey).ToDictionary();
        Assert.True(OnnxModelInfo.TryParse(old, out parsed, out error), error);
        Assert.Equal(PositionEncoding.Learned, parsed!.Positions);
    }

    [Theory]
    [InlineData(OnnxModelInfo.LayersKey)]
    [InlineData(OnnxModelInfo.WeightFormatKey)]
    [InlineData(OnnxModelInfo.VocabularyHashKey)]
    [InlineData(OnnxModelInfo.FormatVersionKey)]
    public void A_missing_key_is_named(string key)
    {
        var metadata = Info.ToMetadata().Where(p => p.Key != key).ToDictionary();
        Assert.False(OnnxModelInfo.TryParse(metadata, out var parsed, out string error));
        Assert.Null(parsed);
        Assert.Contains(key, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OnnxModelInfo.DimKey, "-256")]
    [InlineData(OnnxModelInfo.HeadsKey, "3")]
    [InlineData(OnnxModelInfo.VocabSizeKey, "many")]
    [InlineData(OnnxModelInfo.WeightFormatKey, "int4")]
    [InlineData(OnnxModelInfo.PositionsKey, "alibi")]
    public void A_malformed_value_is_refused(string key, string value)
    {
        var metadata = Info.ToMetadata().ToDictionary();
        metadata[key] = value;
        Assert.False(OnnxModelInfo.TryParse(metadata, out _, out string error));
        Assert.NotEmpty(error);
    }
}
