using System.CommandLine;
using Spectre.Console;

namespace CoPilot.Cli;

/// <summary>
/// Where ../shared/data is: <c>--data</c>, else the COPILOT_DATA environment variable, else ../shared/data
/// beside the repository root (the folder holding CoPilot.sln, found by walking up from the current directory).
/// </summary>
public static class DataLocation
{
    public const string EnvironmentVariable = "COPILOT_DATA";

    /// <summary>The data directory, or null with a message saying what was tried.</summary>
    public static string? Resolve(string? option, out string? error)
    {
        error = null;
        string? candidate = option;
        string source = "--data";
        if (string.IsNullOrWhiteSpace(candidate))
        {
            candidate = Environment.GetEnvironmentVariable(EnvironmentVariable);
            source = EnvironmentVariable;
        }

        if (string.IsNullOrWhiteSpace(candidate))
        {
            string? root = RepositoryRoot(Directory.GetCurrentDirectory());
            if (root is null)
            {
                error = $"no data directory: pass --data DIR, set {EnvironmentVariable}, or run inside the repository (no CoPilot.sln found above {Directory.GetCurrentDirectory()}) so that ../shared/data is used.";
                return null;
            }

            candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
            source = "../shared/data beside the repository";
        }

        candidate = Path.GetFullPath(candidate);
        if (!Directory.Exists(candidate))
        {
            error = $"the data directory {candidate} (from {source}) does not exist: pass --data DIR or set {EnvironmentVariable}.";
            return null;
        }

        return candidate;
    }

    /// <summary>The <c>--data</c> option of every command that reads ../shared/data.</summary>
    public static Option<DirectoryInfo?> CreateOption() => new("--data")
    {
        Description = $"The data directory (../shared/data). Default: ${EnvironmentVariable}, else ../shared/data beside the repository root.",
    };

    /// <summary>The data directory the option (or its defaults) names, or null after printing why there is none.</summary>
    public static string? ResolveOrReport(ParseResult parse, Option<DirectoryInfo?> option, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(console);
        string? directory = Resolve(parse.GetValue(option)?.FullName, out string? error);
        if (directory is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {error}");
        }

        return directory;
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds CoPilot.sln.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoPilot.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
