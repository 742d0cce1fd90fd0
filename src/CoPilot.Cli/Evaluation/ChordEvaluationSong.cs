using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Evaluation;

/// <summary>A labelled chord span, in seconds as POP909's chord_midi.txt gives it.</summary>
public readonly record struct ReferenceChord(double StartSeconds, double EndSeconds, HarteLabel Label);

/// <summary>A point of the song's beat grid: where it is in the MIDI's beats and in the labels' seconds.</summary>
public readonly record struct GridBeat(double Beat, double Seconds, bool Downbeat, bool StrongBeat);

/// <summary>
/// A song ready for chord evaluation: its notes in MIDI beats, its beat grid (POP909 beat_midi.txt) in both
/// time bases, and its reference chords in seconds.
/// </summary>
/// <remarks>
/// Two time bases meet here. Notes are placed by MIDI ticks (480 per quarter note); labels and beat marks are
/// in seconds. <see cref="Pop909Loader"/> maps the marks' seconds to beats through the MIDI tempo map, so a
/// window between two marks holds exactly the notes the annotator's beat covered, while the scoring compares
/// the windows' seconds with the labels' seconds, as mir_eval does. Bars come from the marks' downbeat flags:
/// POP909's MIDI files declare 1/4 time signatures, which would make every beat a bar.
/// </remarks>
public sealed class ChordEvaluationSong
{
    /// <param name="voices">The track of each note (MELODY, BRIDGE, PIANO), parallel to <paramref name="notes"/>.</param>
    public ChordEvaluationSong(string id, TimedNote[] notes, string[] voices, IReadOnlyList<GridBeat> grid, IReadOnlyList<ReferenceChord> reference, IReadOnlyList<KeySegment> keys)
    {
        if (voices.Length != notes.Length)
        {
            throw new ArgumentException("One voice per note.", nameof(voices));
        }

        Id = id;
        Notes = notes;
        Voices = voices;
        Grid = grid;
        Reference = reference;
        Keys = keys;
    }

    public string Id { get; }

    public TimedNote[] Notes { get; }

    public string[] Voices { get; }

    /// <summary>The notes with each one's track weight as its velocity (see <see cref="ChordSegmenter"/>'s velocity weighting).</summary>
    public TimedNote[] WeightedNotes(double melody, double bridge, double piano)
    {
        var weighted = new TimedNote[Notes.Length];
        for (int i = 0; i < Notes.Length; i++)
        {
            double w = Voices[i] switch { "MELODY" => melody, "BRIDGE" => bridge, _ => piano };
            weighted[i] = Notes[i] with { Velocity = (float)w };
        }

        return weighted;
    }

    /// <summary>Beat marks in time order.</summary>
    public IReadOnlyList<GridBeat> Grid { get; }

    public IReadOnlyList<ReferenceChord> Reference { get; }

    /// <summary>Key segments from <see cref="KeySegmenter"/> (in beats), the key context of the windows.</summary>
    public IReadOnlyList<KeySegment> Keys { get; }

    /// <summary>Labels that did not parse as Harte chords (scored as X, i.e. not counted).</summary>
    public int UnparsedLabels { get; init; }

    /// <summary>The key segmenter of the evaluation: the POP909-train profile, 8-bar windows, 0.5 per key change (the key evaluation's tuned setting).</summary>
    public static KeySegmenter KeySegmenter { get; } = new(KeyProfiles.Pop909, 32, 0.5);

    /// <summary>Prepares a loaded POP909 song: the notes of <paramref name="voices"/>, its beat grid and its chord labels.</summary>
    public static ChordEvaluationSong From(Song song, IReadOnlySet<string> voices)
    {
        Note[] selected = [.. song.Notes.Where(n => n.DurationBeats > 0 && voices.Contains(n.Voice)).OrderBy(n => n.StartBeat)];
        TimedNote[] notes = [.. selected.Select(n => new TimedNote(n.StartBeat, n.DurationBeats, n.Pitch, n.Velocity / 127f))];
        var grid = new List<GridBeat>();
        foreach (BeatMark mark in song.Beats.OrderBy(b => b.Seconds))
        {
            // Marks closer than a tick would make an empty window.
            if (grid.Count == 0 || mark.Beat - grid[^1].Beat > 1.0 / 480)
            {
                grid.Add(new GridBeat(mark.Beat, mark.Seconds, mark.Downbeat, mark.StrongBeat));
            }
        }

        var reference = new List<ReferenceChord>();
        int unparsed = 0;
        foreach (ChordLabel label in song.Chords)
        {
            double start = label.StartSeconds ?? 0;
            double end = label.EndSeconds ?? 0;
            if (!HarteLabel.TryParse(label.Label, out HarteLabel harte))
            {
                harte = HarteLabel.Unknown;
                unparsed++;
            }

            reference.Add(new ReferenceChord(start, end, harte));
        }

        return new ChordEvaluationSong(song.Id, notes, [.. selected.Select(n => n.Voice)], grid, reference, KeySegmenter.Segment(notes)) { UnparsedLabels = unparsed };
    }

    /// <summary>
    /// Window boundaries on the beat grid, in beats and in seconds: every beat, every strong beat (half bar) or
    /// every downbeat (bar), closed one grid step after the last mark.
    /// </summary>
    public (double[] Beats, double[] Seconds) Windows(ChordWindows windows)
    {
        var marks = Grid.Where(g => windows switch
        {
            ChordWindows.Beat => true,
            ChordWindows.HalfBar => g.StrongBeat || g.Downbeat,
            _ => g.Downbeat,
        }).ToList();
        if (marks.Count == 0)
        {
            return ([], []);
        }

        var beats = marks.Select(m => m.Beat).ToList();
        var seconds = marks.Select(m => m.Seconds).ToList();
        double stepBeats = marks.Count > 1 ? beats[^1] - beats[^2] : 1;
        double stepSeconds = marks.Count > 1 ? seconds[^1] - seconds[^2] : 0.5;
        beats.Add(beats[^1] + stepBeats);
        seconds.Add(seconds[^1] + stepSeconds);
        return ([.. beats], [.. seconds]);
    }

    /// <summary>The key of each window: the key segment holding its middle.</summary>
    public Key[] KeysOf(ReadOnlySpan<double> boundaries)
    {
        if (Keys.Count == 0 || boundaries.Length < 2)
        {
            return [];
        }

        var keys = new Key[boundaries.Length - 1];
        int s = 0;
        for (int w = 0; w < keys.Length; w++)
        {
            double middle = (boundaries[w] + boundaries[w + 1]) / 2;
            while (s + 1 < Keys.Count && Keys[s].EndBeat <= middle)
            {
                s++;
            }

            keys[w] = Keys[s].Key;
        }

        return keys;
    }
}

/// <summary>The windows of offline chord recognition, on the data's beat grid.</summary>
public enum ChordWindows
{
    Beat,
    HalfBar,
    Bar,
}
