using System.Diagnostics;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using Xunit.Abstractions;

namespace CoPilot.Inference.Tests.Sampling;

public class SamplerCostTests(ITestOutputHelper output)
{
    // About the size of the POP909 + Nottingham melody index: 300 k runs, 2.4 MB.
    private static readonly OriginalityIndex LargeIndex = OriginalityIndex.Build(
        Enumerable.Range(0, 2000).Select(m => new ReadOnlyMemory<int>(ConstrainedSamplerTests.Melody(m, 158))));

    private static readonly SamplerSettings Live = new()
    {
        Temperature = 0.9f,
        TopP = 0.9f,
        Strictness = PitchStrictness.ScaleAndChordTones,
        LowestPitch = 48,
        HighestPitch = 84,
    };

    [Fact]
    public void Generation_allocates_nothing_per_token()
    {
        int[] prompt = ConstrainedSamplerTests.Prompt(keyIndex: 9);
        var generator = new ContinuationGenerator(new ReplayLogits(1), new ConstrainedSampler(Live, 0, LargeIndex));
        var buffer = new int[512];
        long tokens = Run(generator, prompt, buffer, 0, 20);

        long before = GC.GetAllocatedBytesForCurrentThread();
        tokens = Run(generator, prompt, buffer, 20, 200);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{tokens} tokens, {allocated} bytes");
        Assert.True(tokens > 20000, $"{tokens} tokens");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Per_token_cost_of_the_sampler_is_a_few_microseconds()
    {
        int[] prompt = ConstrainedSamplerTests.Prompt(keyIndex: 0);
        var source = new ReplayLogits(2);
        var sampler = new ConstrainedSampler(Live, 0, LargeIndex);
        var generator = new ContinuationGenerator(source, sampler);
        var buffer = new int[512];
        Run(generator, prompt, buffer, 0, 50);

        long start = Stopwatch.GetTimestamp();
        long tokens = Run(generator, prompt, buffer, 50, 1000);
        double meanMicroseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / tokens;

        // Each draw on its own, for the tail: the same loop, timed token by token.
        var times = new double[20000];
        int n = 0;
        for (ulong seed = 0; n < times.Length; seed++)
        {
            sampler.Reset(seed);
            foreach (int token in prompt)
            {
                sampler.Observe(token);
            }

            source.Reset();
            ReadOnlySpan<float> logits = source.Prefill(prompt);
            while (n < times.Length && !sampler.Grammar.IsEnded)
            {
                long t0 = Stopwatch.GetTimestamp();
                int token = sampler.Next(logits);
                times[n++] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                logits = source.Step(token);
                if (source.Position > 600)
                {
                    break;
                }
            }
        }

        Array.Sort(times);
        output.WriteLine($"mean {meanMicroseconds:F2} µs/token over {tokens} tokens; per draw p50 {times[times.Length / 2]:F2} µs, p99 {times[times.Length * 99 / 100]:F2} µs, max {times[^1]:F1} µs");
        // Generous for a loaded shared machine: the point is microseconds, not the 100 µs of a model step.
        Assert.True(meanMicroseconds < 50, $"{meanMicroseconds:F1} µs per token");
    }

    private static long Run(ContinuationGenerator generator, int[] prompt, int[] buffer, int firstSeed, int rounds)
    {
        long tokens = 0;
        for (int seed = firstSeed; seed < firstSeed + rounds; seed++)
        {
            tokens += generator.Generate(prompt, buffer, buffer.Length, 0, (ulong)seed).Count;
        }

        return tokens;
    }

    /// <summary>Plays back precomputed random logit rows: a model that costs nothing, so timing sees only the sampler.</summary>
    private sealed class ReplayLogits : FakeLogitsSource
    {
        private const int Rows = 61;
        private readonly float[] _rows = new float[Rows * Vocabulary.Size];

        public ReplayLogits(ulong seed)
        {
            var random = new Random((int)seed);
            for (int i = 0; i < _rows.Length; i++)
            {
                // Like a trained model: a few likely tokens, a long tail.
                _rows[i] = (float)(random.NextDouble() < 0.03 ? 4 + (random.NextDouble() * 4) : random.NextDouble() * 4);
            }

            // Eos unlikely, so sequences run on.
            for (int r = 0; r < Rows; r++)
            {
                _rows[(r * Vocabulary.Size) + Vocabulary.Eos] = -4;
            }
        }

        protected override ReadOnlySpan<float> Logits() => _rows.AsSpan(Position % Rows * Vocabulary.Size, Vocabulary.Size);
    }
}
