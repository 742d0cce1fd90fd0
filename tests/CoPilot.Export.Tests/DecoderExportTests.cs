using CoPilot.Inference.Onnx;
using CoPilot.TestSupport;
using Xunit.Abstractions;

namespace CoPilot.Export.Tests;

public class DecoderExportTests(ITestOutputHelper output)
{
    internal static readonly TransformerConfig Small = new(VocabSize: 50, ContextLength: 32, Layers: 2, Dim: 64, Heads: 4);
    internal static readonly TransformerConfig Large = new(VocabSize: 400, ContextLength: 256, Layers: 4, Dim: 256, Heads: 4);

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void Float32_decode_steps_match_the_reference_small(PositionEncoding positions) =>
        DecodeStepsMatchReference(Small with { Positions = positions }, steps: 20, seed: 1);

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void Float32_decode_steps_match_the_reference_large(PositionEncoding positions) =>
        DecodeStepsMatchReference(Large with { Positions = positions }, steps: 20, seed: 2);

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void Prefill_then_steps_match_the_reference(PositionEncoding positions)
    {
        var small = Small with { Positions = positions };
        var weights = RandomWeights.Create(small, seed: 3);
        int[] tokens = RandomTokens(small, 20, seed: 4);
        float[] expected = ReferenceTransformer.Forward(weights, tokens);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        int v = small.VocabSize;

        float[] prompt = decoder.Prefill(tokens.AsSpan(0, 12)).ToArray();
        AssertClose(expected.AsSpan(0, 12 * v), prompt, 1e-4f, "prompt");
        for (int t = 12; t < 20; t++)
        {
            AssertClose(expected.AsSpan(t * v, v), decoder.Step(tokens[t]), 1e-4f, $"step {t}");
        }
    }

    [Fact]
    public void The_hidden_state_is_what_the_head_reads_after_a_step_and_after_a_prefill()
    {
        var weights = RandomWeights.Create(Small, seed: 41);
        int[] tokens = RandomTokens(Small, 10, seed: 42);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        float[] head = weights.Tensors["head.weight"];
        int d = Small.Dim;

        float[] prefillLogits = decoder.Prefill(tokens.AsSpan(0, 6))[^Small.VocabSize..].ToArray();
        float[] prefillHidden = decoder.Hidden.ToArray();
        float[] stepLogits = decoder.Step(tokens[6]).ToArray();
        float[] stepHidden = decoder.Hidden.ToArray();

        Assert.Equal(d, prefillHidden.Length);
        Assert.NotEqual(prefillHidden, stepHidden);
        foreach ((float[] logits, float[] hidden, string what) in new[] { (prefillLogits, prefillHidden, "prefill"), (stepLogits, stepHidden, "step") })
        {
            var fromHidden = new float[Small.VocabSize];
            for (int v = 0; v < fromHidden.Length; v++)
            {
                double sum = 0;
                for (int i = 0; i < d; i++)
                {
                    sum += head[(v * d) + i] * hidden[i];
                }

                fromHidden[v] = (float)sum;
            }

            AssertClose(logits, fromHidden, 1e-4f, what);
        }
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void A_prefill_after_steps_continues_the_cache(PositionEncoding positions)
    {
        var small = Small with { Positions = positions };
        var weights = RandomWeights.Create(small, seed: 5);
        int[] tokens = RandomTokens(small, 16, seed: 6);
        float[] expected = ReferenceTransformer.Forward(weights, tokens);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        int v = small.VocabSize;
        for (int t = 0; t < 5; t++)
        {
            decoder.Step(tokens[t]);
        }

        AssertClose(expected.AsSpan(5 * v, 7 * v), decoder.Prefill(tokens.AsSpan(5, 7)), 1e-4f, "chunk");
        Assert.Equal(12, decoder.Position);
        AssertClose(expected.AsSpan(12 * v, v), decoder.Step(tokens[12]), 1e-4f, "after chunk");
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void A_rewound_decoder_branches_as_if_the_forgotten_tokens_were_never_read(PositionEncoding positions)
    {
        var small = Small with { Positions = positions };
        var weights = RandomWeights.Create(small, seed: 7);
        int[] trunk = RandomTokens(small, 10, seed: 8);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        int v = small.VocabSize;
        decoder.Prefill(trunk);

        // Try three branch tokens from the same trunk, stepping back after each, then go on down a fourth.
        foreach (int branch in new[] { 3, 17, 41 })
        {
            float[] expected = ReferenceTransformer.Forward(weights, [.. trunk, branch]);
            AssertClose(expected.AsSpan(10 * v, v), decoder.Step(branch), 1e-4f, $"branch {branch}");
            decoder.Rewind(10);
            Assert.Equal(10, decoder.Position);
        }

        float[] path = ReferenceTransformer.Forward(weights, [.. trunk, 5, 6]);
        decoder.Step(5);
        AssertClose(path.AsSpan(11 * v, v), decoder.Step(6), 1e-4f, "after the branches");
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Rewind(13));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Rewind(-1));
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void A_prompt_can_fill_the_whole_context_and_then_steps_are_refused(PositionEncoding positions)
    {
        var small = Small with { Positions = positions };
        var weights = RandomWeights.Create(small, seed: 17);
        int[] tokens = RandomTokens(small, small.ContextLength, seed: 18);
        float[] expected = ReferenceTransformer.Forward(weights, tokens);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));

        AssertClose(expected, decoder.Prefill(tokens), 1e-4f, "full prompt");
        Assert.True(decoder.IsFull);
        Assert.Throws<InvalidOperationException>(() => decoder.Step(0));
        decoder.Reset();
        Assert.Throws<InvalidOperationException>(() => decoder.Prefill(new int[small.ContextLength + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Step(small.VocabSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Step(-1));
        Assert.Equal(0, decoder.Position);
    }

    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void Reset_starts_a_new_sequence(PositionEncoding positions)
    {
        var small = Small with { Positions = positions };
        var weights = RandomWeights.Create(small, seed: 7);
        int[] first = RandomTokens(small, 10, seed: 8);
        int[] second = RandomTokens(small, 6, seed: 9);
        float[] expected = ReferenceTransformer.Forward(weights, second);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        foreach (int token in first)
        {
            decoder.Step(token);
        }

        decoder.Reset();
        for (int t = 0; t < second.Length; t++)
        {
            AssertClose(expected.AsSpan(t * small.VocabSize, small.VocabSize), decoder.Step(second[t]), 1e-4f, $"step {t}");
        }
    }

    /// <remarks>
    /// Random weights make a chaotic network with near-ties between top logits, so 8-bit weights (and int8
    /// activations at accuracy level 4) flip the top token more often than in a trained model: measured about
    /// 93 % agreement here (NLL unchanged to 0.01 %), logits off by about 2.5 % of their spread. The bounds catch a wrong packing
    /// (agreement near chance, NLL far off); the ≥ 98 % criterion belongs to the trained model on validation data.
    /// </remarks>
    [Fact]
    public void Int8_follows_the_float32_model()
    {
        var weights = RandomWeights.Create(Large, seed: 10);
        using var fp32 = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        using var int8 = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Int8, "test"));
        Assert.Equal(OnnxWeightFormat.Int8, int8.Info.WeightFormat);
        int[][] sequences = [RandomTokens(Large, 200, seed: 11), RandomTokens(Large, 100, seed: 12)];

        var report = QuantizationReport.Measure(fp32, int8, sequences);

        float[] first = fp32.Prefill(sequences[0].AsSpan(0, 1)).ToArray();
        double spread = Math.Sqrt(first.Sum(l => l * (double)l) / first.Length - Math.Pow(first.Average(), 2));
        output.WriteLine($"INT8 vs FP32, {report}; logit spread {spread:G3}");
        Assert.Equal(298, report.Positions);
        Assert.True(report.TopOneAgreement >= 0.9, report.ToString());
        Assert.True(report.RelativeNllChange <= 0.02, report.ToString());
        Assert.True(report.MeanAbsoluteLogitError <= 0.05 * spread, report.ToString());
    }

    /// <remarks>
    /// Not bit-identical: MatMulNBits rounds a prompt's activations differently from one row's (measured mean
    /// |Δlogit| 0.016 between the two), but both stray from FP32 by the same amount (0.036 and 0.036), so a
    /// prompt-mode <see cref="QuantizationReport"/> stands for step-by-step decoding.
    /// </remarks>
    [Fact]
    public void Int8_prompt_and_steps_are_equally_close_to_float32()
    {
        var weights = RandomWeights.Create(Large, seed: 22);
        int[] tokens = RandomTokens(Large, 64, seed: 23);
        using var fp32 = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        using var int8 = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Int8, "test"));
        float[] reference = fp32.Prefill(tokens).ToArray();
        float[] prompt = int8.Prefill(tokens).ToArray();
        int8.Reset();
        double promptError = 0, stepError = 0, between = 0;
        for (int t = 0; t < tokens.Length; t++)
        {
            ReadOnlySpan<float> step = int8.Step(tokens[t]);
            for (int i = 0; i < Large.VocabSize; i++)
            {
                int j = (t * Large.VocabSize) + i;
                promptError += Math.Abs(reference[j] - prompt[j]);
                stepError += Math.Abs(reference[j] - step[i]);
                between += Math.Abs(prompt[j] - step[i]);
            }
        }

        int n = reference.Length;
        output.WriteLine($"mean |Δlogit| against FP32: INT8 prompt {promptError / n:G3}, INT8 steps {stepError / n:G3}; between them {between / n:G3}");
        Assert.InRange(promptError / stepError, 0.8, 1.25);
        Assert.True(between < stepError, "prompt and steps differ more than INT8 differs from FP32");
    }

    [Fact]
    public void The_quantization_report_of_a_model_against_itself_is_exact()
    {
        byte[] model = DecoderExporter.Export(RandomWeights.Create(Small, seed: 19), OnnxWeightFormat.Float32, "test");
        using var a = OnnxDecoder.Load(model);
        using var b = OnnxDecoder.Load(model);
        var report = QuantizationReport.Measure(a, b, [RandomTokens(Small, 10, seed: 20), [3], RandomTokens(Small, 40, seed: 21)]);
        Assert.Equal(9 + Small.ContextLength - 1, report.Positions);
        Assert.Equal(1.0, report.TopOneAgreement);
        Assert.Equal(0.0, report.MeanAbsoluteLogitError);
        Assert.Equal(report.ReferenceNll, report.CandidateNll);
    }

    [Fact]
    public void The_model_carries_its_shape_and_vocabulary()
    {
        var weights = RandomWeights.Create(Small, seed: 12);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Int8, "vocab-abc"), expectedVocabularyHash: "vocab-abc");
        Assert.Equal(DecoderExporter.InfoFor(Small, OnnxWeightFormat.Int8, "vocab-abc"), decoder.Info);
    }

    [Fact]
    public void A_model_for_another_vocabulary_is_refused()
    {
        byte[] model = DecoderExporter.Export(RandomWeights.Create(Small, seed: 13), OnnxWeightFormat.Float32, "vocab-abc");
        var e = Assert.Throws<OnnxModelException>(() => OnnxDecoder.Load(model, expectedVocabularyHash: "vocab-xyz"));
        Assert.Equal(OnnxModelError.Incompatible, e.Error);
        Assert.Contains("vocab-abc", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "not a CoPilot decoder")]
    [InlineData(OnnxModelInfo.FormatVersionKey, "1", "format 1")]
    [InlineData(OnnxModelInfo.ContextLengthKey, "64", "past_key.0")]
    [InlineData(OnnxModelInfo.LayersKey, "3", "past_key.2")]
    [InlineData(OnnxModelInfo.LayersKey, "1", "inputs")]
    public void A_model_whose_metadata_does_not_match_is_refused(string? key, string? value, string expected)
    {
        var model = DecoderExporter.BuildModel(RandomWeights.Create(Small, seed: 24), OnnxWeightFormat.Float32, "test");
        if (key is null)
        {
            model.MetadataProps.Clear();
        }
        else
        {
            model.MetadataProps.Single(p => p.Key == key).Value = value;
        }

        var e = Assert.Throws<OnnxModelException>(() => OnnxDecoder.Load(Google.Protobuf.MessageExtensions.ToByteArray(model)));
        Assert.Equal(OnnxModelError.Incompatible, e.Error);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_model_is_reported_as_corrupt()
    {
        byte[] model = DecoderExporter.Export(RandomWeights.Create(Small, seed: 14), OnnxWeightFormat.Float32, "test");
        var e = Assert.Throws<OnnxModelException>(() => OnnxDecoder.Load(model[..(model.Length / 2)]));
        Assert.Equal(OnnxModelError.Corrupt, e.Error);
    }

    [Fact]
    public void Missing_weights_are_named()
    {
        var weights = RandomWeights.Create(Small, seed: 15);
        var tensors = weights.Tensors.Where(p => p.Key != "blocks.1.mlp.fc.bias").ToDictionary();
        var e = Assert.Throws<ArgumentException>(() => DecoderExporter.Export(new TransformerWeights(Small, tensors), OnnxWeightFormat.Float32, "test"));
        Assert.Contains("blocks.1.mlp.fc.bias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_head_size_GroupQueryAttention_cannot_run_is_refused_at_export()
    {
        var config = new TransformerConfig(VocabSize: 30, ContextLength: 16, Layers: 1, Dim: 36, Heads: 4);
        var e = Assert.Throws<ArgumentException>(() => DecoderExporter.Export(RandomWeights.Create(config, seed: 16), OnnxWeightFormat.Float32, "test"));
        Assert.Contains("multiple of 8", e.Message, StringComparison.Ordinal);
    }

    internal static int[] RandomTokens(TransformerConfig config, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(config.VocabSize)).ToArray();
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance * Math.Max(1, Math.Abs(expected[i])))
            {
                Assert.Fail($"{where}: logit {i} is {actual[i]}, expected {expected[i]}");
            }
        }
    }

    private static void DecodeStepsMatchReference(TransformerConfig config, int steps, int seed)
    {
        var weights = RandomWeights.Create(config, seed);
        int[] tokens = RandomTokens(config, steps, seed + 100);
        float[] expected = ReferenceTransformer.Forward(weights, tokens);
        using var decoder = OnnxDecoder.Load(DecoderExporter.Export(weights, OnnxWeightFormat.Float32, "test"));
        for (int t = 0; t < steps; t++)
        {
            AssertClose(expected.AsSpan(t * config.VocabSize, config.VocabSize), decoder.Step(tokens[t]), 1e-4f, $"step {t}");
        }

        Assert.Equal(steps, decoder.Position);
    }
}
