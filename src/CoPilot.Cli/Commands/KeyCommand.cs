using System.CommandLine;
using System.Globalization;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary><c>copilot key FILE.mid</c>: the key of a MIDI file and its key segments (modulations).</summary>
public static class KeyCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A standard MIDI file (format 0 or 1)." };
        var tracks = new Option<string[]>("--tracks")
        {
            Description = "Only these track names (e.g. --tracks MELODY PIANO); all tracks by default.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("key", "Print the key of a MIDI file (whole piece) and its key segments.") { file, tracks };
        command.SetAction(parse => Run(console, parse.GetRequiredValue(file), parse.GetValue(tracks)));
        return command;
    }

    public static int Run(IAnsiConsole console, FileInfo file, string[]? tracks)
    {
        MidiSong midi;
        try
        {
            midi = MidiReader.Read(file.FullName);
        }
        catch (DataLoadException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }

        IReadOnlySet<string>? voices = tracks is { Length: > 0 } ? new HashSet<string>(tracks, StringComparer.Ordinal) : null;
        AnalysedSong song = AnalysedSong.From(file.Name, midi.Notes, [], midi.Metres, voices);
        if (song.Notes.Count == 0)
        {
            string which = voices is null ? "" : $" in tracks {string.Join(", ", tracks!)} (the file has {string.Join(", ", midi.TrackNames)})";
            console.MarkupLineInterpolated($"[red]error:[/] {file.FullName}: no notes{which}.");
            return ExitCodes.Failure;
        }

        KeyEstimate estimate = SongKeyFinder.Tuned.FindKey(song);
        if (!estimate.HasKey)
        {
            console.MarkupLineInterpolated($"{file.Name}: no key (the pitch classes are too evenly spread).");
            return ExitCodes.Ok;
        }

        var inv = CultureInfo.InvariantCulture;
        string detail = estimate.RunnerUpCorrelation > estimate.Correlation
            ? $"the key of most of the piece; the whole-piece histogram alone says {estimate.RunnerUp}"
            : $"correlation {estimate.Correlation.ToString("F3", inv)}; runner-up {estimate.RunnerUp}, {estimate.RunnerUpCorrelation.ToString("F3", inv)}";
        console.MarkupLineInterpolated($"[bold]{file.Name}[/]: key [bold]{estimate.Key.ToString()}[/] ({detail})");

        IReadOnlyList<KeySegment> segments = new KeySegmenter().Segment(song.ToTimedNotes());
        var table = new Table().Title("Key segments").AddColumns("From bar", "To bar", "From beat", "To beat", "Key", "Mean correlation");
        foreach (KeySegment s in segments)
        {
            table.AddRow(
                Bar(song, s.StartBeat).ToString(inv),
                Bar(song, Math.Min(s.EndBeat, song.EndBeat) - 1e-6).ToString(inv),
                s.StartBeat.ToString("F1", inv),
                Math.Min(s.EndBeat, song.EndBeat).ToString("F1", inv),
                Markup.Escape(s.Key.ToString()),
                s.MeanCorrelation.ToString("F3", inv));
        }

        console.Write(table);
        return ExitCodes.Ok;
    }

    // 1-based bar number of a beat, from the downbeats (the metre map).
    private static int Bar(AnalysedSong song, double beat)
    {
        int bar = 0;
        foreach (double d in song.Downbeats)
        {
            if (d <= beat + 1e-9)
            {
                bar++;
            }
        }

        return Math.Max(1, bar);
    }
}
