using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary><c>copilot chords FILE.mid</c>: the key and the chord timeline of a MIDI file.</summary>
public static class ChordsCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A standard MIDI file (format 0 or 1)." };
        var tracks = new Option<string[]>("--tracks")
        {
            Description = "Only these track names (e.g. --tracks PIANO); all tracks by default.",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON (key, key segments, chords) instead of tables." };
        var command = new Command(
            "chords",
            "Print the key and the chord timeline of a MIDI file: bar:beat, time, chord spelled in the key, Roman numeral. "
            + "One chord per beat at most (the POP909-tuned recogniser). Exit code 0 when the file was read, "
            + "1 when it could not be read or has no notes, 2 for a bad command line.")
        { file, tracks, json };
        command.SetAction(parse => Run(console, parse.InvocationConfiguration.Output, parse.GetRequiredValue(file), parse.GetValue(tracks), parse.GetValue(json)));
        return command;
    }

    public static int Run(IAnsiConsole console, TextWriter output, FileInfo file, string[]? tracks, bool json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(file);
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

        ChordTimeline timeline = ChordTimelineBuilder.Build(midi, song, voices);
        if (json)
        {
            output.WriteLine(ToJson(file.FullName, timeline, midi.Repairs));
            return ExitCodes.Ok;
        }

        if (Describe(midi.Repairs) is { } repairs)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {file.FullName}: read with repairs: {repairs}");
        }

        var inv = CultureInfo.InvariantCulture;
        string key = timeline.Key is Key k ? k.ToString() : "none (the pitch classes are too evenly spread)";
        console.MarkupLineInterpolated($"[bold]{file.Name}[/]: key [bold]{key}[/], {timeline.Chords.Count(c => !c.Chord.IsNone)} chords");
        if (timeline.Segments.Count > 1)
        {
            console.MarkupLineInterpolated($"key segments: {string.Join(", ", timeline.Segments.Select(s => $"{s.Key} from beat {s.StartBeat.ToString("F0", inv)}"))}");
        }

        bool keyColumn = timeline.Segments.Count > 1;
        var table = new Table().AddColumns("Bar:beat", "Time", "Chord", "Roman");
        if (keyColumn)
        {
            table.AddColumn("Key");
        }

        foreach (TimelineChord c in timeline.Chords)
        {
            string[] row = [BarBeat(c), Time(c.StartSeconds), Markup.Escape(c.Name), Markup.Escape(c.Roman)];
            table.AddRow(keyColumn ? [.. row, Markup.Escape(c.Key.ToShortString())] : row);
        }

        console.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>"12:1", "12:2.5": the bar and the quarter-note beat in it.</summary>
    public static string BarBeat(TimelineChord chord)
    {
        ArgumentNullException.ThrowIfNull(chord);
        return chord.Bar.ToString(CultureInfo.InvariantCulture) + ":" + chord.BeatInBar.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>What the reader repaired, in words; null when nothing was.</summary>
    public static string? Describe(MidiRepairs repairs)
    {
        ArgumentNullException.ThrowIfNull(repairs);
        var parts = new List<string>();
        if (repairs.OrphanNoteOffs > 0)
        {
            parts.Add($"{repairs.OrphanNoteOffs} note-offs without a note-on ignored");
        }

        if (repairs.OverlapsClosed > 0)
        {
            parts.Add($"{repairs.OverlapsClosed} notes re-struck while sounding ended at the new onset");
        }

        if (repairs.UnterminatedNotes > 0)
        {
            parts.Add($"{repairs.UnterminatedNotes} notes without a note-off ended with their track");
        }

        if (repairs.ZeroLengthNotes > 0)
        {
            parts.Add($"{repairs.ZeroLengthNotes} zero-length notes dropped");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Time(double seconds)
    {
        var minutes = (int)(seconds / 60);
        return minutes.ToString(CultureInfo.InvariantCulture) + ":" + (seconds - (minutes * 60)).ToString("00.00", CultureInfo.InvariantCulture);
    }

    // Written by hand (Utf8JsonWriter): reflection-based serialisation is not trim- and AOT-safe.
    private static string ToJson(string path, ChordTimeline timeline, MidiRepairs repairs)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteStartObject("repairs");
            w.WriteNumber("orphanNoteOffs", repairs.OrphanNoteOffs);
            w.WriteNumber("overlapsClosed", repairs.OverlapsClosed);
            w.WriteNumber("unterminatedNotes", repairs.UnterminatedNotes);
            w.WriteNumber("zeroLengthNotes", repairs.ZeroLengthNotes);
            w.WriteEndObject();
            if (timeline.Key is Key key)
            {
                w.WriteString("key", key.ToString());
            }
            else
            {
                w.WriteNull("key");
            }

            w.WriteStartArray("keySegments");
            foreach (KeySegment s in timeline.Segments)
            {
                w.WriteStartObject();
                w.WriteString("key", s.Key.ToString());
                w.WriteNumber("startBeat", s.StartBeat);
                w.WriteNumber("endBeat", s.EndBeat);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("chords");
            foreach (TimelineChord c in timeline.Chords)
            {
                w.WriteStartObject();
                w.WriteNumber("bar", c.Bar);
                w.WriteNumber("beatInBar", c.BeatInBar);
                w.WriteNumber("startBeat", c.StartBeat);
                w.WriteNumber("endBeat", c.EndBeat);
                w.WriteNumber("seconds", Math.Round(c.StartSeconds, 3));
                w.WriteString("chord", c.Name);
                w.WriteString("harte", c.Chord.IsNone ? "N" : c.Chord.ToHarteString());
                w.WriteString("roman", c.Roman);
                w.WriteString("key", c.Key.ToString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
