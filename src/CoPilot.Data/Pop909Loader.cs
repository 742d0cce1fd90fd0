using System.Diagnostics;
using System.Globalization;

namespace CoPilot.Data;

/// <summary>
/// POP909 (pop): POP909/NNN/NNN.mid with tracks MELODY, BRIDGE, PIANO at 480 ticks per beat, and per song
/// chord_midi.txt, key_audio.txt and beat_midi.txt, timed in seconds. Labels are given in seconds and in
/// beats through the MIDI tempo map. The labels were extracted by algorithm: see the data README.
/// </summary>
public static class Pop909Loader
{
    /// <summary>Loads the song folder <paramref name="songDirectory"/> (…/POP909/NNN). Throws only <see cref="DataLoadException"/>.</summary>
    public static Song LoadSong(string songDirectory)
    {
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(songDirectory));
        if (id.Length != 3 || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new DataLoadException(songDirectory, LoadProblem.Unsupported, "not a POP909 song folder (NNN)");
        }
        var midi = MidiReader.Read(Path.Combine(songDirectory, id + ".mid"));
        var tempo = midi.Tempo;

        var chords = new List<ChordLabel>();
        foreach (var (start, end, label) in ReadSpans(Path.Combine(songDirectory, "chord_midi.txt")))
        {
            chords.Add(new ChordLabel(label, tempo.SecondsToBeats(start), tempo.SecondsToBeats(end), start, end));
        }
        var keys = new List<KeyLabel>();
        foreach (var (start, end, label) in ReadSpans(Path.Combine(songDirectory, "key_audio.txt")))
        {
            keys.Add(new KeyLabel(label, tempo.SecondsToBeats(start), tempo.SecondsToBeats(end), start, end));
        }
        var beats = ReadBeats(Path.Combine(songDirectory, "beat_midi.txt"), tempo);

        return new Song(id, CorpusSet.Pop909, Splits.Of(CorpusSet.Pop909, number), midi.Notes, chords, keys, tempo.Changes, midi.Metres)
        {
            SourcePath = songDirectory,
            Beats = beats,
            Repairs = midi.Repairs,
        };
    }

    /// <summary>
    /// Loads every NNN folder under <paramref name="root"/> (the POP909 folder: index.xlsx and anything that is
    /// not a song folder are skipped). A song that fails is reported in the failures; the batch goes on.
    /// </summary>
    public static LoadReport<Song> LoadAll(string root, Func<Split, bool>? splits = null)
    {
        var clock = Stopwatch.StartNew();
        var songs = new List<Song>();
        var failures = new List<LoadFailure>();
        IEnumerable<string> folders;
        try
        {
            folders = Directory.GetDirectories(root)
                .Where(d => Path.GetFileName(d) is { Length: 3 } n && n.All(char.IsAsciiDigit))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            failures.Add(new LoadFailure(root, LoadProblem.Io, e.Message));
            return new LoadReport<Song>(songs, failures, clock.Elapsed);
        }
        foreach (var folder in folders)
        {
            var number = int.Parse(Path.GetFileName(folder), CultureInfo.InvariantCulture);
            if (splits is not null && !splits(Splits.Of(CorpusSet.Pop909, number)))
            {
                continue;
            }
            try
            {
                songs.Add(LoadSong(folder));
            }
            catch (DataLoadException e)
            {
                failures.Add(new LoadFailure(e.Path, e.Problem, e.Detail));
            }
        }
        return new LoadReport<Song>(songs, failures, clock.Elapsed);
    }

    // chord_midi.txt (tab separated) and key_audio.txt (tab or space): start s, end s, label.
    private static List<(double Start, double End, string Label)> ReadSpans(string path)
    {
        var spans = new List<(double, double, string)>();
        var lines = LabelText.ReadLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split(LabelText.Whitespace, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: expected 'start end label', got '{line}'");
            }
            var start = LabelText.Number(parts[0], path, i + 1);
            var end = LabelText.Number(parts[1], path, i + 1);
            spans.Add((start, end, parts[2].Trim()));
        }
        return spans;
    }

    // beat_midi.txt: time s, strong-beat flag (every 2nd beat), downbeat flag (first beat of a bar).
    private static List<BeatMark> ReadBeats(string path, TempoMap tempo)
    {
        var beats = new List<BeatMark>();
        var lines = LabelText.ReadLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(LabelText.Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            if (parts.Length != 3)
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: expected 3 columns, got {parts.Length}");
            }
            var seconds = LabelText.Number(parts[0], path, i + 1);
            var strong = LabelText.Number(parts[1], path, i + 1) != 0;
            var down = LabelText.Number(parts[2], path, i + 1) != 0;
            beats.Add(new BeatMark(seconds, tempo.SecondsToBeats(seconds), down, strong));
        }
        return beats;
    }
}
