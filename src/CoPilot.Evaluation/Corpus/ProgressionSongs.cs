using System.Globalization;
using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Evaluation.Corpus;

/// <summary>
/// A song as a sequence of different chords (root and <see cref="ChordClass"/>, as the class's
/// representative chord), each with the key it is heard in: the material of next-chord statistics and of
/// their evaluation. No-chord marks are dropped and consecutive equal chords collapsed.
/// </summary>
public sealed record ProgressionSong(string Id, CorpusSet Set, Split Split, IReadOnlyList<Chord> Chords, IReadOnlyList<Key> Keys)
{
    /// <summary>The chords relative to their own keys.</summary>
    public RelativeChord[] Relative()
    {
        var relative = new RelativeChord[Chords.Count];
        for (int i = 0; i < Chords.Count; i++)
        {
            RelativeChord.TryFrom(Chords[i], Keys[i].TonicPitchClass, out relative[i]);
        }

        return relative;
    }
}

/// <summary>Reads the three chord corpora of ../shared/data into <see cref="ProgressionSong"/>s.</summary>
public static class ProgressionSongs
{
    public static ChordStyle StyleOf(CorpusSet set) => set switch
    {
        CorpusSet.Pop909 => ChordStyle.Pop,
        CorpusSet.Billboard => ChordStyle.Rock,
        CorpusSet.JazzProgressions => ChordStyle.Jazz,
        CorpusSet.Nottingham => ChordStyle.Folk,
        _ => ChordStyle.Chorale,
    };

    /// <summary>
    /// The McGill Billboard songs (rock), deduplicated: valid and test songs whose title and artist occur in
    /// train are dropped (data README). The key is the "# tonic" in force at each chord; the salami files give
    /// no mode, so a tonic is minor when more chords on it are minor than major.
    /// </summary>
    /// <param name="deduplicate">False keeps the repeats of train songs, only to show how much they inflate figures.</param>
    public static List<ProgressionSong> Billboard(string dataDirectory, List<LoadFailure> failures, bool deduplicate = true)
    {
        string root = Path.Combine(dataDirectory, "mcgill_billboard", "billboard-2.0-salami_chords");
        LoadReport<Song> report = BillboardLoader.LoadAll(root);
        failures.AddRange(report.Failures);
        var songs = new List<ProgressionSong>();
        foreach (Song song in deduplicate ? BillboardLoader.DeduplicateAgainstTrain(report.Items) : report.Items)
        {
            var chords = new List<(Chord Chord, PitchClass Tonic)>();
            foreach (ChordLabel label in song.Chords)
            {
                if (ChordSymbols.IsNoChord(label.Label) || !Chord.TryParseHarte(label.Label, out Chord chord) || chord.IsNone)
                {
                    continue;
                }

                KeyLabel? key = song.Keys.LastOrDefault(k => k.StartBeat <= label.StartBeat + 1e-9) ?? (song.Keys.Count > 0 ? song.Keys[0] : null);
                if (key is null || !NoteName.TryParse(key.Label.Trim(), out NoteName tonic))
                {
                    continue;
                }

                chords.Add((Reduce(chord), tonic.PitchClass));
            }

            songs.Add(BuildWithTonics(song.Id, CorpusSet.Billboard, song.Split, chords));
        }

        return songs;
    }

    /// <summary>POP909 (pop): chord_midi.txt labels, keys from key_audio.txt in force at each chord's start.</summary>
    public static List<ProgressionSong> Pop909(string dataDirectory, List<LoadFailure> failures)
    {
        string root = Path.Combine(dataDirectory, "pop909", "POP909");
        var songs = new List<ProgressionSong>();
        if (!Directory.Exists(root))
        {
            failures.Add(new LoadFailure(root, LoadProblem.Io, "the POP909 folder is missing"));
            return songs;
        }

        foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string id = Path.GetFileName(folder);
            if (id.Length != 3 || !id.All(char.IsAsciiDigit))
            {
                continue;
            }

            try
            {
                var keys = new List<(double Start, Key Key)>();
                foreach ((double start, string label) in Spans(Path.Combine(folder, "key_audio.txt")))
                {
                    if (TryParseKey(label, out Key key))
                    {
                        keys.Add((start, key));
                    }
                }

                if (keys.Count == 0)
                {
                    throw new DataLoadException(folder, LoadProblem.Corrupt, "no key label");
                }

                var chords = new List<(Chord, Key)>();
                foreach ((double start, string label) in Spans(Path.Combine(folder, "chord_midi.txt")))
                {
                    if (ChordSymbols.IsNoChord(label) || !Chord.TryParseHarte(label, out Chord chord) || chord.IsNone)
                    {
                        continue;
                    }

                    Key key = keys[0].Key;
                    foreach ((double s, Key k) in keys)
                    {
                        if (s <= start + 1e-6)
                        {
                            key = k;
                        }
                    }

                    chords.Add((Reduce(chord), key));
                }

                int number = int.Parse(id, CultureInfo.InvariantCulture);
                songs.Add(Build(id, CorpusSet.Pop909, Splits.Of(CorpusSet.Pop909, number), chords));
            }
            catch (DataLoadException e)
            {
                failures.Add(new LoadFailure(e.Path, e.Problem, e.Detail));
            }
        }

        return songs;
    }

    /// <summary>
    /// The jazz progressions (jazz). Chord symbols reduce through <see cref="ChordClasses.TryParseLeadSheet"/>.
    /// The file's DBKeySig is a key signature, not a key: see <see cref="EstimateJazzTonic"/>.
    /// </summary>
    public static List<ProgressionSong> Jazz(string dataDirectory, List<LoadFailure> failures)
    {
        string root = Path.Combine(dataDirectory, "jazz_chord_progressions", "SongDB");
        LoadReport<Song> report = JazzLoader.LoadAll(root);
        failures.AddRange(report.Failures);
        var songs = new List<ProgressionSong>();
        foreach (Song song in report.Items)
        {
            var chords = new List<Chord>();
            foreach (ChordLabel label in song.Chords)
            {
                if (ChordClasses.TryParseLeadSheet(label.Label, out PitchClass chordRoot, out ChordClass chordClass))
                {
                    chords.Add(new Chord(chordRoot, chordClass.Representative()));
                }
            }

            if (chords.Count == 0)
            {
                continue;
            }

            string? signature = song.Keys.Count > 0 ? song.Keys[0].Label : null;
            Key key = EstimateJazzTonic(chords, signature);
            songs.Add(Build(song.Id, CorpusSet.JazzProgressions, song.Split, [.. chords.Select(c => (c, key))]));
        }

        return songs;
    }

    /// <summary>
    /// The key of a jazz tune from its key signature (written as the major key: "Eb") and its chords. The
    /// signature allows the major key and its relative minor; the tonic is the one whose tonic chord (major
    /// third on the major tonic, minor third on the minor tonic) the tune ends on, else the one whose tonic
    /// chord occurs more often, else major. Without a usable signature ("U"), the root that carries the most
    /// chords of either third and its mode are the key.
    /// </summary>
    public static Key EstimateJazzTonic(IReadOnlyList<Chord> chords, string? signature)
    {
        if (signature is not null && NoteName.TryParse(signature.Trim(), out NoteName major))
        {
            PitchClass majorTonic = major.PitchClass;
            PitchClass minorTonic = majorTonic + 9;
            Chord last = chords[^1];
            if (last.Root == majorTonic && Third(last) != ChordThird.Minor)
            {
                return Key.Major(major);
            }

            if (last.Root == minorTonic && Third(last) == ChordThird.Minor)
            {
                return Key.Major(major).Relative;
            }

            int majorCount = chords.Count(c => c.Root == majorTonic && Third(c) == ChordThird.Major);
            int minorCount = chords.Count(c => c.Root == minorTonic && Third(c) == ChordThird.Minor);
            return minorCount > majorCount ? Key.Major(major).Relative : Key.Major(major);
        }

        var counts = new int[24];
        foreach (Chord c in chords)
        {
            counts[c.Root.Value + (Third(c) == ChordThird.Minor ? 12 : 0)]++;
        }

        int best = Array.IndexOf(counts, counts.Max());
        return Key.FromIndex(best);
    }

    private static ChordThird Third(Chord chord) => chord.Quality.Third();

    private static Chord Reduce(Chord chord) => new(chord.Root, ChordClasses.Of(chord.Quality).Representative());

    private static ProgressionSong Build(string id, CorpusSet set, Split split, List<(Chord Chord, Key Key)> chords)
    {
        var list = new List<Chord>();
        var keys = new List<Key>();
        foreach ((Chord chord, Key key) in chords)
        {
            if (list.Count > 0 && list[^1] == chord)
            {
                continue;
            }

            list.Add(chord);
            keys.Add(key);
        }

        return new ProgressionSong(id, set, split, list, keys);
    }

    // Billboard gives tonics without modes: a tonic is minor when its minor chords outnumber its major ones.
    private static ProgressionSong BuildWithTonics(string id, CorpusSet set, Split split, List<(Chord Chord, PitchClass Tonic)> chords)
    {
        var major = new int[PitchClass.Count];
        var minor = new int[PitchClass.Count];
        foreach ((Chord chord, PitchClass tonic) in chords)
        {
            if (chord.Root == tonic)
            {
                if (chord.Quality.Third() == ChordThird.Minor)
                {
                    minor[tonic.Value]++;
                }
                else
                {
                    major[tonic.Value]++;
                }
            }
        }

        return Build(id, set, split, [.. chords.Select(c => (c.Chord, Key.FromPitchClass(c.Tonic, minor[c.Tonic.Value] > major[c.Tonic.Value] ? Mode.Minor : Mode.Major)))]);
    }

    private static bool TryParseKey(string label, out Key key)
    {
        key = default;
        int colon = label.IndexOf(':', StringComparison.Ordinal);
        string tonicText = colon < 0 ? label : label[..colon];
        string mode = colon < 0 ? "maj" : label[(colon + 1)..];
        if (!NoteName.TryParse(tonicText.Trim(), out NoteName tonic))
        {
            return false;
        }

        key = Key.FromPitchClass(tonic.PitchClass, mode.StartsWith("min", StringComparison.Ordinal) ? Mode.Minor : Mode.Major);
        return true;
    }

    private static readonly char[] Whitespace = [' ', '\t'];

    // chord_midi.txt and key_audio.txt: "start end label", tab or space separated.
    private static List<(double Start, string Label)> Spans(string path)
    {
        var spans = new List<(double, string)>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataLoadException(path, LoadProblem.Io, e.Message);
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string[] parts = lines[i].Trim().Split(Whitespace, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length != 3)
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: expected 'start end label'");
            }

            if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double start))
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"line {i + 1}: '{parts[0]}' is not a number");
            }

            spans.Add((start, parts[2].Trim()));
        }

        return spans;
    }
}
