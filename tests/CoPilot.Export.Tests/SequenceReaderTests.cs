using CoPilot.Inference.Onnx;

namespace CoPilot.Export.Tests;

public sealed class SequenceReaderTests : IDisposable
{
    private static readonly TransformerConfig Shape = DecoderExportTests.Small; // context 32
    private readonly OnnxDecoder _decoder = OnnxDecoder.Load(DecoderExporter.Export(RandomWeights.Create(Shape, seed: 51), OnnxWeightFormat.Float32, "test"));

    public void Dispose() => _decoder.Dispose();

    [Fact]
    public void Forgetting_a_token_lets_the_sequence_go_on_differently_as_if_read_afresh()
    {
        int[] first = DecoderExportTests.RandomTokens(Shape, 12, seed: 52);
        int[] second = [.. first];
        second[11] = (first[11] + 1) % Shape.VocabSize;

        var reader = new SequenceReader(_decoder);
        reader.Reset();
        reader.ReadTo(first, 12);
        reader.Forget(1);
        Assert.Equal(11, reader.Read);
        float[] logits = reader.ReadTo(second, 12).ToArray();
        float[] hidden = reader.Hidden.ToArray();

        var fresh = new SequenceReader(_decoder);
        fresh.Reset();
        AssertClose(fresh.ReadTo(second, 12), logits);
        AssertClose(fresh.Hidden, hidden);
    }

    [Fact]
    public void Forgetting_across_a_window_slide_reads_the_sequence_again()
    {
        // 40 tokens in a context of 32: the window slid, and what is forgotten may lie before it.
        int[] tokens = DecoderExportTests.RandomTokens(Shape, 40, seed: 53);
        var reader = new SequenceReader(_decoder);
        reader.Reset();
        reader.ReadTo(tokens, 40);
        reader.Forget(30);
        Assert.Equal(0, reader.Read);
        float[] logits = reader.ReadTo(tokens, 40).ToArray();

        var fresh = new SequenceReader(_decoder);
        fresh.Reset();
        AssertClose(fresh.ReadTo(tokens, 40), logits);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Forget(41));
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4f, $"{i}: {expected[i]} vs {actual[i]}");
        }
    }
}
