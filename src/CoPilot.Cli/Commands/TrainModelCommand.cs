using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Export;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Training;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary>
/// <c>copilot train model</c> trains the co-pilot transformer (resumable), then exports it;
/// <c>copilot train export</c> exports saved weights. What ships: models/copilot-int8.onnx and
/// models/originality.bin; the FP32 export stays beside the weights for parity checks.
/// </summary>
public static class TrainModelCommand
{
    public const string DefaultRunFolder = "artifacts/training/copilot";
    public const string ModelFolder = "models";
    public const string Int8FileName = "copilot-int8.onnx";
    public const string Fp32FileName = "copilot-fp32.onnx";
    public const string OriginalityFileName = ModelLoader.OriginalityFileName;

    /// <summary>The views trained by default: every task but Accompany's full arrangements (5M more tokens of piano).</summary>
    public static IReadOnlyList<CorpusView> DefaultViews { get; } = [CorpusView.Melody, CorpusView.LeadSheet, CorpusView.Chords, CorpusView.Chorale];

    public static Command CreateModel(IAnsiConsole console)
    {
        var data = DataLocation.CreateOption();
        var run = new Option<DirectoryInfo?>("--run") { Description = $"Checkpoints, best weights and loss curves. Default: {DefaultRunFolder} in the repository. A run there is resumed." };
        var models = new Option<DirectoryInfo?>("--models") { Description = $"Where the exported model goes. Default: {ModelFolder}/ in the repository." };
        // The defaults are the shipped model's settings (models/MODEL_CARD.md): `copilot train model` reproduces it.
        var steps = new Option<long>("--steps") { Description = "Optimizer steps in all (a resumed run continues to this count).", DefaultValueFactory = _ => 5000 };
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => 16 };
        var layers = new Option<int>("--layers") { DefaultValueFactory = _ => TrainingOptions.DefaultModel.Layers };
        var dim = new Option<int>("--dim") { DefaultValueFactory = _ => TrainingOptions.DefaultModel.Dim };
        var heads = new Option<int>("--heads") { DefaultValueFactory = _ => TrainingOptions.DefaultModel.Heads };
        var context = new Option<int>("--context") { DefaultValueFactory = _ => TrainingOptions.DefaultModel.ContextLength };
        var positions = new Option<PositionEncoding>("--positions") { Description = "How the model knows where a token is: Rotary (relative, inside attention) or Learned (one vector per absolute position).", DefaultValueFactory = _ => TrainingOptions.DefaultModel.Positions };
        var rate = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads.", DefaultValueFactory = _ => 2 };
        var validateEvery = new Option<long>("--validate-every") { DefaultValueFactory = _ => 1000 };
        var views = new Option<string>("--views") { Description = "Comma-separated views: melody, leadsheet, chords, chorale, full.", DefaultValueFactory = _ => "melody,leadsheet,chords,chorale" };
        var permissive = new Option<bool>("--permissive-only") { Description = "Train only on permissively licensed sets (Billboard CC0, JSB public domain)." };
        var balance = new Option<double>("--balance") { Description = "Each set-and-view group gets a share of the windows proportional to its tokens to this power: 1 weighs every token alike, 0 every group alike.", DefaultValueFactory = _ => new TrainingOptions { Model = TrainingOptions.DefaultModel }.GroupBalance };
        var repeats = new Option<double>("--repeats") { Description = "Share of windows that take a repeat sign (bars a to b, then a onwards again), so the model learns to follow a song's own repeated progressions.", DefaultValueFactory = _ => new TrainingOptions { Model = TrainingOptions.DefaultModel }.RepeatWindowProbability };
        var fresh = new Option<bool>("--fresh") { Description = "Ignore checkpoints in --run and start over." };
        var noExport = new Option<bool>("--no-export") { Description = "Train only; export later with `copilot train export`." };

        var command = new Command("model", "Train the co-pilot transformer with TorchSharp on the train splits (valid for model selection), resumable from checkpoints; then export FP32 and INT8 ONNX and the originality index.")
        {
            data, run, models, steps, batch, layers, dim, heads, context, positions, rate, seed, threads, validateEvery, views, balance, repeats, permissive, fresh, noExport,
        };
        command.SetAction((parse, cancellation) =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return Task.FromResult(ExitCodes.Failure);
            }

            if (!TryParseViews(parse.GetValue(views)!, out List<CorpusView> chosen, out string? viewError))
            {
                console.MarkupLineInterpolated($"[red]error:[/] {viewError}");
                return Task.FromResult(ExitCodes.Usage);
            }

            string root = RepositoryRoot();
            var options = new TrainingOptions
            {
                Model = new TransformerConfig(Vocabulary.Size, parse.GetValue(context), parse.GetValue(layers), parse.GetValue(dim), parse.GetValue(heads), parse.GetValue(positions)),
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(rate),
                MinLearningRate = parse.GetValue(rate) / 10,
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                ValidateEvery = parse.GetValue(validateEvery),
                CheckpointEvery = Math.Min(500, parse.GetValue(validateEvery)),
                PermissiveLicencesOnly = parse.GetValue(permissive),
                GroupBalance = parse.GetValue(balance),
                RepeatWindowProbability = parse.GetValue(repeats),
                OutputDirectory = parse.GetValue(run)?.FullName ?? Path.Combine(root, DefaultRunFolder),
                Resume = !parse.GetValue(fresh),
            };
            string modelDirectory = parse.GetValue(models)?.FullName ?? Path.Combine(root, ModelFolder);
            return Task.FromResult(Train(console, directory, options, chosen, parse.GetValue(noExport) ? null : modelDirectory, cancellation));
        });
        return command;
    }

    public static Command CreateExport(IAnsiConsole console)
    {
        var data = DataLocation.CreateOption();
        var weights = new Option<FileInfo?>("--weights") { Description = $"Saved weights (.cptw). Default: the best weights of {DefaultRunFolder}." };
        var models = new Option<DirectoryInfo?>("--models") { Description = $"Where the INT8 model and the originality index go. Default: {ModelFolder}/ in the repository." };
        var permissive = new Option<bool>("--permissive-only") { Description = "Build the originality index from the permissive sets only (match the training run)." };
        var command = new Command("export", "Export saved weights as FP32 and INT8 ONNX (decode graph for CoPilot.Inference) and rebuild the originality index from the train melodies.")
        {
            data, weights, models, permissive,
        };
        command.SetAction(parse =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return ExitCodes.Failure;
            }

            string root = RepositoryRoot();
            string path = parse.GetValue(weights)?.FullName ?? Path.Combine(root, DefaultRunFolder, TrainingRun.BestWeightsFileName);
            if (!File.Exists(path))
            {
                console.MarkupLineInterpolated($"[red]error:[/] no weights at {path}: train first (`copilot train model`) or pass --weights.");
                return ExitCodes.Failure;
            }

            TransformerWeights read;
            try
            {
                read = TransformerWeightsFile.Read(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or EndOfStreamException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {path}: {e.Message}");
                return ExitCodes.Failure;
            }

            Export(console, read, Path.GetDirectoryName(path)!, parse.GetValue(models)?.FullName ?? Path.Combine(root, ModelFolder), new CorpusLibrary(directory), parse.GetValue(permissive));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Train(IAnsiConsole console, string dataDirectory, TrainingOptions options, List<CorpusView> views, string? modelDirectory, CancellationToken cancellation)
    {
        var library = new CorpusLibrary(dataDirectory);
        var clock = Stopwatch.StartNew();
        var pairs = TrainingSets.Allowed(options.PermissiveLicencesOnly)
            .SelectMany(s => CorpusViews.Of(s.Set).Where(views.Contains).Select(v => (s.Set, v)))
            .ToList();
        TrainingCorpus corpus = TrainingCorpus.Load(library, options.PermissiveLicencesOnly, pairs);
        console.MarkupLineInterpolated($"Corpus: {corpus.Train.Count} train and {corpus.Valid.Count} valid sequences ({TrainingCorpus.PredictedTokens(corpus.Train):N0} train tokens) from {string.Join(", ", pairs.Select(p => $"{p.Set} {p.v}"))}, loaded in {clock.Elapsed.TotalSeconds:F1} s.");
        console.MarkupLineInterpolated($"Windows per group (tokens^{options.GroupBalance:0.##}): {string.Join(", ", corpus.Shares(options.GroupBalance).Select(g => $"{g.Group} {g.Share:P0}"))}.");
        if (options.RepeatWindowProbability > 0)
        {
            console.MarkupLineInterpolated($"Windows with a repeat sign: {options.RepeatWindowProbability:P0}.");
        }

        console.MarkupLineInterpolated($"Model: {options.Model.Layers} layers, d={options.Model.Dim}, {options.Model.Heads} heads, context {options.Model.ContextLength}, {options.Model.Positions.ToString().ToLowerInvariant()} positions; {options.Steps} steps of {options.BatchSize}×{options.Model.ContextLength} tokens; run folder {options.OutputDirectory}.");

        TrainingResult result = null!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask("training", maxValue: options.Steps);
                result = TrainingRun.Run(
                    corpus,
                    options,
                    p =>
                    {
                        task.Value = p.Step;
                        string valid = p.ValidNll is double v ? v.ToString("F3", CultureInfo.InvariantCulture) : "–";
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} · {p.TokensPerSecond:N0} tok/s · loss {p.TrainLoss:F3} · valid {valid} · ETA {p.Eta:hh\\:mm\\:ss}");
                    },
                    cancellation);
            });

        BestValid(console, result);
        if (result.Cancelled)
        {
            console.MarkupLineInterpolated($"Stopped at step {result.Steps}; the checkpoint in {options.OutputDirectory} resumes it.");
            return ExitCodes.Ok;
        }

        if (modelDirectory is not null)
        {
            Export(console, result.Best ?? result.Final, options.OutputDirectory!, modelDirectory, library, options.PermissiveLicencesOnly);
        }

        console.MarkupLineInterpolated($"Done in {clock.Elapsed.TotalMinutes:F1} min. Loss curves: {result.PlotPath ?? "–"}.");
        return ExitCodes.Ok;
    }

    private static void BestValid(IAnsiConsole console, TrainingResult result)
    {
        if (result.History.BestValid is { } best)
        {
            console.MarkupLineInterpolated($"Best valid NLL {best.Loss:F4} nats/token at step {best.Step} (all tasks pooled).");
        }
    }

    /// <summary>FP32 beside the weights, INT8 and the originality index into the models folder.</summary>
    public static void Export(IAnsiConsole console, TransformerWeights weights, string runDirectory, string modelDirectory, CorpusLibrary library, bool permissiveOnly)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(library);
        Directory.CreateDirectory(modelDirectory);
        string fp32 = Path.Combine(runDirectory, Fp32FileName);
        string int8 = Path.Combine(modelDirectory, Int8FileName);
        DecoderExporter.Write(weights, OnnxWeightFormat.Float32, Vocabulary.Fingerprint, fp32);
        DecoderExporter.Write(weights, OnnxWeightFormat.Int8, Vocabulary.Fingerprint, int8);
        console.MarkupLineInterpolated($"Exported {fp32} ({new FileInfo(fp32).Length / 1024} KiB) and {int8} ({new FileInfo(int8).Length / 1024} KiB).");

        // The guard must know every melody the model could have memorised: the train melodies of the sets it learned from.
        var melodies = new List<ReadOnlyMemory<int>>();
        foreach (TrainingSet set in TrainingSets.Allowed(permissiveOnly))
        {
            if (!CorpusViews.Of(set.Set).Contains(CorpusView.Melody))
            {
                continue;
            }

            foreach (TokenSequence sequence in library.Tokens(set.Set, Split.Train, CorpusView.Melody).Sequences)
            {
                melodies.Add(MelodyPitches(sequence.Tokens));
            }
        }

        OriginalityIndex index = OriginalityIndex.Build(melodies);
        string indexPath = Path.Combine(modelDirectory, OriginalityFileName);
        index.Save(indexPath);
        console.MarkupLineInterpolated($"Originality index: {index.Count:N0} runs of {OriginalityIndex.RunLength} notes from {melodies.Count} train melodies, {indexPath} ({new FileInfo(indexPath).Length / 1024} KiB).");
    }

    private static int[] MelodyPitches(int[] tokens)
    {
        var pitches = new List<int>(tokens.Length / 3);
        foreach (int token in tokens)
        {
            if (Vocabulary.IsPitch(token))
            {
                pitches.Add(token - Vocabulary.PitchBase + Vocabulary.LowestPitch);
            }
        }

        return [.. pitches];
    }

    private static bool TryParseViews(string text, out List<CorpusView> views, out string? error)
    {
        views = [];
        error = null;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            CorpusView? view = part.ToLowerInvariant() switch
            {
                "melody" => CorpusView.Melody,
                "leadsheet" or "lead-sheet" => CorpusView.LeadSheet,
                "chords" => CorpusView.Chords,
                "chorale" => CorpusView.Chorale,
                "full" => CorpusView.Full,
                _ => null,
            };
            if (view is null)
            {
                error = $"unknown view '{part}': use melody, leadsheet, chords, chorale, full.";
                return false;
            }

            views.Add(view.Value);
        }

        if (views.Count == 0)
        {
            error = "--views names no view.";
            return false;
        }

        return true;
    }

    private static string RepositoryRoot() => DataLocation.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
}
