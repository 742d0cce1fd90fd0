using System.Globalization;
using CoPilot.Data;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>Loads the POP909 songs of one split, one at a time so that progress can be shown.</summary>
public static class Pop909Songs
{
    /// <summary>The three POP909 tracks: melody, secondary melody and piano accompaniment.</summary>
    public static IReadOnlySet<string> AllTracks { get; } = new HashSet<string>(StringComparer.Ordinal) { "MELODY", "BRIDGE", "PIANO" };

    public static string Root(string dataDirectory) => Path.Combine(dataDirectory, "pop909", "POP909");

    /// <summary>Song folders of <paramref name="split"/>, in song-number order, at most <paramref name="limit"/>.</summary>
    /// <summary>The song folders of the context's split; on a missing or unreadable data set it says why and returns false.</summary>
    public static bool TryListFolders(EvaluationContext context, out IReadOnlyList<string> folders)
    {
        try
        {
            folders = Folders(context.DataDirectory, context.Split, context.Limit);
            return true;
        }
        catch (DataLoadException e)
        {
            context.Console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            folders = [];
            return false;
        }
    }

    public static IReadOnlyList<string> Folders(string dataDirectory, Split split, int? limit)
    {
        string root = Root(dataDirectory);
        if (!Directory.Exists(root))
        {
            throw new DataLoadException(root, LoadProblem.Io, "the POP909 folder is missing (expected <data>/pop909/POP909)");
        }

        IEnumerable<string> folders = Directory.GetDirectories(root)
            .Where(d => Path.GetFileName(d) is { Length: 3 } n && n.All(char.IsAsciiDigit)
                && Splits.Of(CorpusSet.Pop909, int.Parse(n, CultureInfo.InvariantCulture)) == split)
            .Order(StringComparer.Ordinal);
        return [.. limit is int n ? folders.Take(n) : folders];
    }
}
