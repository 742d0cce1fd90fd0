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

        SequenceReader reader = NewReader();
        reader.ReadTo(first, 12);
        reader.Forget(1);
        Assert.Equal(11, reader.Read);
        float[] logits = reader.ReadTo(second, 12).ToArray();
        float[] hidden = reader.Hidden.ToArray();

        SequenceReader fresh = NewReader();
        AssertClose(fresh.ReadTo(second, 12), logits);
        AssertClose(fresh.Hidden, hidden);
    }

    [Fact]
    public void Forgetting_across_a_window_slide_reads_the_sequence_again()
    {
        // 40 tokens in a context of 32: the window slid, and what is forgotten may lie before it.
        int[] tokens = DecoderExportTests.RandomTokens(Shape, 40, seed: 53);
        SequenceReader reader = NewReader();
        reader.ReadTo(tokens, 40);
        reader.Forget(30);
        Assert.Equal(0, reader.Read);
        float[] logits = reader.ReadTo(tokens, 40).ToArray();

        SequenceReader fresh = NewReader();
        AssertClose(fresh.ReadTo(tokens, 40), logits);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Forget(41));
    }

    [Theory]
    [InlineData(10)] // room in the window
    [InlineData(28)] // the window moves on first
    public void The_log_probability_of_a_continuation_is_that_of_a_fresh_read_and_leaves_the_reader_as_it_was(int read)
    {
        int[] tokens = DecoderExportTests.RandomTokens(Shape, read + 6, seed: 54);
        SequenceReader reader = NewReader();
        float[] before = reader.ReadTo(tokens, read).ToArray();

        double score = reader.LogProbability(tokens.AsSpan(0, read), tokens.AsSpan(read, 6));

        SequenceReader fresh = NewReader();
        double expected = 0;
        for (int k = 0; k < 6; k++)
        {
            expected += Logits.LogSoftmax(fresh.ReadTo(tokens, read + k), tokens[read + k]);
        }

        // A moved window keeps half a context of history, as a fresh read's windows do at other points: only the
        // case with room must match exactly.
        if (read == 10)
        {
            Assert.Equal(expected, score, 3);
        }
        else
        {
            Assert.True(double.IsFinite(score) && score < 0, $"{score}");
        }

        // Tokens given as context are conditioned on, not scored (asked again: a moved window stays moved).
        double whole = reader.LogProbability(tokens.AsSpan(0, read), tokens.AsSpan(read, 6));
        double head = reader.LogProbability(tokens.AsSpan(0, read), tokens.AsSpan(read, 2));
        Assert.Equal(whole - head, reader.LogProbability(tokens.AsSpan(0, read), tokens.AsSpan(read, 6), given: 2), 3);

        // The reader goes on as if nothing had been scored.
        reader.Reset();
        AssertClose(before, reader.ReadTo(tokens, read));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.LogProbability(tokens.AsSpan(0, read), new int[Shape.ContextLength / 2]));
    }

    [Fact]
    public void Scoring_then_reading_on_gives_the_logits_of_a_fresh_read()
    {
        int[] tokens = DecoderExportTests.RandomTokens(Shape, 20, seed: 55);
        SequenceReader reader = NewReader();
        reader.ReadTo(tokens, 12);
        reader.LogProbability(tokens.AsSpan(0, 12), tokens.AsSpan(12, 5));
        float[] logits = reader.ReadTo(tokens, 20).ToArray();

        SequenceReader fresh = NewReader();
        AssertClose(fresh.ReadTo(tokens, 20), logits);
    }

    /// <summary>A reader on the shared decoder, reset as a new sequence starts.</summary>
    private SequenceReader NewReader()
    {
        var reader = new SequenceReader(_decoder);
        reader.Reset();
        return reader;
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
