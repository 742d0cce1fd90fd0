using System.CommandLine;
using System.Globalization;
using CoPilot.Evaluation.Corpus;
using CoPilot.Evaluation.Harness;
using CoPilot.Export;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary><c>copilot eval model</c>: the exported model on the baseline table's tracks (docs/evaluation/model.md).</summary>
public static class EvalModelCommand
{
    public const string DefaultReport = "docs/evaluation/model.md";

    public static Command Create(IAnsiConsole console)
    {
        var data = DataLocation.CreateOption();
        var model = new Option<FileInfo?>("--model") { Description = $"The INT8 model. Default: {TrainModelCommand.ModelFolder}/{TrainModelCommand.Int8FileName} in the repository." };
        var fp32 = new Option<FileInfo?>("--fp32") { Description = $"The FP32 export of the same weights, for the INT8 check. Default: {TrainModelCommand.Fp32FileName} beside the model, else in {TrainModelCommand.DefaultRunFolder}." };
        var baselines = new Option<FileInfo?>("--baselines") { Description = $"The baseline table's JSON. Default: {Path.ChangeExtension(BaselinesCommand.DefaultReport, ".json")}." };
        var output = new Option<FileInfo?>("--out") { Description = $"The Markdown report (JSON beside it). Default: {DefaultReport}." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N songs of every split (a smoke run)." };
        var cacheSweep = new Option<bool>("--cache-sweep") { Description = "Instead of the report: next-chord accuracy with the song cache over a θ × λ grid on the valid splits, the search behind ContinuousCache's defaults (prints, writes nothing)." };
        var command = new Command("model", "Score the exported model like the baselines (NLL per token on every track, valid and test), probe its continuations, and check INT8 against FP32.")
        {
            data, model, fp32, baselines, output, limit, cacheSweep,
        };
        command.SetAction(parse =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return ExitCodes.Failure;
            }

            string root = DataLocation.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
            string modelPath = parse.GetValue(model)?.FullName ?? Path.Combine(root, TrainModelCommand.ModelFolder, TrainModelCommand.Int8FileName);
            string? fp32Path = parse.GetValue(fp32)?.FullName
                ?? new[] { Path.Combine(Path.GetDirectoryName(modelPath)!, TrainModelCommand.Fp32FileName), Path.Combine(root, TrainModelCommand.DefaultRunFolder, TrainModelCommand.Fp32FileName) }.FirstOrDefault(File.Exists);
            string baselinePath = parse.GetValue(baselines)?.FullName ?? Path.Combine(root, Path.ChangeExtension(BaselinesCommand.DefaultReport, ".json"));
            string markdownPath = parse.GetValue(output)?.FullName ?? Path.Combine(root, DefaultReport);
            int? n = parse.GetValue(limit);

            OnnxDecoder int8;
            OnnxDecoder? reference = null;
            try
            {
                int8 = OnnxDecoder.Load(modelPath, Vocabulary.Fingerprint);
                if (fp32Path is not null)
                {
                    reference = OnnxDecoder.Load(fp32Path, Vocabulary.Fingerprint);
                }
            }
            catch (OnnxModelException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitCodes.Failure;
            }

            using (int8)
            using (reference)
            {
                BaselineReport? table = File.Exists(baselinePath) ? BaselineReportWriter.FromJson(File.ReadAllText(baselinePath)) : null;
                if (table is null)
                {
                    console.MarkupLineInterpolated($"[yellow]note:[/] no baseline table at {baselinePath}: the report shows the model alone.");
                }

                OriginalityIndex? originality = ModelLoader.TryLoadOriginality(modelPath, out _, out string? originalityProblem);
                if (originality is null)
                {
                    console.MarkupLineInterpolated($"[yellow]note:[/] {originalityProblem}: the plugin-style probe runs without the guard.");
                }

                var evaluation = new ModelEvaluation(new CorpusLibrary(directory))
                {
                    Limit = n,
                    Originality = originality,
                    Progress = line => console.MarkupLineInterpolated($"[grey]{line}[/]"),
                };
                if (parse.GetValue(cacheSweep))
                {
                    WriteCacheSweep(console, evaluation.CacheSweep(int8, SweepThetas, SweepLambdas));
                    return ExitCodes.Ok;
                }

                QuantisationCheck? quantisation = null;
                if (reference is not null)
                {
                    QuantizationReport q = QuantizationReport.Measure(reference, int8, evaluation.ValidSequences());
                    quantisation = new QuantisationCheck(q.Positions, q.TopOneAgreement, q.ReferenceNll, q.CandidateNll);
                    console.MarkupLineInterpolated($"[grey]INT8 against FP32: {q.ToString()}[/]");
                }

                ModelReport report = evaluation.Run(modelPath, int8, table, quantisation);
                string commandLine = "dotnet run -c Release --project src/CoPilot.Cli -- eval model" + (n is int k ? $" --limit {k}" : "");
                Directory.CreateDirectory(Path.GetDirectoryName(markdownPath)!);
                File.WriteAllText(markdownPath, ModelReportWriter.ToMarkdown(report, commandLine));
                File.WriteAllText(Path.ChangeExtension(markdownPath, ".json"), ModelReportWriter.ToJson(report));
                console.MarkupLineInterpolated($"Wrote {markdownPath} in {report.Seconds / 60:0.0} min.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static readonly float[] SweepThetas = [5, 10, 20, 40, 60, 90, 140];
    private static readonly float[] SweepLambdas = [0.3f, 0.45f, 0.6f, 0.75f, 0.9f];

    private static void WriteCacheSweep(IAnsiConsole console, IReadOnlyList<(string Set, IReadOnlyList<CacheSweepPoint> Points)> sweep)
    {
        var table = new Table().AddColumns("θ", "λ");
        foreach ((string set, _) in sweep)
        {
            table.AddColumn($"{set} top-3", c => c.RightAligned());
        }

        table.AddColumn("mean top-3", c => c.RightAligned());
        CacheSweepPoint best = sweep[0].Points[0];
        double bestMean = -1;
        for (int i = 0; i < sweep[0].Points.Count; i++)
        {
            CacheSweepPoint point = sweep[0].Points[i];
            double mean = sweep.Average(s => s.Points[i].Top3);
            if (mean > bestMean)
            {
                (best, bestMean) = (point, mean);
            }

            bool chosen = point.Theta == ContinuousCache.DefaultTheta && point.Lambda == ContinuousCache.DefaultLambda;
            var cells = new List<string> { Format(point.Theta), Format(point.Lambda) };
            cells.AddRange(sweep.Select(s => s.Points[i].Top3.ToString("F3", CultureInfo.InvariantCulture)));
            cells.Add(mean.ToString("F3", CultureInfo.InvariantCulture) + (chosen ? " (default)" : ""));
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Best mean top-3 on valid: θ {Format(best.Theta)}, λ {Format(best.Lambda)} ({bestMean:F3}); the defaults are θ {Format(ContinuousCache.DefaultTheta)}, λ {Format(ContinuousCache.DefaultLambda)}.");
    }

    private static string Format(float value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
