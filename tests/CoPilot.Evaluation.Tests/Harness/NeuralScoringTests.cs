using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Harness;
using CoPilot.Export;
using CoPilot.Inference.Onnx;

namespace CoPilot.Evaluation.Tests.Harness;

public sealed class NeuralScoringTests : IDisposable
{
    private static readonly TransformerConfig Shape = new(VocabSize: 40, ContextLength: 32, Layers: 2, Dim: 32, Heads: 2);
    private readonly OnnxDecoder _decoder = OnnxDecoder.Load(DecoderExporter.Export(RandomWeights(Shape, seed: 3), OnnxWeightFormat.Float32, "test"));

    public void Dispose() => _decoder.Dispose();

    [Fact]
    public void A_sequence_that_fits_scores_as_the_token_by_token_model_does()
    {
        int[] sequence = Tokens(30, seed: 1);
        var adapter = new OnnxTokenModel(_decoder);
        double expected = 0;
        for (int i = 5; i < sequence.Length; i++)
        {
            expected -= adapter.LogProbability(sequence.AsSpan(0, i), sequence[i]);
        }

        TokenScore score = WindowScorer.ScoreSequence(_decoder, sequence, prefixLength: 5);

        Assert.Equal(25, score.Tokens);
        Assert.Equal(expected, score.Nats, 3);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(101)]
    public void A_long_sequence_has_every_token_after_the_prefix_scored_once(int length)
    {
        TokenScore score = WindowScorer.ScoreSequence(_decoder, Tokens(length, seed: length), prefixLength: 5);

        Assert.Equal(length - 5, score.Tokens);
        Assert.True(double.IsFinite(score.Nats) && score.Nats > 0);
    }

    [Fact]
    public void The_adapter_gives_proper_distributions_however_the_context_moves()
    {
        var adapter = new OnnxTokenModel(_decoder);
        int[] sequence = Tokens(80, seed: 9);
        var p = new double[Shape.VocabSize];
        // Growing past the context, then jumping back to a short unrelated context.
        foreach (int n in new[] { 1, 2, 3, 31, 32, 33, 34, 70, 80, 4 })
        {
            adapter.Distribution(sequence.AsSpan(0, n), p);
            Assert.Equal(1.0, p.Sum(), 9);
            Assert.All(p, x => Assert.True(x > 0));
        }

        // The same context read fresh or incrementally gives the same prediction.
        var fresh = new OnnxTokenModel(_decoder);
        double incremental = adapter.LogProbability(sequence.AsSpan(0, 5), sequence[5]);
        Assert.Equal(fresh.LogProbability(sequence.AsSpan(0, 5), sequence[5]), incremental, 4);
    }

    private static int[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(Shape.VocabSize)).ToArray();
    }

    internal static TransformerWeights RandomWeights(TransformerConfig config, int seed)
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, float[]>();
        foreach (var (name, shape) in config.WeightShapes())
        {
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            bool isNormScale = name.EndsWith("weight", StringComparison.Ordinal) && shape.Length == 1;
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = isNormScale ? 1f : (float)((random.NextDouble() - 0.5) * 0.4);
            }

            tensors[name] = data;
        }

        return new TransformerWeights(config, tensors);
    }
}
