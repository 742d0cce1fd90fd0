using System.Globalization;
using System.Text;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// The evaluation document: one Markdown file with a section per evaluation and split, each between
/// marker comments so that re-running one evaluation replaces its own section and leaves the others alone.
/// </summary>
public static class MarkdownReport
{
    public const string DefaultTitle = "# Music evaluation";

    /// <summary>Writes (or replaces, in place) section <paramref name="id"/> of the file; a new section goes at the end. Creates the file when missing.</summary>
    public static void WriteSection(string path, string id, string markdown)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        string existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var sections = new List<(string Id, string Body)>();
        string preamble = Parse(existing, sections);
        int at = sections.FindIndex(s => s.Id == id);
        if (at >= 0)
        {
            sections[at] = (id, markdown.TrimEnd('\n'));
        }
        else
        {
            sections.Add((id, markdown.TrimEnd('\n')));
        }

        var text = new StringBuilder();
        text.Append(preamble.Length > 0 ? preamble.TrimEnd('\n') : DefaultTitle + "\n\n" + Preamble.TrimEnd('\n'));
        text.Append("\n\n");
        foreach ((string key, string body) in sections)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Begin(key)}\n{body}\n{End(key)}\n\n");
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text.ToString().TrimEnd('\n') + "\n");
    }

    private const string Preamble = """
        Figures of CoPilot.Music on held-out data (issue 5), written by `copilot eval`. Each section below is
        replaced by its own command, which it names with the date it ran. Splits are the fixed ones of
        ../shared/data/README.md: decisions are tuned on **valid** only; **test** is reported, never tuned on.
        """;

    private static string Begin(string id) => $"<!-- section: {id} -->";

    private static string End(string id) => $"<!-- end section: {id} -->";

    private static string Parse(string text, List<(string Id, string Body)> sections)
    {
        int first = text.IndexOf("<!-- section: ", StringComparison.Ordinal);
        string preamble = first < 0 ? text : text[..first];
        int at = first;
        while (at >= 0)
        {
            int idStart = at + "<!-- section: ".Length;
            int idEnd = text.IndexOf(" -->", idStart, StringComparison.Ordinal);
            if (idEnd < 0)
            {
                break;
            }

            string id = text[idStart..idEnd];
            string end = End(id);
            int bodyStart = idEnd + " -->".Length + 1;
            int endAt = text.IndexOf(end, idStart, StringComparison.Ordinal);
            if (endAt < 0 || bodyStart > endAt)
            {
                break;
            }

            sections.Add((id, text[bodyStart..endAt].TrimEnd('\n')));
            at = text.IndexOf("<!-- section: ", endAt, StringComparison.Ordinal);
        }

        return preamble;
    }
}
