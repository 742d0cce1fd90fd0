using CoPilot.Export;
using static TorchSharp.torch;

namespace CoPilot.Training.Tests;

public sealed class CoPilotTransformerTests
{
    private static readonly TransformerConfig Tiny = new(VocabSize: 11, ContextLength: 8, Layers: 2, Dim: 8, Heads: 2);

    private static readonly long[] Input = [1, 4, 2, 9, 10, 0, 3];

    [Fact]
    public void ParametersAreExactlyTheContractsNamesAndShapes()
    {
        using var model = new CoPilotTransformer(Tiny, seed: 1);

        var actual = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.shape);
        var expected = Tiny.WeightShapes();

        Assert.Equal(expected.Count, actual.Count);
        foreach (var (name, shape) in expected)
        {
            Assert.True(actual.ContainsKey(name), name);
            Assert.Equal(shape.Select(d => (long)d), actual[name]);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameLogitsAndAnotherSeedDoesNot()
    {
        float[] a = Logits(new CoPilotTransformer(Tiny, seed: 7), Input);
        float[] b = Logits(new CoPilotTransformer(Tiny, seed: 7), Input);
        float[] c = Logits(new CoPilotTransformer(Tiny, seed: 8), Input);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void LaterTokensDoNotChangeEarlierLogits()
    {
        using var model = new CoPilotTransformer(Tiny, seed: 3);
        float[] before = Logits(model, Input);
        long[] changed = [.. Input];
        changed[^1] = 5;
        float[] after = Logits(model, changed);

        int earlier = (Input.Length - 1) * Tiny.VocabSize;
        Assert.Equal(before[..earlier], after[..earlier]);
        Assert.NotEqual(before[earlier..], after[earlier..]);
    }

    [Fact]
    public void WeightsRoundTripThroughTheExportLayout()
    {
        using var trained = new CoPilotTransformer(Tiny, seed: 5);
        var weights = trained.ToWeights();
        using var copy = CoPilotTransformer.FromWeights(weights);

        Assert.Equal(Logits(trained, Input), Logits(copy, Input));
    }

    [Fact]
    public void LogitsMatchAPlainReadingOfTheContract()
    {
        // Random non-zero biases and gains, so a swapped bias, a missing LayerNorm gain or a wrong qkv row
        // order shows up (the GPT-2 init sets them to 0 and 1, which would hide such mistakes).
        using var model = new CoPilotTransformer(Tiny, seed: 11);
        var random = new Random(2);
        var tensors = model.ToWeights().Tensors.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
        var weights = new TransformerWeights(Tiny, tensors);
        model.LoadWeights(weights);

        float[] actual = Logits(model, Input);
        float[] expected = ReferenceTransformer.Logits(weights, Input);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"logit {i}: {actual[i]} vs {expected[i]}");
        }
    }

    private static float[] Logits(CoPilotTransformer model, long[] ids)
    {
        model.eval();
        using var noGrad = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        using var logits = model.forward(input);
        return logits.data<float>().ToArray();
    }
}
