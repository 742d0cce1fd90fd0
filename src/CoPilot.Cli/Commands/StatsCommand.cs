using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CoPilot.Cli.Corpus;
using CoPilot.Data;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary><c>copilot stats</c>: corpus statistics per set and split, load failures and load speed.</summary>
public static class StatsCommand
{
    /// <summary>At most this many failures are listed per set in the table output (all of them in JSON).</summary>
    public const int ListedFailures = 20;

    public static Command Create(IAnsiConsole console)
    {
        var set = new Option<string>("--set")
        {
            Description = "The data set: pop909, billboard, nottingham, jsb, jazz or all.",
            DefaultValueFactory = _ => "all",
        };
        set.AcceptOnlyFromAmong([.. CorpusLoad.Names.Select(n => n.Name), "all"]);
        var split = new Option<string>("--split")
        {
            Description = "The split: train, valid, test or all (each split on its own row).",
            DefaultValueFactory = _ => "all",
        };
        split.AcceptOnlyFromAmong("train", "valid", "test", "all");
        var top = new Option<int>("--top")
        {
            Description = "How many of the commonest keys and metres to show.",
            DefaultValueFactory = _ => 3,
        };
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
            {
                r.AddError("--top must be a positive number.");
            }
        });
        var data = DataLocation.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command(
            "stats",
            "Corpus statistics per set and split: songs, notes, chords, distinct chord labels, beats and hours, the "
            + "commonest keys and metres, load failures with their reasons, and load time (files/s, MB/s). Every set is "
            + "loaded whole, all splits, even with --split. Exit code 0 when every file loaded, 1 when any file failed "
            + "to load or the data directory is missing, 2 for a bad command line.")
        { set, split, top, data, json };
        command.SetAction(parse =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return ExitCodes.Failure;
            }

            string setName = parse.GetValue(set)!;
            IEnumerable<CorpusSet> sets = setName == "all" ? CorpusLoad.Names.Select(n => n.Set) : [CorpusLoad.Names.First(n => n.Name == setName).Set];
            string splitName = parse.GetValue(split)!;
            Split[] splits = splitName == "all" ? [Split.Train, Split.Valid, Split.Test] : [Enum.Parse<Split>(splitName, ignoreCase: true)];
            return Run(console, parse.InvocationConfiguration.Output, directory, [.. sets], splits, parse.GetValue(top), parse.GetValue(json));
        });
        return command;
    }

    public static int Run(IAnsiConsole console, TextWriter output, string data, IReadOnlyList<CorpusSet> sets, IReadOnlyList<Split> splits, int top, bool json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(splits);
        var loads = new List<CorpusLoad>();
        foreach (CorpusSet set in sets)
        {
            loads.Add(CorpusLoad.Load(set, data));
        }

        var rows = loads
            .SelectMany(l => splits.Select(s => SplitStatistics.Of(l.Set, s, [.. l.Songs.Where(song => song.Split == s)]) with
            {
                DuplicatesOfTrain = DuplicatesOfTrain(l, s),
            }))
            .ToList();
        if (json)
        {
            output.WriteLine(ToJson(loads, rows, top));
        }
        else
        {
            Print(console, loads, rows, top);
        }

        return loads.Any(l => l.Failures.Count > 0) ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static int DuplicatesOfTrain(CorpusLoad load, Split split)
    {
        if (load.Set != CorpusSet.Billboard || split == Split.Train)
        {
            return 0;
        }

        var inSplit = load.Songs.Where(s => s.Split == split).ToList();
        int kept = BillboardLoader.DeduplicateAgainstTrain(load.Songs.Where(s => s.Split == Split.Train).Concat(inSplit)).Count(s => s.Split == split);
        return inSplit.Count - kept;
    }

    private static void Print(IAnsiConsole console, List<CorpusLoad> loads, List<SplitStatistics> rows, int top)
    {
        var inv = CultureInfo.InvariantCulture;
        // Two tables, so that each fits 80 columns (the width when the output is piped).
        var table = new Table().Title("Corpus").Border(TableBorder.Simple).AddColumns("Set", "Split", "Songs", "Notes", "Chords", "Labels", "Beats", "Hours");
        var shares = new Table().Title($"Commonest keys and metres (share of songs, top {top.ToString(inv)})").Border(TableBorder.Simple).AddColumns("Set", "Split", "Keys", "Metres");
        foreach (SplitStatistics r in rows)
        {
            string set = CorpusLoad.NameOf(r.Set);
            string split = r.Split.ToString().ToLowerInvariant();
            table.AddRow(
                set,
                split,
                r.Songs.ToString("N0", inv),
                r.Notes.ToString("N0", inv),
                r.Chords.ToString("N0", inv),
                r.DistinctChordLabels.ToString("N0", inv),
                r.Beats.ToString("N0", inv),
                r.Seconds is double s ? (s / 3600).ToString("F1", inv) : "-");
            shares.AddRow(set, split, Markup.Escape(Top(r.Keys, top, r.Songs)), Markup.Escape(Top(r.Metres, top, r.Songs)));
        }

        console.Write(table);
        foreach (SplitStatistics r in rows.Where(r => r.DuplicatesOfTrain > 0))
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {CorpusLoad.NameOf(r.Set)} {r.Split.ToString().ToLowerInvariant()}: {r.DuplicatesOfTrain} of {r.Songs} songs repeat a train song (same title and artist); evaluations drop them.");
        }

        console.Write(shares);

        var load = new Table().Title("Loading (all splits)").Border(TableBorder.Simple).AddColumns("Set", "Loaded", "Failed", "Files", "MB", "Seconds", "Files/s", "MB/s");
        foreach (CorpusLoad l in loads)
        {
            load.AddRow(
                CorpusLoad.NameOf(l.Set),
                l.Songs.Count.ToString("N0", inv),
                l.Failures.Count == 0 ? "0" : $"[red]{l.Failures.Count.ToString(inv)}[/]",
                l.Files.ToString("N0", inv),
                (l.Bytes / 1e6).ToString("F1", inv),
                l.Elapsed.TotalSeconds.ToString("F2", inv),
                l.FilesPerSecond.ToString("N0", inv),
                l.MegabytesPerSecond.ToString("F1", inv));
        }

        if (loads.Count > 1)
        {
            double seconds = loads.Sum(l => l.Elapsed.TotalSeconds);
            load.AddRow(
                "all",
                loads.Sum(l => l.Songs.Count).ToString("N0", inv),
                loads.Sum(l => l.Failures.Count).ToString(inv),
                loads.Sum(l => l.Files).ToString("N0", inv),
                (loads.Sum(l => l.Bytes) / 1e6).ToString("F1", inv),
                seconds.ToString("F2", inv),
                (loads.Sum(l => l.Files) / Math.Max(seconds, 1e-9)).ToString("N0", inv),
                (loads.Sum(l => l.Bytes) / 1e6 / Math.Max(seconds, 1e-9)).ToString("F1", inv));
        }

        console.Write(load);

        foreach (CorpusLoad l in loads.Where(l => l.Failures.Count > 0))
        {
            console.MarkupLineInterpolated($"[red]{CorpusLoad.NameOf(l.Set)}: {l.Failures.Count} failed to load[/]");
            foreach (LoadFailure f in l.Failures.Take(ListedFailures))
            {
                console.MarkupLineInterpolated($"  {f.ToString()}");
            }

            if (l.Failures.Count > ListedFailures)
            {
                console.MarkupLineInterpolated($"  … and {l.Failures.Count - ListedFailures} more (--json lists all)");
            }
        }
    }

    // "G:maj 38%, D:maj 36%": share of the split's songs.
    private static string Top(IReadOnlyList<(string Label, int Songs)> counts, int top, int songs) =>
        counts.Count == 0
            ? "-"
            : string.Join(", ", counts.Take(top).Select(c => $"{c.Label} {(100.0 * c.Songs / Math.Max(1, songs)).ToString("F0", CultureInfo.InvariantCulture)}%"));

    // Written by hand (Utf8JsonWriter): reflection-based serialisation is not trim- and AOT-safe.
    private static string ToJson(List<CorpusLoad> loads, List<SplitStatistics> rows, int top)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("sets");
            foreach (CorpusLoad l in loads)
            {
                w.WriteStartObject();
                w.WriteString("set", CorpusLoad.NameOf(l.Set));
                w.WriteNumber("loaded", l.Songs.Count);
                w.WriteNumber("files", l.Files);
                w.WriteNumber("bytes", l.Bytes);
                w.WriteNumber("loadSeconds", Math.Round(l.Elapsed.TotalSeconds, 3));
                w.WriteNumber("filesPerSecond", Math.Round(l.FilesPerSecond, 1));
                w.WriteNumber("megabytesPerSecond", Math.Round(l.MegabytesPerSecond, 2));
                w.WriteStartArray("failures");
                foreach (LoadFailure f in l.Failures)
                {
                    w.WriteStartObject();
                    w.WriteString("path", f.Path);
                    w.WriteString("problem", f.Problem.ToString());
                    w.WriteString("detail", f.Detail);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("splits");
                foreach (SplitStatistics r in rows.Where(r => r.Set == l.Set))
                {
                    w.WriteStartObject();
                    w.WriteString("split", r.Split.ToString().ToLowerInvariant());
                    w.WriteNumber("songs", r.Songs);
                    w.WriteNumber("notes", r.Notes);
                    w.WriteNumber("chords", r.Chords);
                    w.WriteNumber("distinctChordLabels", r.DistinctChordLabels);
                    w.WriteNumber("duplicatesOfTrain", r.DuplicatesOfTrain);
                    w.WriteNumber("beats", Math.Round(r.Beats, 3));
                    if (r.Seconds is double s)
                    {
                        w.WriteNumber("seconds", Math.Round(s, 3));
                    }
                    else
                    {
                        w.WriteNull("seconds");
                    }

                    Counts(w, "keys", r.Keys, top);
                    Counts(w, "metres", r.Metres, top);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Counts(Utf8JsonWriter w, string name, IReadOnlyList<(string Label, int Songs)> counts, int top)
    {
        w.WriteStartArray(name);
        foreach ((string label, int songs) in counts.Take(top))
        {
            w.WriteStartObject();
            w.WriteString("label", label);
            w.WriteNumber("songs", songs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
