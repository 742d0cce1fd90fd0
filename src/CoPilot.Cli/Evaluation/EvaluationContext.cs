using CoPilot.Data;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>What every evaluation section gets: where the data is, which split, where the report goes.</summary>
/// <param name="Limit">Evaluate only the first N items (smoke runs); the report says so.</param>
/// <param name="CommandLine">The command that reproduces the run, quoted in the report.</param>
/// <param name="Date">The day of the run, quoted in the report.</param>
public sealed record EvaluationContext(
    IAnsiConsole Console,
    string DataDirectory,
    Split Split,
    int? Limit,
    string OutPath,
    string CommandLine,
    DateOnly Date)
{
    /// <summary>Print the grid search behind the tuned settings instead of the report (valid split only).</summary>
    public bool Sweep { get; init; }
}

/// <summary>
/// One evaluation (keys now; chords, harmoniser and next chord later), a subcommand of <c>copilot eval</c>.
/// It prints its tables and writes its own section of the Markdown report.
/// </summary>
public interface IEvaluationSection
{
    /// <summary>Subcommand name: <c>copilot eval NAME</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Runs the evaluation; returns the exit code (0 ok, 1 when items failed to load or nothing could be scored).</summary>
    int Run(EvaluationContext context);
}
