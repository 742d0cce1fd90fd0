using System.Text.Json;
using CoPilot.Cli;
using CoPilot.Cli.Bench;
using CoPilot.Data;
using CoPilot.Export;
using CoPilot.Inference.Onnx;
using Xunit.Abstractions;

namespace CoPilot.Cli.Tests;

/// <summary>
/// The benchmarks' structure and allocation figures; their timings are only logged (the machine is shared).
/// </summary>
public sealed class BenchCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-bench-tests-").FullName;

    private static string Data()
    {
        string? data = DataLocation.Resolve(null, out string? error);
        Assert.True(data is not null, error);
        return data!;
    }

    [Fact]
    public void Model_bench_times_fp32_and_int8_of_random_weights_with_no_allocation_per_token()
    {
        var (code, console, output) = ChordsCommandTests.Run("bench", "model", "--tokens", "50", "--answers", "2", "--loads", "1", "--json");
        log.WriteLine(output);
        Assert.True(code is ExitCodes.Ok or ExitCodes.Failure, console + output);
        using var doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("randomWeights").GetBoolean());
        Assert.True(root.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
        JsonElement[] models = [.. root.GetProperty("models").EnumerateArray()];
        Assert.Equal(["FP32", "INT8"], models.Select(m => m.GetProperty("format").GetString()));
        foreach (JsonElement model in models)
        {
            Assert.Equal((4, 256, 4, 256), (model.GetProperty("layers").GetInt32(), model.GetProperty("dim").GetInt32(), model.GetProperty("heads").GetInt32(), model.GetProperty("contextLength").GetInt32()));
            Assert.Equal(0, model.GetProperty("allocatedBytesPerToken").GetDouble());
            Assert.Equal(0, model.GetProperty("allocatedBytesPerAnswer").GetDouble());
            double p50 = model.GetProperty("stepP50Ms").GetDouble(), p99 = model.GetProperty("stepP99Ms").GetDouble(), max = model.GetProperty("stepMaxMs").GetDouble();
            Assert.True(p50 > 0 && p50 <= p99 && p99 <= max, $"{p50} {p99} {max}");
            Assert.True(model.GetProperty("answerP50Ms").GetDouble() > 50 * p50, "an answer is ~214 steps");
        }

        Assert.True(models[0].GetProperty("fileBytes").GetInt64() > 2 * models[1].GetProperty("fileBytes").GetInt64(), "INT8 weights take a quarter of FP32's");
        JsonElement[] targets = [.. root.GetProperty("targets").EnumerateArray()];
        Assert.Equal(6, targets.Length);
        Assert.All(targets.Take(4), t => Assert.Equal("INT8", t.GetProperty("model").GetString()));
        bool pass = targets.All(t => t.GetProperty("pass").GetBoolean());
        Assert.Equal(pass, root.GetProperty("pass").GetBoolean());
        Assert.Equal(pass ? ExitCodes.Ok : ExitCodes.Failure, code);
    }

    [Fact]
    public void Model_bench_table_shows_both_formats_the_targets_and_that_the_weights_are_random()
    {
        var (code, console, _) = ChordsCommandTests.Run("bench", "model", "--tokens", "50", "--answers", "1", "--loads", "1");
        log.WriteLine(console);
        Assert.True(code is ExitCodes.Ok or ExitCodes.Failure, console);
        Assert.Contains("Weights are random", console, StringComparison.Ordinal);
        Assert.Matches(@"Measure\s+FP32\s+INT8", console);
        Assert.Matches(@"allocated per token \(B\)\s+0\.0\s+0\.0", console);
        Assert.Contains("Machine: ", console, StringComparison.Ordinal);
        foreach (string measure in (string[])["session load, first", "step p50", "step p99", "8-bar answer p50"])
        {
            Assert.Matches(measure + @"\s+INT8\s+<?=? ?[\d.]+ ms\s+[\d.]+ ms\s+(PASS|FAIL)", console);
        }
    }

    [Fact]
    public void Model_bench_finds_the_fp32_sibling_of_a_given_model()
    {
        // Vocabulary and context as shipped (the sampler and the answer need them), the rest tiny.
        var config = new TransformerConfig(VocabSize: 400, ContextLength: 256, Layers: 1, Dim: 32, Heads: 4);
        TransformerWeights weights = RandomDecoderWeights.Create(config, seed: 3);
        string int8 = Path.Combine(_folder, "tiny.onnx");
        DecoderExporter.Write(weights, OnnxWeightFormat.Int8, "test", int8);
        DecoderExporter.Write(weights, OnnxWeightFormat.Float32, "test", Path.Combine(_folder, "tiny-fp32.onnx"));

        var (code, console, output) = ChordsCommandTests.Run("bench", "model", "--model", int8, "--tokens", "20", "--answers", "1", "--loads", "1", "--json");
        Assert.True(code is ExitCodes.Ok or ExitCodes.Failure, console + output);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("randomWeights").GetBoolean());
        JsonElement[] models = [.. doc.RootElement.GetProperty("models").EnumerateArray()];
        Assert.Equal(["FP32", "INT8"], models.Select(m => m.GetProperty("format").GetString()));
        Assert.Equal([1, 1], models.Select(m => m.GetProperty("layers").GetInt32()));
        Assert.EndsWith("tiny-fp32.onnx", models[0].GetProperty("path").GetString(), StringComparison.Ordinal);

        // The shipped naming: copilot-int8.onnx beside copilot-fp32.onnx.
        string shipped = Path.Combine(_folder, "tiny-int8.onnx");
        File.Copy(int8, shipped);
        (code, console, output) = ChordsCommandTests.Run("bench", "model", "--model", shipped, "--tokens", "20", "--answers", "1", "--loads", "1", "--json");
        Assert.True(code is ExitCodes.Ok or ExitCodes.Failure, console + output);
        using (var named = JsonDocument.Parse(output))
        {
            Assert.Equal(["tiny-fp32.onnx", "tiny-int8.onnx"], named.RootElement.GetProperty("models").EnumerateArray().Select(m => Path.GetFileName(m.GetProperty("path").GetString())));
        }

        File.Delete(Path.Combine(_folder, "tiny-fp32.onnx"));
        (code, console, output) = ChordsCommandTests.Run("bench", "model", "--model", int8, "--tokens", "20", "--answers", "1", "--loads", "1", "--json");
        Assert.True(code is ExitCodes.Ok or ExitCodes.Failure, console + output);
        using var alone = JsonDocument.Parse(output);
        Assert.Equal(["INT8"], alone.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("format").GetString()));
    }

    [Fact]
    public void A_missing_or_broken_model_is_an_error_with_exit_code_1()
    {
        var (code, console, _) = ChordsCommandTests.Run("bench", "model", "--model", Path.Combine(_folder, "none.onnx"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("No model file", console, StringComparison.Ordinal);

        string broken = Path.Combine(_folder, "broken.onnx");
        File.WriteAllBytes(broken, [1, 2, 3, 4]);
        (code, console, _) = ChordsCommandTests.Run("bench", "model", "--model", broken);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("error:", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_bench_of_the_chorales_counts_their_file_songs_and_tokens()
    {
        var (code, console, output) = ChordsCommandTests.Run("bench", "corpus", "--set", "jsb", "--runs", "1", "--json", "--data", Data());
        log.WriteLine(output);
        Assert.True(code == ExitCodes.Ok, console + output);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("warmRun").ValueKind);
        JsonElement run = Assert.Single(doc.RootElement.GetProperty("runs").EnumerateArray());
        JsonElement jsb = Assert.Single(run.GetProperty("sets").EnumerateArray());
        Assert.Equal("jsb", jsb.GetProperty("set").GetString());
        Assert.Equal(229 + 76, jsb.GetProperty("songs").GetInt32());
        Assert.Equal(1, jsb.GetProperty("files").GetInt32());
        Assert.Equal(new FileInfo(JsbLoader.PathIn(Data())).Length, jsb.GetProperty("bytes").GetInt64());
        Assert.Equal(1, jsb.GetProperty("views").GetInt32());
        Assert.InRange(jsb.GetProperty("sequences").GetInt32(), 1, 305);
        Assert.True(jsb.GetProperty("tokens").GetInt64() > 100 * jsb.GetProperty("sequences").GetInt32());
        Assert.True(doc.RootElement.GetProperty("pass").GetBoolean());
    }

    [Fact]
    public void Corpus_bench_reports_cold_and_warm_runs_and_a_verdict()
    {
        var (code, console, _) = ChordsCommandTests.Run("bench", "corpus", "--set", "jsb", "--runs", "3", "--data", Data());
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Loading, cold (first run in this process)", console, StringComparison.Ordinal);
        Assert.Contains("warm (median of runs 2–3)", console, StringComparison.Ordinal);
        Assert.Matches(@"run 3: \d+\.\d\d s", console);
        Assert.Matches(@"PASS: loading and tokenizing jsb took at most \d+\.\d\d s per run \(target < 60 s\)", console);
        Assert.Contains("load average", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_bench_without_data_is_an_error()
    {
        var (code, console, _) = ChordsCommandTests.Run("bench", "corpus", "--data", Path.Combine(_folder, "absent"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("does not exist", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Pop909_input_counts_the_four_files_the_loader_reads()
    {
        string song = Path.Combine(_folder, "pop909", "POP909", "001");
        Directory.CreateDirectory(song);
        foreach (string name in (string[])["001.mid", "chord_midi.txt", "key_audio.txt", "beat_midi.txt", "beat_audio.txt", "chord_audio.txt"])
        {
            File.WriteAllBytes(Path.Combine(song, name), new byte[10]);
        }

        Assert.Equal((4, 40L), CorpusInput.Measure(CorpusSet.Pop909, _folder, [song, song]));
        Assert.Equal((1, 10L), CorpusInput.Measure(CorpusSet.JazzProgressions, _folder, [Path.Combine(song, "001.mid")]));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] sorted = [.. Enumerable.Range(1, 100).Select(i => (double)i)];
        Assert.Equal(50, ModelTimings.Percentile(sorted, 0.5));
        Assert.Equal(99, ModelTimings.Percentile(sorted, 0.99));
        Assert.Equal(100, ModelTimings.Percentile(sorted, 1));
        Assert.Equal(7, ModelTimings.Percentile([7], 0.99));
        Assert.Equal(0, ModelTimings.Percentile([], 0.5));
    }

    [Theory]
    [InlineData("bench", "--help")]
    [InlineData("bench", "model", "--help")]
    [InlineData("bench", "corpus", "--help")]
    public void Help_describes_the_targets_and_exit_codes(params string[] args)
    {
        var output = new StringWriter();
        int code = CopilotApp.Run(args, Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(new StringWriter()) }), output, new StringWriter());
        Assert.Equal(ExitCodes.Ok, code);
        string text = output.ToString();
        Assert.Contains("Usage:", text, StringComparison.Ordinal);
        if (args.Length == 3)
        {
            Assert.Contains("Exit code 0", text, StringComparison.Ordinal);
            Assert.Contains(args[1] == "model" ? "--tokens" : "--runs", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("bench")]
    [InlineData("bench", "model", "--tokens", "0")]
    [InlineData("bench", "model", "--answers", "-1")]
    [InlineData("bench", "corpus", "--runs", "0")]
    [InlineData("bench", "corpus", "--set", "mozart")]
    public void Bad_arguments_exit_with_2(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, ChordsCommandTests.Run(args).Code);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
