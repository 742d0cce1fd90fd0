using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CoPilot.Cli.Bench;
using CoPilot.Cli.Corpus;
using CoPilot.Data;
using CoPilot.Export;
using CoPilot.Inference.Onnx;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary>
/// <c>copilot bench corpus</c> and <c>copilot bench model</c>: the speed figures of issues 6 and 7, measured
/// against their targets in one run, with the machine's load beside them.
/// </summary>
public static class BenchCommand
{
    /// <summary>Issue 6: loading and tokenizing the whole corpus.</summary>
    public const double CorpusTargetSeconds = 60;

    /// <summary>Issue 7, INT8 on one thread.</summary>
    public const double StepP50TargetMs = 0.3;
    public const double StepP99TargetMs = 1.0;
    public const double AnswerTargetMs = 50;
    public const double LoadTargetMs = 150;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(IAnsiConsole console)
    {
        var bench = new Command("bench", "Speed benchmarks with their targets: corpus loading and tokenizing (issue 6), the ONNX decoder (issue 7).")
        {
            CreateCorpus(console),
            CreateModel(console),
        };
        return bench;
    }

    private static Command CreateCorpus(IAnsiConsole console)
    {
        var set = new Option<string>("--set")
        {
            Description = "The data set: pop909, billboard, nottingham, jsb, jazz or all.",
            DefaultValueFactory = _ => "all",
        };
        set.AcceptOnlyFromAmong([.. CorpusLoad.Names.Select(n => n.Name), "all"]);
        var runs = new Option<int>("--runs")
        {
            Description = "Passes over the corpus, each with nothing cached in the process: the first is the cold run, the median of the others the warm one.",
            DefaultValueFactory = _ => 2,
        };
        runs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
            {
                r.AddError("--runs must be a positive number.");
            }
        });
        var data = DataLocation.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command(
            "corpus",
            $"Time loading every set and tokenizing every split of every view it has, per set: files, MB, files/s, MB/s, "
            + $"songs/s, tokens/s. Target: the whole corpus in under {CorpusTargetSeconds.ToString(Inv)} s (every run). Exit code 0 when "
            + "every run meets the target and every file loaded, 1 when one does not or the data directory is missing, 2 for a bad command line.")
        { set, runs, data, json };
        command.SetAction(parse =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return ExitCodes.Failure;
            }

            string setName = parse.GetValue(set)!;
            CorpusSet[] sets = setName == "all" ? [.. CorpusLoad.Names.Select(n => n.Set)] : [CorpusLoad.Names.First(n => n.Name == setName).Set];
            return RunCorpus(console, parse.InvocationConfiguration.Output, directory, sets, parse.GetValue(runs), parse.GetValue(json));
        });
        return command;
    }

    private static Command CreateModel(IAnsiConsole console)
    {
        var model = new Option<FileInfo?>("--model")
        {
            Description = "An exported decoder (INT8); its FP32 sibling NAME-fp32.onnx (beside NAME-int8.onnx or NAME.onnx) is timed beside it when present. "
                + "Default: a model of the shipped shape with random weights, exported here in FP32 and INT8 (speed only).",
        };
        var tokens = new Option<int>("--tokens")
        {
            Description = "Timed decode steps per model, cycling through every cache position (after one warm-up pass).",
            DefaultValueFactory = _ => 2048,
        };
        var answers = new Option<int>("--answers")
        {
            Description = "Timed 8-bar answers per model (after one warm-up answer).",
            DefaultValueFactory = _ => 20,
        };
        var loads = new Option<int>("--loads")
        {
            Description = "Session loads per model. The first load of INT8 (the first in the process: it also starts ONNX Runtime) is judged; the median is shown.",
            DefaultValueFactory = _ => 5,
        };
        foreach (Option<int> option in (Option<int>[])[tokens, answers, loads])
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() <= 0)
                {
                    r.AddError($"{option.Name} must be a positive number.");
                }
            });
        }

        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command(
            "model",
            "Time the ONNX decoder on one thread, FP32 and INT8 side by side in one run: session load, per-token step "
            + "p50/p99/max over every cache position, managed bytes allocated per token, and 8-bar answers (Reset, a "
            + "64-token prompt fed step by step, 150 tokens drawn by the constrained sampler). Targets for INT8: first load "
            + $"<= {LoadTargetMs.ToString(Inv)} ms, step p50 <= {StepP50TargetMs.ToString(Inv)} ms and p99 <= {StepP99TargetMs.ToString(Inv)} ms, "
            + $"answer p50 < {AnswerTargetMs.ToString(Inv)} ms; 0 B per token for every model. Exit code 0 when every target "
            + "is met, 1 when one is missed or the model cannot be loaded, 2 for a bad command line.")
        { model, tokens, answers, loads, json };
        command.SetAction(parse =>
        {
            var settings = new ModelBenchmarkSettings(Tokens: parse.GetValue(tokens), Loads: parse.GetValue(loads), Answers: parse.GetValue(answers));
            return RunModel(console, parse.InvocationConfiguration.Output, parse.GetValue(model)?.FullName, settings, parse.GetValue(json));
        });
        return command;
    }

    public static int RunCorpus(IAnsiConsole console, TextWriter output, string data, IReadOnlyList<CorpusSet> sets, int runs, bool json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        MachineLoad before = MachineLoad.Now();
        var results = new List<CorpusRun>();
        for (int r = 1; r <= runs; r++)
        {
            results.Add(json ? CorpusBenchmark.Run(data, sets, r) : CorpusBenchmark.Run(data, sets, r, line => console.MarkupLineInterpolated($"[grey]{line}[/]")));
        }

        MachineLoad after = MachineLoad.Now();
        CorpusRun cold = results[0];
        CorpusRun? warm = results.Count > 1 ? results.Skip(1).OrderBy(r => r.Total).ElementAt((results.Count - 2) / 2) : null;
        TimeSpan slowest = results.Max(r => r.Total);
        bool pass = slowest.TotalSeconds < CorpusTargetSeconds;
        bool failures = cold.Sets.Any(s => s.Failures > 0);
        if (json)
        {
            output.WriteLine(CorpusJson(results, cold, warm, before, after, pass));
        }
        else
        {
            console.MarkupLineInterpolated($"{MachineLoad.Describe(before, after)}");
            PrintCorpusRun(console, "cold (first run in this process)", cold);
            if (warm is not null)
            {
                PrintCorpusRun(console, results.Count > 2 ? $"warm (median of runs 2–{results.Count})" : "warm (second run)", warm);
            }

            if (sets.Contains(CorpusSet.Billboard))
            {
                console.MarkupLine("billboard: songs after dropping the valid and test songs that repeat a train song; files and MB count every file read.");
            }

            foreach (CorpusRun run in results)
            {
                console.MarkupLineInterpolated($"run {run.Number}: {run.Total.TotalSeconds.ToString("F2", Inv)} s");
            }

            string verdict = pass ? "[green]PASS[/]" : "[red]FAIL[/]";
            console.MarkupLine($"{verdict}: loading and tokenizing {Markup.Escape(string.Join(", ", sets.Select(CorpusLoad.NameOf)))} took at most {slowest.TotalSeconds.ToString("F2", Inv)} s per run (target < {CorpusTargetSeconds.ToString(Inv)} s).");
            foreach (CorpusSetTiming s in cold.Sets.Where(s => s.Failures > 0))
            {
                console.MarkupLineInterpolated($"[red]{CorpusLoad.NameOf(s.Set)}: {s.Failures} files failed to load (copilot stats lists them).[/]");
            }
        }

        return pass && !failures ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static void PrintCorpusRun(IAnsiConsole console, string title, CorpusRun run)
    {
        // Two tables, so that each fits 80 columns (the width when the output is piped).
        var load = new Table().Title($"Loading, {title}").Border(TableBorder.Simple).AddColumns("Set", "Songs", "Files", "MB", "Seconds", "Files/s", "MB/s", "Songs/s");
        var tokenize = new Table().Title($"Tokenizing every split and view, {title}").Border(TableBorder.Simple).AddColumns("Set", "Views", "Sequences", "Tokens", "Seconds", "Tokens/s", "Total s");
        IEnumerable<CorpusSetTiming> rows = run.Sets;
        if (run.Sets.Count > 1)
        {
            rows = rows.Append(Sum(run.Sets));
        }

        foreach (CorpusSetTiming s in rows)
        {
            string name = run.Sets.Contains(s) ? CorpusLoad.NameOf(s.Set) : "all";
            load.AddRow(
                name,
                s.Songs.ToString("N0", Inv),
                s.Files.ToString("N0", Inv),
                (s.Bytes / 1e6).ToString("F1", Inv),
                s.Load.TotalSeconds.ToString("F2", Inv),
                s.FilesPerSecond.ToString("N0", Inv),
                s.MegabytesPerSecond.ToString("F1", Inv),
                s.SongsPerSecond.ToString("N0", Inv));
            tokenize.AddRow(
                name,
                s.Views.ToString(Inv),
                s.Sequences.ToString("N0", Inv),
                s.Tokens.ToString("N0", Inv),
                s.Tokenize.TotalSeconds.ToString("F2", Inv),
                s.TokensPerSecond.ToString("N0", Inv),
                s.Total.TotalSeconds.ToString("F2", Inv));
        }

        console.Write(load);
        console.Write(tokenize);
    }

    private static CorpusSetTiming Sum(IReadOnlyList<CorpusSetTiming> sets) => new(
        sets[0].Set,
        sets.Sum(s => s.Songs),
        sets.Sum(s => s.Failures),
        sets.Sum(s => s.Files),
        sets.Sum(s => s.Bytes),
        sets.Sum(s => s.Views),
        sets.Sum(s => s.Sequences),
        sets.Sum(s => s.Tokens),
        TimeSpan.FromTicks(sets.Sum(s => s.Load.Ticks)),
        TimeSpan.FromTicks(sets.Sum(s => s.Tokenize.Ticks)));

    public static int RunModel(IAnsiConsole console, TextWriter output, string? modelPath, ModelBenchmarkSettings settings, bool json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(settings);
        Action<string>? progress = json ? null : line => console.MarkupLineInterpolated($"[grey]{line}[/]");
        string? temporary = null;
        try
        {
            List<ModelUnderTest> models;
            bool random = modelPath is null;
            if (modelPath is null)
            {
                temporary = Directory.CreateTempSubdirectory("copilot-bench-").FullName;
                TransformerConfig shape = RandomDecoderWeights.Shipped;
                progress?.Invoke($"exporting random weights of the shipped shape ({shape.Layers} layers, width {shape.Dim}, {shape.Heads} heads, context {shape.ContextLength}) to {temporary}");
                TransformerWeights weights = RandomDecoderWeights.Create(RandomDecoderWeights.Shipped, seed: 7);
                models = [];
                foreach ((OnnxWeightFormat format, string name) in (ReadOnlySpan<(OnnxWeightFormat, string)>)[(OnnxWeightFormat.Float32, "random-fp32.onnx"), (OnnxWeightFormat.Int8, "random.onnx")])
                {
                    string path = Path.Combine(temporary, name);
                    DecoderExporter.Write(weights, format, "random-weights", path);
                    models.Add(new ModelUnderTest(format, path));
                }
            }
            else
            {
                models = ModelsBeside(modelPath);
            }

            MachineLoad before = MachineLoad.Now();
            IReadOnlyList<ModelTimings> timings = ModelBenchmark.Run(models, settings, progress);
            MachineLoad after = MachineLoad.Now();
            // The targets are INT8's; FP32 is the baseline beside it. A lone FP32 model is judged itself.
            ModelTimings judged = timings.FirstOrDefault(t => t.Info.WeightFormat == OnnxWeightFormat.Int8) ?? timings[0];
            var checks = Checks(timings, judged);
            bool pass = checks.All(c => c.Pass);
            if (json)
            {
                output.WriteLine(ModelJson(timings, settings, random, before, after, checks));
            }
            else
            {
                PrintModel(console, timings, settings, random, before, after, checks);
            }

            return pass ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (OnnxModelException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>The model and, first, its FP32 sibling when one exists: NAME-fp32.onnx beside NAME-int8.onnx or NAME.onnx.</summary>
    private static List<ModelUnderTest> ModelsBeside(string path)
    {
        if (!File.Exists(path))
        {
            throw new OnnxModelException(OnnxModelError.Missing, $"No model file at '{path}'.");
        }

        string stem = Path.GetFileNameWithoutExtension(path);
        string folder = Path.GetDirectoryName(path) ?? ".";
        // The shipped name is copilot-int8.onnx, whose sibling is copilot-fp32.onnx rather than copilot-int8-fp32.onnx.
        string? sibling = new[] { stem.EndsWith("-int8", StringComparison.Ordinal) ? stem[..^"-int8".Length] + "-fp32" : null, stem + "-fp32" }
            .OfType<string>()
            .Select(s => Path.Combine(folder, s + Path.GetExtension(path)))
            .FirstOrDefault(File.Exists);
        var models = new List<ModelUnderTest>();
        if (sibling is not null)
        {
            models.Add(new ModelUnderTest(OnnxWeightFormat.Float32, sibling));
        }

        models.Add(new ModelUnderTest(OnnxWeightFormat.Int8, path));
        return models;
    }

    /// <summary>One target, judged on one model.</summary>
    public sealed record TargetCheck(string Measure, string Target, string Model, double Value, bool Pass);

    private static List<TargetCheck> Checks(IReadOnlyList<ModelTimings> timings, ModelTimings judged)
    {
        string name = FormatName(judged.Info.WeightFormat);
        var checks = new List<TargetCheck>
        {
            new("session load, first", $"<= {LoadTargetMs.ToString(Inv)} ms", name, judged.FirstLoadMilliseconds, judged.FirstLoadMilliseconds <= LoadTargetMs),
            new("step p50", $"<= {StepP50TargetMs.ToString(Inv)} ms", name, judged.StepP50, judged.StepP50 <= StepP50TargetMs),
            new("step p99", $"<= {StepP99TargetMs.ToString(Inv)} ms", name, judged.StepP99, judged.StepP99 <= StepP99TargetMs),
            new("8-bar answer p50", $"< {AnswerTargetMs.ToString(Inv)} ms", name, judged.AnswerP50, judged.AnswerP50 < AnswerTargetMs),
        };
        foreach (ModelTimings t in timings)
        {
            checks.Add(new("allocated per token", "0 B", FormatName(t.Info.WeightFormat), t.AllocatedPerToken, t.AllocatedPerToken == 0));
        }

        return checks;
    }

    private static string FormatName(OnnxWeightFormat format) => format == OnnxWeightFormat.Int8 ? "INT8" : "FP32";

    private static void PrintModel(IAnsiConsole console, IReadOnlyList<ModelTimings> timings, ModelBenchmarkSettings settings, bool random, MachineLoad before, MachineLoad after, List<TargetCheck> checks)
    {
        OnnxModelInfo info = timings[0].Info;
        console.MarkupLineInterpolated($"Decoder: {info.Layers} layers, width {info.Dim}, {info.Heads} heads, context {info.ContextLength}, vocabulary {info.VocabSize}; one thread (ONNX Runtime intra-op and inter-op 1, spinning off).");
        if (random)
        {
            console.MarkupLine("[yellow]Weights are random[/] (no --model): the figures measure speed only; the answers are noise.");
        }

        console.MarkupLineInterpolated($"{MachineLoad.Describe(before, after)}");
        var table = new Table().Border(TableBorder.Simple).AddColumn("Measure");
        foreach (ModelTimings t in timings)
        {
            table.AddColumn(new TableColumn(FormatName(t.Info.WeightFormat)).RightAligned());
        }

        void Row(string measure, Func<ModelTimings, string> value) => table.AddRow([measure, .. timings.Select(value)]);
        Row("file (KiB)", t => (t.FileBytes / 1024).ToString("N0", Inv));
        Row("session load, first (ms)", t => t.FirstLoadMilliseconds.ToString("F1", Inv));
        Row($"session load, median of {settings.Loads} (ms)", t => t.MedianLoadMilliseconds.ToString("F1", Inv));
        Row($"step p50 (ms, {settings.Tokens} steps)", t => t.StepP50.ToString("F3", Inv));
        Row("step p99 (ms)", t => t.StepP99.ToString("F3", Inv));
        Row("step max (ms)", t => t.StepMax.ToString("F3", Inv));
        Row("step mean (ms)", t => t.StepMean.ToString("F3", Inv));
        Row("step CPU mean (ms, process)", t => t.StepCpuMilliseconds.ToString("F3", Inv));
        Row("allocated per token (B)", t => t.AllocatedPerToken.ToString("F1", Inv));
        Row($"answer p50 (ms, {settings.Answers} answers)", t => t.AnswerP50.ToString("F1", Inv));
        Row("answer max (ms)", t => t.AnswerMax.ToString("F1", Inv));
        Row("answer CPU mean (ms, process)", t => t.AnswerCpuMilliseconds.ToString("F1", Inv));
        Row("allocated per answer (B)", t => t.AllocatedPerAnswer.ToString("F0", Inv));
        Row("bars in the last answer", t => t.AnswerBars.ToString(Inv));
        console.Write(table);
        console.MarkupLineInterpolated($"An answer: Reset, a {settings.PromptTokens}-token lead-sheet prompt fed step by step, {settings.AnswerTokens} tokens drawn by ConstrainedSampler (default settings, Eos masked so every answer has the same length).");
        if (timings.Count > 1)
        {
            ModelTimings fp32 = timings[0], last = timings[^1];
            console.MarkupLineInterpolated($"{FormatName(last.Info.WeightFormat)} step p50 is {(fp32.StepP50 / Math.Max(last.StepP50, 1e-9)).ToString("F2", Inv)}× faster than FP32's (answers {(fp32.AnswerP50 / Math.Max(last.AnswerP50, 1e-9)).ToString("F2", Inv)}×).");
        }

        var targets = new Table().Title("Targets (issue 7)").Border(TableBorder.Simple).AddColumns("Measure", "Model", "Target", "Measured", "Verdict");
        foreach (TargetCheck c in checks)
        {
            string value = c.Measure.StartsWith("allocated", StringComparison.Ordinal) ? $"{c.Value.ToString("F1", Inv)} B" : $"{c.Value.ToString("F3", Inv)} ms";
            targets.AddRow(Markup.Escape(c.Measure), c.Model, Markup.Escape(c.Target), value, c.Pass ? "[green]PASS[/]" : "[red]FAIL[/]");
        }

        console.Write(targets);
        if (checks.Any(c => !c.Pass) && before.LoadAverages is [double load, ..] && load > before.Cores)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] the load average ({load.ToString("F1", Inv)}) exceeds the {before.Cores} cores: wall-clock tails include waits for a time slice; the CPU rows show the cost without them.");
        }
    }

    // Written by hand (Utf8JsonWriter): reflection-based serialisation is not trim- and AOT-safe.
    private static string ModelJson(IReadOnlyList<ModelTimings> timings, ModelBenchmarkSettings settings, bool random, MachineLoad before, MachineLoad after, List<TargetCheck> checks)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            Machine(w, before, after);
            w.WriteBoolean("randomWeights", random);
            w.WriteNumber("tokens", settings.Tokens);
            w.WriteNumber("answers", settings.Answers);
            w.WriteNumber("promptTokens", settings.PromptTokens);
            w.WriteNumber("answerTokens", settings.AnswerTokens);
            w.WriteStartArray("models");
            foreach (ModelTimings t in timings)
            {
                w.WriteStartObject();
                w.WriteString("format", FormatName(t.Info.WeightFormat));
                w.WriteString("path", t.Path);
                w.WriteNumber("fileBytes", t.FileBytes);
                w.WriteNumber("layers", t.Info.Layers);
                w.WriteNumber("dim", t.Info.Dim);
                w.WriteNumber("heads", t.Info.Heads);
                w.WriteNumber("contextLength", t.Info.ContextLength);
                w.WriteNumber("firstLoadMs", Math.Round(t.FirstLoadMilliseconds, 2));
                w.WriteNumber("medianLoadMs", Math.Round(t.MedianLoadMilliseconds, 2));
                w.WriteNumber("stepP50Ms", Math.Round(t.StepP50, 4));
                w.WriteNumber("stepP99Ms", Math.Round(t.StepP99, 4));
                w.WriteNumber("stepMaxMs", Math.Round(t.StepMax, 4));
                w.WriteNumber("stepMeanMs", Math.Round(t.StepMean, 4));
                w.WriteNumber("allocatedBytesPerToken", t.AllocatedPerToken);
                w.WriteNumber("stepCpuMeanMs", Math.Round(t.StepCpuMilliseconds, 4));
                w.WriteNumber("answerP50Ms", Math.Round(t.AnswerP50, 3));
                w.WriteNumber("answerMaxMs", Math.Round(t.AnswerMax, 3));
                w.WriteNumber("answerCpuMeanMs", Math.Round(t.AnswerCpuMilliseconds, 3));
                w.WriteNumber("allocatedBytesPerAnswer", t.AllocatedPerAnswer);
                w.WriteNumber("answerBars", t.AnswerBars);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("targets");
            foreach (TargetCheck c in checks)
            {
                w.WriteStartObject();
                w.WriteString("measure", c.Measure);
                w.WriteString("model", c.Model);
                w.WriteString("target", c.Target);
                w.WriteNumber("value", Math.Round(c.Value, 4));
                w.WriteBoolean("pass", c.Pass);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteBoolean("pass", checks.All(c => c.Pass));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string CorpusJson(List<CorpusRun> runs, CorpusRun cold, CorpusRun? warm, MachineLoad before, MachineLoad after, bool pass)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            Machine(w, before, after);
            w.WriteNumber("targetSeconds", CorpusTargetSeconds);
            w.WriteNumber("coldRun", cold.Number);
            if (warm is not null)
            {
                w.WriteNumber("warmRun", warm.Number);
            }
            else
            {
                w.WriteNull("warmRun");
            }

            w.WriteStartArray("runs");
            foreach (CorpusRun run in runs)
            {
                w.WriteStartObject();
                w.WriteNumber("run", run.Number);
                w.WriteNumber("seconds", Math.Round(run.Total.TotalSeconds, 3));
                w.WriteStartArray("sets");
                foreach (CorpusSetTiming s in run.Sets)
                {
                    w.WriteStartObject();
                    w.WriteString("set", CorpusLoad.NameOf(s.Set));
                    w.WriteNumber("songs", s.Songs);
                    w.WriteNumber("failures", s.Failures);
                    w.WriteNumber("files", s.Files);
                    w.WriteNumber("bytes", s.Bytes);
                    w.WriteNumber("loadSeconds", Math.Round(s.Load.TotalSeconds, 3));
                    w.WriteNumber("filesPerSecond", Math.Round(s.FilesPerSecond, 1));
                    w.WriteNumber("megabytesPerSecond", Math.Round(s.MegabytesPerSecond, 2));
                    w.WriteNumber("songsPerSecond", Math.Round(s.SongsPerSecond, 1));
                    w.WriteNumber("views", s.Views);
                    w.WriteNumber("sequences", s.Sequences);
                    w.WriteNumber("tokens", s.Tokens);
                    w.WriteNumber("tokenizeSeconds", Math.Round(s.Tokenize.TotalSeconds, 3));
                    w.WriteNumber("tokensPerSecond", Math.Round(s.TokensPerSecond, 0));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteBoolean("pass", pass);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Machine(Utf8JsonWriter w, MachineLoad before, MachineLoad after)
    {
        w.WriteStartObject("machine");
        w.WriteNumber("cores", before.Cores);
        foreach ((string name, MachineLoad load) in (ReadOnlySpan<(string, MachineLoad)>)[("loadAverageBefore", before), ("loadAverageAfter", after)])
        {
            if (load.LoadAverages is null)
            {
                w.WriteNull(name);
                continue;
            }

            w.WriteStartArray(name);
            foreach (double a in load.LoadAverages)
            {
                w.WriteNumberValue(a);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
