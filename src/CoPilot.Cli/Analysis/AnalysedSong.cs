using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Analysis;

/// <summary>
/// A song's notes prepared for key finding: in time order, with the facts the note weightings look at (is it
/// the lowest sounding note, does it start on a downbeat), computed once so that many weightings can be tried.
/// </summary>
public sealed class AnalysedSong
{
    // A note starts "on" a beat mark when it is this close to it (a 32nd note at 480 PPQ is 60 ticks).
    private const double OnBeatTolerance = 0.125;

    private AnalysedSong(string name, AnalysedNote[] notes, double[] downbeats, IReadOnlyList<TimeSignatureChange> metres)
    {
        Name = name;
        Notes = notes;
        Downbeats = downbeats;
        Metres = metres;
        EndBeat = notes.Length == 0 ? 0 : notes.Max(n => n.EndBeat);
    }

    public string Name { get; }

    /// <summary>Notes sorted by onset, then pitch.</summary>
    public IReadOnlyList<AnalysedNote> Notes { get; }

    /// <summary>Downbeats in beats, ascending: from the beat annotation, else from the MIDI metre map.</summary>
    public IReadOnlyList<double> Downbeats { get; }

    public IReadOnlyList<TimeSignatureChange> Metres { get; }

    public double EndBeat { get; }

    /// <summary>
    /// Prepares the notes of <paramref name="voices"/> (all voices when null). Downbeats come from
    /// <paramref name="beats"/> when it has any (POP909's beat_midi.txt), else from the metre map (4/4 when
    /// the file has none).
    /// </summary>
    public static AnalysedSong From(string name, IEnumerable<Note> notes, IReadOnlyList<BeatMark> beats, IReadOnlyList<TimeSignatureChange> metres, IReadOnlySet<string>? voices = null)
    {
        var selected = notes
            .Where(n => n.DurationBeats > 0 && (voices is null || voices.Contains(n.Voice)))
            .OrderBy(n => n.StartBeat).ThenBy(n => n.Pitch)
            .ToList();
        double end = selected.Count == 0 ? 0 : selected.Max(n => n.EndBeat);
        double[] downbeats = beats.Any(b => b.Downbeat)
            ? [.. beats.Where(b => b.Downbeat).Select(b => b.Beat).Order()]
            : DownbeatsFromMetres(metres, end);

        // The bass: a note is the lowest sounding note when nothing lower sounds at its onset. A sweep over
        // onsets with the notes still sounding; POP909 has at most a dozen notes at once, so this is cheap.
        var result = new AnalysedNote[selected.Count];
        var sounding = new List<Note>();
        for (int i = 0; i < selected.Count; i++)
        {
            Note n = selected[i];
            sounding.RemoveAll(s => s.EndBeat <= n.StartBeat + 1e-9);
            bool lowest = true;
            foreach (Note s in sounding)
            {
                if (s.Pitch < n.Pitch)
                {
                    lowest = false;
                    break;
                }
            }

            // Notes of the same onset are sorted by pitch, so the first of a chord is its lowest.
            sounding.Add(n);
            result[i] = new AnalysedNote(n.StartBeat, n.DurationBeats, n.Pitch, n.Velocity / 127f, lowest, IsOn(downbeats, n.StartBeat));
        }

        return new AnalysedSong(name, result, downbeats, metres);
    }

    /// <summary>The notes as <see cref="TimedNote"/>s for CoPilot.Music.</summary>
    public TimedNote[] ToTimedNotes() => [.. Notes.Select(n => new TimedNote(n.StartBeat, n.DurationBeats, n.Pitch, n.Velocity))];

    /// <summary>
    /// The beat that ends <paramref name="bars"/> bars counted from the bar in which the first note sounds
    /// (a pickup belongs to the bar before the first downbeat). Past the annotated downbeats it continues with
    /// the bar length of the metre map.
    /// </summary>
    public double BeatAfterBars(int bars)
    {
        if (Notes.Count == 0)
        {
            return 0;
        }

        double first = Notes[0].StartBeat;
        int i = LastAtOrBefore(Downbeats, first + OnBeatTolerance);
        double start;
        if (i < 0)
        {
            // The first note comes before the first downbeat: a pickup. Count from the bar it leads into,
            // less one bar, so the pickup bar is the first.
            start = Downbeats.Count > 0 ? Downbeats[0] - BarBeatsAt(first) : first;
            i = -1;
        }
        else
        {
            start = Downbeats[i];
        }

        int target = i + bars;
        if (target >= 0 && target < Downbeats.Count)
        {
            return Downbeats[target];
        }

        // Not enough downbeats: continue from the last known one with the metre's bar length.
        double beat = Downbeats.Count > 0 && i + 1 < Downbeats.Count ? Downbeats[^1] : start;
        int counted = Downbeats.Count > 0 && i + 1 < Downbeats.Count ? Downbeats.Count - 1 - i : 0;
        for (; counted < bars; counted++)
        {
            beat += BarBeatsAt(beat);
        }

        return beat;
    }

    private double BarBeatsAt(double beat)
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

    private static double[] DownbeatsFromMetres(IReadOnlyList<TimeSignatureChange> metres, double end)
    {
        var downbeats = new List<double>();
        var sorted = metres.OrderBy(m => m.Beat).ToList();
        double beat = 0;
        while (beat < end)
        {
            downbeats.Add(beat);
            double bar = 4;
            foreach (TimeSignatureChange m in sorted)
            {
                if (m.Beat <= beat + 1e-9)
                {
                    bar = m.BarBeats;
                }
            }

            beat += bar > 0 ? bar : 4;
        }

        return [.. downbeats];
    }

    private static bool IsOn(double[] marks, double beat)
    {
        int i = Array.BinarySearch(marks, beat);
        if (i >= 0)
        {
            return true;
        }

        i = ~i;
        return (i < marks.Length && marks[i] - beat <= OnBeatTolerance) || (i > 0 && beat - marks[i - 1] <= OnBeatTolerance);
    }

    private static int LastAtOrBefore(IReadOnlyList<double> sorted, double x)
    {
        int found = -1;
        for (int i = 0; i < sorted.Count && sorted[i] <= x; i++)
        {
            found = i;
        }

        return found;
    }
}

/// <summary>A note of an <see cref="AnalysedSong"/>.</summary>
/// <param name="IsBass">Nothing lower was sounding at its onset.</param>
/// <param name="OnDownbeat">It starts on (within a 32nd of) the first beat of a bar.</param>
public readonly record struct AnalysedNote(double StartBeat, double DurationBeats, int Pitch, float Velocity, bool IsBass, bool OnDownbeat)
{
    public double EndBeat => StartBeat + DurationBeats;
}
