using System.CommandLine;
using CoPilot.Cli.Evaluation;
using CoPilot.Data;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary>
/// <c>copilot eval SECTION</c>: one subcommand per <see cref="IEvaluationSection"/>, all with the same options
/// (split, data directory, report file).
/// </summary>
public static class EvalCommand
{
    public const string DefaultReport = "docs/evaluation/music.md";

    public static IReadOnlyList<IEvaluationSection> Sections { get; } = [new KeyEvaluation(), new ChordEvaluation(), new NextChordEvaluation(), new HarmonizerEvaluation()];

    public static Command Create(IAnsiConsole console, string[] args)
    {
        var eval = new Command("eval", "Evaluate on held-out data and write a Markdown report: CoPilot.Music's sections, or the n-gram baselines (--baselines).");
        foreach (IEvaluationSection section in Sections)
        {
            eval.Subcommands.Add(CreateSection(console, section, args));
        }

        eval.Subcommands.Add(BaselinesCommand.Create(console));
        eval.Subcommands.Add(EvalModelCommand.Create(console));

        // `copilot eval --baselines` is the spelling of `copilot eval baselines`.
        var baselines = new Option<bool>("--baselines") { Description = "Run the baseline table (same as `copilot eval baselines`)." };
        var options = new BaselinesCommand.BaselineOptions();
        eval.Options.Add(baselines);
        options.AddTo(eval);
        eval.SetAction(parse =>
        {
            if (!parse.GetValue(baselines))
            {
                console.MarkupLine("[red]error:[/] name an evaluation (keys, chords, next-chord, harmonizer, baselines) or pass --baselines; see --help.");
                return ExitCodes.Usage;
            }

            return BaselinesCommand.Run(console, options, parse);
        });
        return eval;
    }

    private static Command CreateSection(IAnsiConsole console, IEvaluationSection section, string[] args)
    {
        var split = new Option<string>("--split")
        {
            Description = "The split to evaluate: valid (tune on it) or test (report only).",
            DefaultValueFactory = _ => "valid",
        };
        split.AcceptOnlyFromAmong("valid", "test");
        var data = DataLocation.CreateOption();
        var output = new Option<FileInfo?>("--out")
        {
            Description = $"The Markdown report; this evaluation replaces its own section. Default: {DefaultReport} in the repository.",
        };
        var limit = new Option<int?>("--limit")
        {
            Description = "Evaluate only the first N items of the split (a smoke run; the report says so).",
        };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
            {
                r.AddError("--limit must be a positive number.");
            }
        });

        var sweep = new Option<bool>("--sweep")
        {
            Description = "Print the grid search behind the tuned settings instead of writing the report (valid split only: never tune on test).",
        };

        var command = new Command(section.Name, section.Description) { split, data, output, limit, sweep };
        command.Validators.Add(r =>
        {
            if (r.GetValue(sweep) && r.GetValue(split) == "test")
            {
                r.AddError("--sweep tunes, and tuning on the test split is not allowed: use --split valid.");
            }
        });
        command.SetAction(parse =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return ExitCodes.Failure;
            }

            string outPath = parse.GetValue(output)?.FullName ?? DefaultReportPath();
            var context = new EvaluationContext(
                console,
                directory,
                parse.GetValue(split) == "test" ? Split.Test : Split.Valid,
                parse.GetValue(limit),
                outPath,
                "dotnet run -c Release --project src/CoPilot.Cli -- " + string.Join(' ', args),
                DateOnly.FromDateTime(DateTime.Now))
            {
                Sweep = parse.GetValue(sweep),
            };
            return section.Run(context);
        });
        return command;
    }

    private static string DefaultReportPath()
    {
        string root = DataLocation.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, DefaultReport);
    }
}
