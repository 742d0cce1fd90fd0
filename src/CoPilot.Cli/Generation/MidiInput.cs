using System.Globalization;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Generation;

/// <summary>
/// A MIDI file prepared for generation: its bytes (to copy unchanged), the notes as read, the melody to work
/// from, the metres to count bars in and the key.
/// </summary>
public sealed class MidiInput
{
    // Track names that say "this is the tune" in the files people have (POP909 MELODY, DAW "Lead", "Vocal").
    private static readonly string[] MelodyNames = ["melody", "lead", "vocal", "voice", "tune", "soprano"];

    private MidiInput(byte[] bytes, MidiSong song, IReadOnlyList<Note> melody, string melodySource, IReadOnlyList<TimeSignatureChange> metres, string? metreNote, KeyEstimate key)
    {
        Bytes = bytes;
        Song = song;
        Melody = melody;
        MelodySource = melodySource;
        Metres = metres;
        MetreNote = metreNote;
        KeyEstimate = key;
    }

    public byte[] Bytes { get; }

    public MidiSong Song { get; }

    /// <summary>The melody: one note at a time (the highest where several start together), sorted by onset.</summary>
    public IReadOnlyList<Note> Melody { get; }

    /// <summary>Where the melody came from, in words: "track MELODY", "all tracks".</summary>
    public string MelodySource { get; }

    /// <summary>The metre map bars are counted in: the file's, or 4/4 (see <see cref="MetreNote"/>).</summary>
    public IReadOnlyList<TimeSignatureChange> Metres { get; }

    /// <summary>Why the file's own metres were not used, or null.</summary>
    public string? MetreNote { get; }

    public KeyEstimate KeyEstimate { get; }

    /// <summary>The key of the whole file, null when its pitch classes are too evenly spread to tell.</summary>
    public Key? Key => KeyEstimate.HasKey ? KeyEstimate.Key : null;

    /// <summary>Where the music of the file ends: the end of its last note (any track).</summary>
    public double EndBeat => Song.Notes.Count == 0 ? 0 : Song.Notes.Max(n => n.EndBeat);

    /// <summary>
    /// Reads <paramref name="path"/> and picks its melody: the track <paramref name="track"/> names (a name, or a
    /// 0-based track number), else a track named like a melody, else the track with the most notes. Throws
    /// <see cref="DataLoadException"/> when the file cannot be read; returns null with a message when it has no
    /// usable melody.
    /// </summary>
    public static MidiInput? Read(string path, string? track, out string? error)
    {
        error = null;
        MidiSong song = MidiReader.Read(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataLoadException(path, LoadProblem.Io, e.Message, e);
        }

        if (song.Notes.Count == 0)
        {
            error = $"{path}: the file has no notes.";
            return null;
        }

        string? voice = ChooseTrack(song, track, out string? trackError);
        if (trackError is not null)
        {
            error = $"{path}: {trackError}";
            return null;
        }

        List<Note> chosen = [.. song.Notes.Where(n => voice is null || n.Voice == voice)];
        IReadOnlyList<Note> melody = Skyline(chosen);
        (IReadOnlyList<TimeSignatureChange> metres, string? metreNote) = BarMetres(song);
        AnalysedSong analysed = AnalysedSong.From(Path.GetFileName(path), song.Notes, [], metres);
        KeyEstimate key = SongKeyFinder.Tuned.FindKey(analysed);
        return new MidiInput(bytes, song, melody, voice is null ? "all tracks" : $"track {voice}", metres, metreNote, key);
    }

    /// <summary>Start beat of every bar from 0 until one starts at or after <paramref name="endBeat"/>, plus that one.</summary>
    public IReadOnlyList<double> BarLinesThrough(double endBeat)
    {
        var lines = new List<double>();
        double beat = 0;
        while (true)
        {
            lines.Add(beat);
            if (beat >= endBeat - 1e-9)
            {
                return lines;
            }

            beat += BarBeatsAt(beat);
        }
    }

    /// <summary>
    /// Where a continuation of <paramref name="bars"/> bars goes: from the first bar line at or after the end of
    /// the file's music to <paramref name="bars"/> bars later, in beats.
    /// </summary>
    public (double Start, double End) ContinuationWindow(int bars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bars);
        double start = BarLinesThrough(EndBeat)[^1];
        double end = start;
        for (int i = 0; i < bars; i++)
        {
            end += BarBeatsAt(end);
        }

        return (start, end);
    }

    /// <summary>The bar length in quarter-note beats at <paramref name="beat"/>.</summary>
    public double BarBeatsAt(double beat)
    {
        double bar = 4;
        foreach (TimeSignatureChange m in Metres)
        {
            if (m.Beat <= beat + 1e-9)
            {
                bar = m.BarBeats;
            }
        }

        return bar > 0 ? bar : 4;
    }

    private static string? ChooseTrack(MidiSong song, string? track, out string? error)
    {
        error = null;
        var withNotes = song.Notes.GroupBy(n => n.Voice).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(track))
        {
            string? name = song.TrackNames.FirstOrDefault(n => n == track)
                ?? song.TrackNames.FirstOrDefault(n => string.Equals(n, track, StringComparison.OrdinalIgnoreCase));
            if (name is null && int.TryParse(track, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < song.TrackNames.Count)
            {
                name = song.TrackNames[index];
            }

            if (name is null || !withNotes.ContainsKey(name))
            {
                string tracks = string.Join(", ", song.TrackNames.Select((n, i) => $"{i}: {n} ({withNotes.GetValueOrDefault(n)} notes)"));
                error = name is null ? $"no track '{track}' (tracks: {tracks})" : $"track '{name}' has no notes (tracks: {tracks})";
                return null;
            }

            return name;
        }

        if (withNotes.Count == 1)
        {
            return null;
        }

        string? named = withNotes.Keys
            .Where(n => MelodyNames.Any(m => n.Contains(m, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(n => withNotes[n])
            .FirstOrDefault();
        return named ?? withNotes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
    }

    // One note at a time, as a singer would take it from a chordal track: the highest of notes that start
    // together, and a note ends where the next begins.
    private static List<Note> Skyline(List<Note> notes)
    {
        var ordered = notes.OrderBy(n => n.StartBeat).ThenByDescending(n => n.Pitch).ToList();
        var melody = new List<Note>(ordered.Count);
        const double SameOnset = 1e-6;
        foreach (Note note in ordered)
        {
            if (melody.Count > 0 && note.StartBeat - melody[^1].StartBeat < SameOnset)
            {
                continue;
            }

            if (melody.Count > 0 && melody[^1].EndBeat > note.StartBeat)
            {
                melody[^1] = melody[^1] with { DurationBeats = note.StartBeat - melody[^1].StartBeat };
            }

            melody.Add(note);
        }

        return melody;
    }

    // A file declaring one-beat bars (1/4) throughout has no real metre: POP909 and many DAW exports write it.
    // Counting bars of one beat would make "8 bars" two of 4/4 and show the model bars it never saw.
    private static (IReadOnlyList<TimeSignatureChange> Metres, string? Note) BarMetres(MidiSong song)
    {
        if (song.Metres.Count == 0)
        {
            return ([new TimeSignatureChange(0, 4, 4)], null);
        }

        if (song.Metres.All(m => m.BarBeats <= 1))
        {
            TimeSignatureChange m = song.Metres[0];
            return ([new TimeSignatureChange(0, 4, 4)], $"the file declares {m.Numerator}/{m.Denominator} (bars of one beat): bars of 4/4 from beat 0 are used");
        }

        return (song.Metres, null);
    }
}
