using System.Diagnostics;
using CoPilot.Inference.Onnx;
using CoPilot.TestSupport;
using Xunit.Abstractions;

namespace CoPilot.Export.Tests;

/// <summary>
/// Allocation is asserted; speed is only reported (the machine is shared, so a timing bound would be flaky):
/// the benchmark with bounds is <c>copilot bench</c>.
/// </summary>
public sealed class DecoderSpeedTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-onnx-").FullName;

    [Theory]
    [InlineData(OnnxWeightFormat.Float32)]
    [InlineData(OnnxWeightFormat.Int8)]
    public void Steps_allocate_nothing_and_report_their_time(OnnxWeightFormat format)
    {
        var config = DecoderExportTests.Large;
        string path = Path.Combine(_folder, $"decoder-{format}.onnx");
        DecoderExporter.Write(RandomWeights.Create(config, seed: 20), format, "test", path);
        using var decoder = OnnxDecoder.Load(path, "test");
        int[] tokens = DecoderExportTests.RandomTokens(config, config.ContextLength, seed: 21);

        // Warm-up: the first runs build ORT's kernels' caches and reach every cache length once.
        for (int t = 0; t < config.ContextLength; t++)
        {
            decoder.Step(tokens[t]);
        }

        var ticks = new long[config.ContextLength];
        long allocated = AllocationCount.During(() =>
        {
            decoder.Reset();
            for (int t = 0; t < config.ContextLength; t++)
            {
                long start = Stopwatch.GetTimestamp();
                decoder.Step(tokens[t]);
                ticks[t] = Stopwatch.GetTimestamp() - start;
            }
        });
        Array.Sort(ticks);
        double Ms(double q) => ticks[(int)(q * (ticks.Length - 1))] * 1000.0 / Stopwatch.Frequency;
        output.WriteLine($"{format}: {config}, one thread: per token p50 {Ms(0.5):F3} ms, p99 {Ms(0.99):F3} ms, max {Ms(1):F3} ms over {ticks.Length} steps (positions 0…{config.ContextLength - 1}); load {decoder.LoadMilliseconds:F0} ms; file {new FileInfo(path).Length / 1024} KiB; {allocated} B allocated");
        Assert.Equal(0, allocated);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
