using System.Diagnostics;
using System.Globalization;
using CoPilot.Music;

namespace CoPilot.Data;

/// <summary>
/// The Nottingham folk tunes (folk): MIDI/NAME.mid, format 1 at 1024 ticks per beat, two unnamed tracks: track 0
/// the melody, track 1 the block-chord accompaniment. ABC_cleaned/BOOK.abc holds the same tunes as ABC
/// (tune X: n of BOOK.abc is MIDI/BOOKn.mid); only its titles are read.
/// </summary>
/// <remarks>
/// <para>
/// Chord labels are recognised from the chord track, not parsed from the ABC chord symbols: the MIDI was rendered
/// from the ABC with repeats and alternate endings written out ("all repeats use the first chord of each
/// alternate pair", nottingham/README.md), so lining the ABC symbols up with the MIDI beats would mean
/// re-implementing that expansion. The chord track plays each symbol as a block chord held until the next one,
/// so recognising it is near exact: each onset of the track starts a span that lasts to the next onset, its
/// sounding pitches go through <see cref="ChordRecognizer"/> (no key bias), and the label is Harte with the
/// root spelled in the key of that moment ("D:7", "F#:min", "C:maj/3"). Adjacent equal labels merge, so a span
/// is a chord change, and stretches where the chord track is silent inside the tune are "N". 13 tunes have an
/// empty chord track: they load with no chords.
/// </para>
/// <para>
/// Keys come from the MIDI key signatures (FF 59, written from the ABC K: field, which is only ever major or
/// minor here) as "G:maj" / "A:min"; metres from the MIDI; there are no tempo events, so every tune is the MIDI
/// default 120 bpm.
/// </para>
/// </remarks>
public static class NottinghamLoader
{
    /// <summary>The voice of the melody notes (track 0).</summary>
    public const string MelodyVoice = "melody";

    /// <summary>The voice of the chord accompaniment notes (track 1).</summary>
    public const string ChordVoice = "chords";

    /// <summary>
    /// Loads one tune from its MIDI file (Id = file name without extension, split Train: <see cref="LoadAll"/>
    /// sets the split and the title). Throws only <see cref="DataLoadException"/>.
    /// </summary>
    public static Song LoadSong(string midiPath)
    {
        var midi = MidiReader.Read(midiPath);
        if (midi.TrackNames.Count != 2)
        {
            throw new DataLoadException(midiPath, LoadProblem.Unsupported,
                $"{midi.TrackNames.Count} tracks; a Nottingham tune has 2 (melody, chords)");
        }
        if (midi.TrackNames[0] == midi.TrackNames[1])
        {
            // Notes carry their track only through the voice name: equal names would mix melody and chords.
            throw new DataLoadException(midiPath, LoadProblem.Unsupported, $"both tracks are named '{midi.TrackNames[0]}'");
        }

        var notes = new List<Note>(midi.Notes.Count);
        var chordNotes = new List<Note>();
        foreach (var note in midi.Notes)
        {
            if (note.Voice == midi.TrackNames[0])
            {
                notes.Add(note with { Voice = MelodyVoice });
            }
            else
            {
                var chordNote = note with { Voice = ChordVoice };
                notes.Add(chordNote);
                chordNotes.Add(chordNote);
            }
        }
        if (notes.Count == chordNotes.Count)
        {
            throw new DataLoadException(midiPath, LoadProblem.NoNotes, "the melody track (track 0) has no notes");
        }

        var keys = KeySpans(midi);
        var chords = ChordSpans(chordNotes, notes[0].StartBeat, notes.Max(n => n.EndBeat), keys);
        var metres = midi.Metres
            .GroupBy(m => m.Beat)
            .Select(g => g.Last())
            .ToList();
        return new Song(Path.GetFileNameWithoutExtension(midiPath), CorpusSet.Nottingham, Split.Train, notes, chords,
            keys.Select(k => k.Label).ToList(), midi.Tempo.Changes, metres)
        {
            SourcePath = midiPath,
            Repairs = midi.Repairs,
        };
    }

    /// <summary>
    /// Loads every MIDI/*.mid under <paramref name="root"/> (the nottingham folder; the MIDI/melody and
    /// MIDI/chords subfolders are other renderings of the same tunes and are skipped). The split is by index in
    /// the ordinally sorted file names; titles come from ABC_cleaned when it is there. A tune that fails is
    /// reported in the failures; the batch goes on.
    /// </summary>
    public static LoadReport<Song> LoadAll(string root, Func<Split, bool>? splits = null)
    {
        var clock = Stopwatch.StartNew();
        var songs = new List<Song>();
        var failures = new List<LoadFailure>();
        var midiFolder = Path.Combine(root, "MIDI");
        IReadOnlyList<string> names;
        try
        {
            names = Splits.SortForSplit(Directory.GetFiles(midiFolder, "*.mid").Select(Path.GetFileName).OfType<string>());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            failures.Add(new LoadFailure(midiFolder, LoadProblem.Io, e.Message));
            return new LoadReport<Song>(songs, failures, clock.Elapsed);
        }
        Dictionary<string, string> titles;
        try
        {
            titles = ReadTitles(Path.Combine(root, "ABC_cleaned"));
        }
        catch (DataLoadException e)
        {
            // Titles are a convenience: the tunes still load without them.
            failures.Add(new LoadFailure(e.Path, e.Problem, e.Detail));
            titles = [];
        }
        for (var i = 0; i < names.Count; i++)
        {
            var split = Splits.Of(CorpusSet.Nottingham, i);
            if (splits is not null && !splits(split))
            {
                continue;
            }
            try
            {
                var song = LoadSong(Path.Combine(midiFolder, names[i]));
                songs.Add(song with { Split = split, Title = titles.GetValueOrDefault(song.Id) });
            }
            catch (DataLoadException e)
            {
                failures.Add(new LoadFailure(e.Path, e.Problem, e.Detail));
            }
        }
        return new LoadReport<Song>(songs, failures, clock.Elapsed);
    }

    /// <summary>
    /// The header fields of the tunes of every BOOK.abc in <paramref name="abcFolder"/>, by tune id "BOOKn"
    /// (n = the X: number): title (first T:) and every K: field in order, as written ("G", "Am").
    /// </summary>
    public static Dictionary<string, (string Title, IReadOnlyList<string> Keys)> ReadAbcHeaders(string abcFolder)
    {
        var headers = new Dictionary<string, (string, IReadOnlyList<string>)>(StringComparer.Ordinal);
        string[] files;
        try
        {
            files = Directory.GetFiles(abcFolder, "*.abc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DataLoadException(abcFolder, LoadProblem.Io, e.Message, e);
        }
        foreach (var file in files)
        {
            var book = Path.GetFileNameWithoutExtension(file);
            string? id = null;
            string? title = null;
            var keys = new List<string>();
            var lines = LabelText.ReadLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith("X:", StringComparison.Ordinal))
                {
                    Flush();
                    var number = line[2..].Trim();
                    if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        throw new DataLoadException(file, LoadProblem.Corrupt, $"line {i + 1}: tune number '{number}'");
                    }
                    id = book + number;
                    title = null;
                    keys = [];
                }
                else if (id is not null && title is null && line.StartsWith("T:", StringComparison.Ordinal))
                {
                    title = line[2..].Trim();
                }
                else if (id is not null && line.StartsWith("K:", StringComparison.Ordinal))
                {
                    keys.Add(line[2..].Trim());
                }
            }
            Flush();

            void Flush()
            {
                if (id is not null)
                {
                    headers[id] = (title ?? "", keys);
                }
            }
        }
        return headers;
    }

    private static Dictionary<string, string> ReadTitles(string abcFolder) =>
        Directory.Exists(abcFolder)
            ? ReadAbcHeaders(abcFolder).ToDictionary(h => h.Key, h => h.Value.Title, StringComparer.Ordinal)
            : [];

    // One span per key signature, to the next one or the end of the last note.
    private static List<(KeyLabel Label, Key Key)> KeySpans(MidiSong midi)
    {
        var end = midi.Notes.Count == 0 ? midi.EndBeat : midi.Notes.Max(n => n.EndBeat);
        var spans = new List<(KeyLabel, Key)>();
        var signatures = midi.KeySignatures;
        for (var i = 0; i < signatures.Count; i++)
        {
            var ks = signatures[i];
            var mode = ks.Minor ? Mode.Minor : Mode.Major;
            var key = new Key(NoteName.FromFifths(ks.Sharps + mode.SignatureOffset()), mode);
            var spanEnd = i + 1 < signatures.Count ? signatures[i + 1].Beat : Math.Max(end, ks.Beat);
            if (spans.Count > 0 && spans[^1].Item2 == key)
            {
                // A repeated signature (both tracks carry one) continues the span.
                spans[^1] = (spans[^1].Item1 with { EndBeat = spanEnd }, key);
                continue;
            }
            spans.Add((new KeyLabel(key.Tonic + (ks.Minor ? ":min" : ":maj"), ks.Beat, spanEnd), key));
        }
        return spans;
    }

    private static List<ChordLabel> ChordSpans(List<Note> chordNotes, double tuneStart, double tuneEnd, List<(KeyLabel Label, Key Key)> keys)
    {
        var spans = new List<ChordLabel>();
        if (chordNotes.Count == 0)
        {
            return spans;
        }
        var recognizer = new ChordRecognizer();
        var onsets = chordNotes.Select(n => n.StartBeat).Distinct().Order().ToList();
        var pitches = new List<int>();
        var recognised = new Dictionary<UInt128, Chord>();
        Span<char> buffer = stackalloc char[32];
        var cursor = tuneStart;
        // A sweep over the onsets (the notes come sorted by start): the notes sounding at an onset are those begun
        // at or before it and not yet ended.
        var sounding = new List<Note>();
        var nextNote = 0;
        for (var i = 0; i < onsets.Count; i++)
        {
            var start = onsets[i];
            var next = i + 1 < onsets.Count ? onsets[i + 1] : double.PositiveInfinity;
            while (nextNote < chordNotes.Count && chordNotes[nextNote].StartBeat <= start)
            {
                sounding.Add(chordNotes[nextNote++]);
            }
            sounding.RemoveAll(n => n.EndBeat <= start);
            pitches.Clear();
            var end = start;
            UInt128 voicing = 0;
            foreach (var n in sounding)
            {
                pitches.Add(n.Pitch);
                voicing |= UInt128.One << n.Pitch;
                end = Math.Max(end, n.EndBeat);
            }
            end = Math.Min(end, next);
            if (start > cursor)
            {
                Add("N", cursor, start);
            }
            // A tune repeats a handful of voicings: recognise each once. A doubled pitch weighs twice in the
            // recogniser's histogram, so such an onset is not looked up by its pitch set.
            var doubled = UInt128.PopCount(voicing) != (UInt128)pitches.Count;
            if (doubled || !recognised.TryGetValue(voicing, out var chord))
            {
                chord = recognizer.Recognize(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pitches)).Chord;
                if (!doubled)
                {
                    recognised[voicing] = chord;
                }
            }
            string label;
            if (chord.IsNone)
            {
                // One pitch class (a bare root or octave) names no chord.
                label = "X";
            }
            else
            {
                var key = KeyAt(keys, start);
                var written = key is Key k
                    ? chord.TryFormatHarte(buffer, out var n, k) ? n : 0
                    : chord.TryFormatHarte(buffer, out n) ? n : 0;
                label = new string(buffer[..written]);
            }
            Add(label, start, end);
            cursor = end;
        }
        if (tuneEnd > cursor && spans.Count > 0)
        {
            Add("N", cursor, tuneEnd);
        }
        return spans;

        void Add(string label, double start, double end)
        {
            if (spans.Count > 0 && spans[^1].Label == label && spans[^1].EndBeat == start)
            {
                spans[^1] = spans[^1] with { EndBeat = end };
            }
            else
            {
                spans.Add(new ChordLabel(label, start, end));
            }
        }
    }

    private static Key? KeyAt(List<(KeyLabel Label, Key Key)> keys, double beat)
    {
        Key? found = null;
        foreach (var (label, key) in keys)
        {
            if (label.StartBeat <= beat)
            {
                found = key;
            }
        }
        return found;
    }
}
