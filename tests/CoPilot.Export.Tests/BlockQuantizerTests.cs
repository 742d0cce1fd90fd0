using CoPilot.Inference.Onnx;
using CsCheck;

namespace CoPilot.Export.Tests;

public class BlockQuantizerTests
{
    [Theory]
    [InlineData(256, 128)]
    [InlineData(1024, 128)]
    [InlineData(64, 64)]
    [InlineData(48, 16)]
    [InlineData(40, 128)]
    public void Block_size_divides_K_when_it_can(int k, int expected) =>
        Assert.Equal(expected, BlockQuantizer.ChooseBlockSize(k));

    [Fact]
    public void Each_weight_is_within_half_a_step_of_its_value()
    {
        Gen.Int[1, 6].Select(Gen.Int[1, 300], Gen.Int[0, 3]).SelectMany((n, k, blockPower) =>
                Gen.Float[-3f, 3f].Array[n * k].Select(w => (n, k, BlockSize: 16 << blockPower, w)))
            .Sample(c =>
            {
                var q = new BlockQuantizer(c.BlockSize).Quantize(c.w, c.n, c.k);
                float[] back = q.Dequantize();
                for (int row = 0; row < c.n; row++)
                {
                    for (int col = 0; col < c.k; col++)
                    {
                        float scale = q.Scales[(row * q.Blocks) + (col / c.BlockSize)];
                        int i = (row * c.k) + col;
                        if (Math.Abs(back[i] - c.w[i]) > (scale * 0.5f) + 1e-6f)
                        {
                            return false;
                        }
                    }
                }

                return true;
            });
    }

    [Fact]
    public void Zero_is_exact_and_pads_the_last_block()
    {
        float[] w = [0f, 1f, -0.5f, 0f, 2f];
        var q = new BlockQuantizer(16).Quantize(w, n: 1, k: 5);
        Assert.Equal(16, q.Data.Length);
        float[] back = q.Dequantize();
        Assert.Equal(0f, back[0]);
        Assert.Equal(0f, back[3]);
        Assert.All(q.Data[5..], b => Assert.Equal(q.ZeroPoints[0], b));
    }

    [Fact]
    public void Int8_runs_when_no_block_size_divides_the_dimension()
    {
        // Dim 40: K = 40 is padded to one 128-value block (fc's K = 160 takes blocks of 32).
        var config = new TransformerConfig(VocabSize: 30, ContextLength: 16, Layers: 1, Dim: 40, Heads: 1);
        var weights = RandomWeights.Create(config, seed: 30);
        int[] tokens = DecoderExportTests.RandomTokens(config, 12, seed: 31);
        using var fp32 = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "t"));
        using var int8 = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Int8, "t"));
        int agree = 0;
        foreach (int token in tokens)
        {
            float[] a = fp32.Step(token).ToArray();
            agree += DecoderExportTests.ArgMax(a) == DecoderExportTests.ArgMax(int8.Step(token)) ? 1 : 0;
        }

        Assert.True(agree >= 10, $"{agree} of {tokens.Length} top tokens agree");
    }
}
