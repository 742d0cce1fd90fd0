namespace CoPilot.Data;

/// <summary>
/// Converts between quarter-note beats and seconds through a piecewise-constant tempo. MIDI ticks to beats is
/// just ticks / PPQ; seconds need the tempo map (POP909's chord and key labels are in seconds).
/// </summary>
public sealed class TempoMap
{
    /// <summary>The MIDI default when a file sets no tempo.</summary>
    public const double DefaultBeatsPerMinute = 120.0;

    private readonly double[] _beat;
    private readonly double[] _seconds;
    private readonly double[] _secondsPerBeat;

    /// <summary>Tempo changes in any order; the last of several at the same beat wins. Empty → 120 bpm.</summary>
    public TempoMap(IEnumerable<TempoChange> changes)
    {
        var sorted = new List<TempoChange>();
        foreach (var c in changes.OrderBy(c => c.Beat))
        {
            if (!(c.BeatsPerMinute > 0) || double.IsInfinity(c.BeatsPerMinute) || double.IsNaN(c.Beat))
            {
                continue;
            }
            if (sorted.Count > 0 && sorted[^1].Beat == c.Beat)
            {
                sorted[^1] = c;
            }
            else
            {
                sorted.Add(c);
            }
        }
        if (sorted.Count == 0 || sorted[0].Beat > 0)
        {
            sorted.Insert(0, new TempoChange(0, DefaultBeatsPerMinute));
        }
        Changes = sorted;
        _beat = new double[sorted.Count];
        _seconds = new double[sorted.Count];
        _secondsPerBeat = new double[sorted.Count];
        for (var i = 0; i < sorted.Count; i++)
        {
            _beat[i] = sorted[i].Beat;
            _secondsPerBeat[i] = 60.0 / sorted[i].BeatsPerMinute;
            _seconds[i] = i == 0 ? sorted[0].Beat * _secondsPerBeat[0] : _seconds[i - 1] + ((_beat[i] - _beat[i - 1]) * _secondsPerBeat[i - 1]);
        }
    }

    public static TempoMap Constant(double beatsPerMinute) => new([new TempoChange(0, beatsPerMinute)]);

    /// <summary>The tempo changes, sorted, starting at beat 0.</summary>
    public IReadOnlyList<TempoChange> Changes { get; }

    public double BeatsToSeconds(double beat)
    {
        var i = Segment(_beat, beat);
        return _seconds[i] + ((beat - _beat[i]) * _secondsPerBeat[i]);
    }

    /// <summary>Seconds before 0 extrapolate with the first tempo.</summary>
    public double SecondsToBeats(double seconds)
    {
        var i = Segment(_seconds, seconds);
        return _beat[i] + ((seconds - _seconds[i]) / _secondsPerBeat[i]);
    }

    public double TicksToSeconds(long ticks, int ticksPerBeat) => BeatsToSeconds((double)ticks / ticksPerBeat);

    public double BeatsPerMinuteAt(double beat) => 60.0 / _secondsPerBeat[Segment(_beat, beat)];

    // The last segment starting at or before x (the first one for x before the start).
    private static int Segment(double[] starts, double x)
    {
        var i = Array.BinarySearch(starts, x);
        if (i < 0)
        {
            i = ~i - 1;
        }
        return Math.Clamp(i, 0, starts.Length - 1);
    }
}
