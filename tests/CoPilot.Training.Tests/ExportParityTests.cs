using CoPilot.Data;
using CoPilot.Export;
using CoPilot.Inference.Onnx;
using static TorchSharp.torch;

namespace CoPilot.Training.Tests;

/// <summary>The trained TorchSharp model and its ONNX export (CoPilot.Export, run by OnnxDecoder) agree.</summary>
public sealed class ExportParityTests
{
    private static readonly TransformerConfig Small = new(VocabSize: 24, ContextLength: 16, Layers: 2, Dim: 32, Heads: 2);

    [Fact]
    public void ExportedFloat32DecoderGivesTheTrainedModelsLogits()
    {
        // A few training steps, so biases and LayerNorm gains have moved away from their 0 / 1 initial values.
        var random = new Random(3);
        int[] Song() => [1, .. Enumerable.Range(0, random.Next(8, 40)).Select(_ => random.Next(2, 24))];
        var corpus = new TrainingCorpus([.. Enumerable.Range(0, 20).Select(_ => Song())], [Song()], Small.VocabSize, [CorpusSet.JsbChorales]);
        var options = new TrainingOptions { Model = Small, BatchSize = 4, Steps = 8, WarmupSteps = 2, LearningRate = 1e-2, Dropout = 0, Threads = 1 };
        var weights = TrainingRun.Run(corpus, options).Final;
        int[] tokens = [1, 5, 9, 2, 23, 7, 7, 14, 3, 11, 20, 6];

        using var model = CoPilotTransformer.FromWeights(weights);
        model.eval();
        float[] expected;
        using (var noGrad = no_grad())
        using (var input = tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length]))
        using (var logits = model.forward(input))
        {
            expected = logits.data<float>().ToArray();
        }

        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "parity-test"));
        for (int i = 0; i < tokens.Length; i++)
        {
            var actual = decoder.Step(tokens[i]);
            for (int v = 0; v < Small.VocabSize; v++)
            {
                float e = expected[(i * Small.VocabSize) + v];
                Assert.True(Math.Abs(actual[v] - e) < 1e-4, $"position {i}, token {v}: ONNX {actual[v]}, TorchSharp {e}");
            }
        }
    }
}
