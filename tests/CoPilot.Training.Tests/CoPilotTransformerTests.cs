using CoPilot.Export;
using CoPilot.Inference.Onnx;
using CoPilot.TestSupport;
using static TorchSharp.torch;

namespace CoPilot.Training.Tests;

public sealed class CoPilotTransformerTests
{
    private static readonly TransformerConfig Tiny = new(VocabSize: 11, ContextLength: 8, Layers: 2, Dim: 8, Heads: 2);

    private static readonly long[] Input = [1, 4, 2, 9, 10, 0, 3];

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void ParametersAreExactlyTheContractsNamesAndShapes(PositionEncoding positions)
    {
        var config = Tiny with { Positions = positions };
        using var model = new CoPilotTransformer(config, seed: 1);

        var actual = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.shape);
        var expected = config.WeightShapes();

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

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void LaterTokensDoNotChangeEarlierLogits(PositionEncoding positions)
    {
        var config = Tiny with { Positions = positions };
        using var model = new CoPilotTransformer(config, seed: 3);
        float[] before = Logits(model, Input);
        long[] changed = [.. Input];
        changed[^1] = 5;
        float[] after = Logits(model, changed);

        int earlier = (Input.Length - 1) * config.VocabSize;
        Assert.Equal(before[..earlier], after[..earlier]);
        Assert.NotEqual(before[earlier..], after[earlier..]);
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void WeightsRoundTripThroughTheExportLayout(PositionEncoding positions)
    {
        var config = Tiny with { Positions = positions };
        using var trained = new CoPilotTransformer(config, seed: 5);
        var weights = trained.ToWeights();
        using var copy = CoPilotTransformer.FromWeights(weights);

        Assert.Equal(Logits(trained, Input), Logits(copy, Input));
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void LogitsMatchAPlainReadingOfTheContract(PositionEncoding positions)
    {
        var config = Tiny with { Positions = positions };
        // Random non-zero biases and gains, so a swapped bias, a missing LayerNorm gain or a wrong qkv row
        // order shows up (the GPT-2 init sets them to 0 and 1, which would hide such mistakes).
        using var model = new CoPilotTransformer(config, seed: 11);
        var random = new Random(2);
        var tensors = model.ToWeights().Tensors.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
        var weights = new TransformerWeights(config, tensors);
        model.LoadWeights(weights);

        float[] actual = Logits(model, Input);
        float[] expected = ReferenceTransformer.Forward(weights, [.. Input.Select(id => (int)id)]);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"logit {i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void A_rotary_model_has_no_position_table()
    {
        var config = Tiny with { Positions = PositionEncoding.Rotary };
        Assert.DoesNotContain(config.WeightShapes(), w => w.Name == "pos_emb.weight");
        Assert.Contains(Tiny.WeightShapes(), w => w.Name == "pos_emb.weight");
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void WeightsFileRoundTripsTheShapeAndEveryValue(PositionEncoding positions)
    {
        var config = Tiny with { Positions = positions };
        using var model = new CoPilotTransformer(config, seed: 4);
        var weights = model.ToWeights();
        string path = Path.Combine(Path.GetTempPath(), $"copilot-{Guid.NewGuid():N}.cptw");
        try
        {
            TransformerWeightsFile.Write(path, weights);
            var read = TransformerWeightsFile.Read(path);
            Assert.Equal(config, read.Config);
            foreach (var (name, _) in config.WeightShapes())
            {
                Assert.Equal(weights.Tensors[name], read.Tensors[name]);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_version_1_weights_file_reads_as_learned_positions()
    {
        // Version 1 (every model before rotary positions): the five shape integers, then the tensors.
        using var model = new CoPilotTransformer(Tiny, seed: 6);
        var weights = model.ToWeights();
        string path = Path.Combine(Path.GetTempPath(), $"copilot-{Guid.NewGuid():N}.cptw");
        try
        {
            using (var writer = new BinaryWriter(File.Create(path)))
            {
                writer.Write(0x57545043u);
                writer.Write(1);
                foreach (int value in new[] { Tiny.VocabSize, Tiny.ContextLength, Tiny.Layers, Tiny.Dim, Tiny.Heads })
                {
                    writer.Write(value);
                }

                foreach (var (name, _) in Tiny.WeightShapes())
                {
                    writer.Write(name);
                    writer.Write(weights.Tensors[name].Length);
                    foreach (float v in weights.Tensors[name])
                    {
                        writer.Write(v);
                    }
                }
            }

            var read = TransformerWeightsFile.Read(path);
            Assert.Equal(Tiny, read.Config);
            Assert.Equal(PositionEncoding.Learned, read.Config.Positions);
            Assert.Equal(weights.Tensors["pos_emb.weight"], read.Tensors["pos_emb.weight"]);

            // An unknown position encoding is a corrupt file, not a crash later in training.
            byte[] bytes = File.ReadAllBytes(path);
            BitConverter.GetBytes(2).CopyTo(bytes, 4);
            File.WriteAllBytes(path, [.. bytes[..28], .. BitConverter.GetBytes(7), .. bytes[28..]]);
            Assert.Throws<InvalidDataException>(() => TransformerWeightsFile.Read(path));
        }
        finally
        {
            File.Delete(path);
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
