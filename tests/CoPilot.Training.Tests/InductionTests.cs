using CoPilot.Export;
using CoPilot.Inference.Onnx;
using static TorchSharp.torch;

namespace CoPilot.Training.Tests;

/// <summary>
/// Whether the transformer as trained here can learn to copy (an induction head: find where the current token
/// was seen before, predict what followed it). Songs repeat their sections, so the co-pilot needs this; a
/// causal mask, a rotary table or an attention layout that broke it would otherwise only show as a model a
/// few points worse.
/// </summary>
public sealed class InductionTests
{
    private const int Vocab = 32;
    private const int Section = 12;
    private const int Repeats = 4;

    [Theory]
    [InlineData(PositionEncoding.Rotary)]
    [InlineData(PositionEncoding.Learned)]
    public void TheTransformerLearnsToPredictTheRepeatsOfARandomSequence(PositionEncoding positions)
    {
        var config = new TransformerConfig(Vocab, ContextLength: (Section * Repeats) - 1, Layers: 2, Dim: 32, Heads: 2, positions);
        var random = new Random(7);
        int[][] train = [.. Enumerable.Range(0, 4000).Select(_ => Repeated(random))];
        int[][] valid = [.. Enumerable.Range(0, 64).Select(_ => Repeated(random))];
        var corpus = new TrainingCorpus(train, valid, Vocab, []);
        var options = new TrainingOptions
        {
            Model = config,
            Steps = 600,
            BatchSize = 16,
            LearningRate = 3e-3,
            MinLearningRate = 3e-4,
            WarmupSteps = 50,
            Dropout = 0,
            ValidateEvery = 600,
            HeaderWindowProbability = 1,
            MinTransposition = 0,
            MaxTransposition = 0,
        };

        TrainingResult result = TrainingRun.Run(corpus, options);
        using var model = CoPilotTransformer.FromWeights(result.Final);
        (double first, double repeats) = LossBySection(model, valid);

        // The first section is random: ln 31 ≈ 3.4 nats a token whatever the model. Its repeats are certain.
        Assert.InRange(first, 3.0, 4.0);
        Assert.True(repeats < 0.3, $"{positions}: {repeats:F2} nats per repeated token, against {first:F2} for the first section: the model did not learn to copy.");
    }

    // A random section of tokens 1..31 (0 stays the padding) played Repeats times.
    private static int[] Repeated(Random random)
    {
        int[] section = [.. Enumerable.Range(0, Section).Select(_ => random.Next(1, Vocab))];
        return [.. Enumerable.Repeat(section, Repeats).SelectMany(s => s)];
    }

    private static (double First, double Repeats) LossBySection(CoPilotTransformer model, int[][] songs)
    {
        model.eval();
        using var noGrad = no_grad();
        int time = songs[0].Length - 1;
        using var x = tensor(songs.SelectMany(s => s[..^1]).Select(t => (long)t).ToArray(), [songs.Length, time]);
        using var y = tensor(songs.SelectMany(s => s[1..]).Select(t => (long)t).ToArray(), [songs.Length * time]);
        using var logits = model.forward(x);
        using var losses = nn.functional.cross_entropy(logits.view(-1, Vocab), y, reduction: nn.Reduction.None).view(songs.Length, time);
        // Position t predicts token t + 1: the first section's tokens 1..Section-1, then the repeats.
        double first = losses.narrow(1, 0, Section - 1).mean().item<float>();
        double repeats = losses.narrow(1, Section - 1, time - (Section - 1)).mean().item<float>();
        return (first, repeats);
    }
}
