using CoPilot.Evaluation.Baselines;
using CsCheck;

namespace CoPilot.Evaluation.Tests.Baselines;

public class TokenSamplerTests
{
    private static readonly double[] Fixed = [0.5, 0.25, 0.15, 0.1];

    [Fact]
    public void The_same_seed_gives_the_same_continuation()
    {
        var model = new KneserNeyModel(3, 20, SyntheticCorpus.ThirdOrder(20, 20, 100, 0.3, 1));
        var settings = new SamplingSettings(0.9, 0.95);
        int[] a = new TokenSampler(model, settings, 42).Continue([1, 2, 3], 200);
        int[] b = new TokenSampler(model, settings, 42).Continue([1, 2, 3], 200);
        int[] c = new TokenSampler(model, settings, 43).Continue([1, 2, 3], 200);
        Assert.Equal(200, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Zero_temperature_takes_the_most_probable_token()
    {
        var model = new KneserNeyModel(3, 20, SyntheticCorpus.ThirdOrder(20, 20, 100, 0.3, 1));
        int[] sequence = [1, 2, 3];
        int[] generated = new TokenSampler(model, new SamplingSettings(0), 7).Continue(sequence, 30);
        int[] history = [.. sequence, .. generated];
        double[] p = new double[20];
        for (int i = 0; i < generated.Length; i++)
        {
            model.Distribution(history.AsSpan(0, sequence.Length + i), p);
            Assert.Equal(p.Max(), p[generated[i]]);
        }
    }

    [Fact]
    public void Frequencies_follow_temperature_and_nucleus()
    {
        var model = new FixedModel(Fixed);
        // T = 0.5 squares the probabilities: 0.25, 0.0625, 0.0225, 0.01 over 0.345.
        Assert.Equal([0.7246, 0.1812, 0.0652, 0.0290], Frequencies(model, new SamplingSettings(0.5)), new Tolerance(0.01));
        // Top-p 0.8: the nucleus is the first three (0.9 reaches 0.8; 0.75 does not), renormalised.
        Assert.Equal([0.5556, 0.2778, 0.1667, 0], Frequencies(model, new SamplingSettings(1, 0.8)), new Tolerance(0.01));
        // Top-p 0.5: the first token alone reaches it.
        Assert.Equal([1.0, 0, 0, 0], Frequencies(model, new SamplingSettings(1, 0.5)), new Tolerance(0));
    }

    [Fact]
    public void Masked_tokens_are_never_drawn()
    {
        Gen.Select(Gen.Bool.Array[4], Gen.ULong, Gen.Int[0, 3], Gen.Int[50, 100])
            .Sample((forbidden, seed, temperatureTenths, topPPercent) =>
            {
                if (forbidden.All(f => f))
                {
                    return;
                }

                var sampler = new TokenSampler(new FixedModel(Fixed), new SamplingSettings(temperatureTenths / 2.0, topPPercent / 100.0), seed);
                int[] tokens = sampler.Continue([], 50, (_, allowed) =>
                {
                    for (int t = 0; t < 4; t++)
                    {
                        allowed[t] &= !forbidden[t];
                    }
                });
                Assert.All(tokens, t => Assert.False(forbidden[t]));
            });
        var all = new TokenSampler(new FixedModel(Fixed), default(SamplingSettings) with { Temperature = 1, TopP = 1 }, 1);
        Assert.Throws<InvalidOperationException>(() => all.Next([], (_, allowed) => allowed.Clear()));
    }

    [Fact]
    public void Stops_after_the_stop_token()
    {
        var model = new FixedModel([0.1, 0.9]);
        int[] tokens = new TokenSampler(model, new SamplingSettings(0), 1).Continue([0], 10, stopToken: 1);
        Assert.Equal([1], tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenSampler(model, new SamplingSettings(1, 0), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenSampler(model, new SamplingSettings(-1), 1));
    }

    private static double[] Frequencies(ITokenModel model, SamplingSettings settings)
    {
        const int Draws = 40_000;
        var sampler = new TokenSampler(model, settings, 12345);
        double[] counts = new double[model.VocabularySize];
        for (int i = 0; i < Draws; i++)
        {
            counts[sampler.Next([])]++;
        }

        return [.. counts.Select(c => c / Draws)];
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    /// <summary>The same distribution after every context.</summary>
    private sealed class FixedModel(double[] probabilities) : ITokenModel
    {
        public int VocabularySize => probabilities.Length;

        public int ContextLength => 0;

        public void Distribution(ReadOnlySpan<int> context, Span<double> p) => probabilities.CopyTo(p);

        public double LogProbability(ReadOnlySpan<int> context, int token) => Math.Log(probabilities[token]);
    }
}
