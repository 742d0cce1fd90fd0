using System.CommandLine;
using CoPilot.Evaluation.Corpus;
using CoPilot.Evaluation.Harness;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary>
/// <c>copilot eval baselines</c> (also <c>copilot eval --baselines</c>): the n-gram baseline table of issue 6,
/// written to docs/evaluation/baselines.md and .json.
/// </summary>
public static class BaselinesCommand
{
    public const string DefaultReport = "docs/evaluation/baselines.md";

    public static Command Create(IAnsiConsole console)
    {
        var options = new BaselineOptions();
        var command = new Command("baselines", "Train every n-gram baseline on train, choose its settings on valid, score valid and test, and probe continuations; writes a Markdown table and JSON (same numbers on every run).");
        options.AddTo(command);
        command.SetAction(parse => Run(console, options, parse));
        return command;
    }

    /// <summary>The options of the baseline run, shared by <c>eval baselines</c> and <c>eval --baselines</c>.</summary>
    public sealed class BaselineOptions
    {
        public Option<DirectoryInfo?> Data { get; } = DataLocation.CreateOption();

        public Option<FileInfo?> Out { get; } = new("--out")
        {
            Description = $"The Markdown report (the JSON goes beside it with .json). Default: {DefaultReport} in the repository.",
        };

        public Option<int?> Limit { get; } = new("--limit")
        {
            Description = "Use only the first N songs of every split (a smoke run: the figures mean little).",
        };

        public void AddTo(Command command)
        {
            Limit.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int?>() is <= 0)
                {
                    r.AddError("--limit must be a positive number.");
                }
            });
            command.Options.Add(Data);
            command.Options.Add(Out);
            command.Options.Add(Limit);
        }
    }

    public static int Run(IAnsiConsole console, BaselineOptions options, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parse);
        string? directory = DataLocation.ResolveOrReport(parse, options.Data, console);
        if (directory is null)
        {
            return ExitCodes.Failure;
        }

        int? limit = parse.GetValue(options.Limit);
        string markdownPath = parse.GetValue(options.Out)?.FullName ?? DefaultReportPath();
        string jsonPath = Path.ChangeExtension(markdownPath, ".json");
        string commandLine = "dotnet run -c Release --project src/CoPilot.Cli -- eval baselines" + (limit is int n ? $" --limit {n}" : "");

        BaselineReport report = null!;
        console.Status().Start("Training and scoring the baselines", _ =>
        {
            var evaluation = new BaselineEvaluation(new CorpusLibrary(directory))
            {
                Limit = limit,
                Progress = line => console.MarkupLineInterpolated($"[grey]{line}[/]"),
            };
            report = evaluation.Run();
        });

        Directory.CreateDirectory(Path.GetDirectoryName(markdownPath)!);
        File.WriteAllText(markdownPath, BaselineReportWriter.ToMarkdown(report, commandLine));
        File.WriteAllText(jsonPath, BaselineReportWriter.ToJson(report));
        var table = new Table().AddColumns("track", "best baseline", "valid NLL", "test NLL");
        foreach (TrackResult track in report.Tracks)
        {
            ModelScore best = BaselineReportWriter.Best(track);
            table.AddRow(Markup.Escape(track.Track), Markup.Escape(best.Name), best.Valid.NatsPerToken.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), best.Test.NatsPerToken.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Wrote {markdownPath} and {jsonPath} in {report.Seconds / 60:0.0} min.");
        if (report.LoadFailures.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]{report.LoadFailures.Count} files could not be read (listed in the report).[/]");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }

    private static string DefaultReportPath()
    {
        string root = DataLocation.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, DefaultReport);
    }
}
