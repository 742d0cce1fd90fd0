namespace CoPilot.Music;

/// <summary>
/// A note with its time span, for offline analysis: whatever a MIDI or data-set loader produces.
/// </summary>
/// <param name="StartBeat">Onset in beats (quarter notes) from the start of the piece.</param>
/// <param name="DurationBeats">Length in beats; zero or negative lengths count for nothing.</param>
/// <param name="Pitch">MIDI pitch 0-127.</param>
/// <param name="Velocity">0-1; key finding ignores it offline.</param>
public readonly record struct TimedNote(double StartBeat, double DurationBeats, int Pitch, float Velocity = 1f)
{
    public double EndBeat => StartBeat + DurationBeats;

    public PitchClass PitchClass => new(Pitch);
}

/// <summary>Duration-weighted pitch-class histograms (12 bins, C first), the input of key finding.</summary>
public static class PitchClassHistogram
{
    /// <summary>Adds every note's duration to the bin of its pitch class.</summary>
    public static void Accumulate(ReadOnlySpan<TimedNote> notes, Span<double> histogram)
    {
        CheckLength(histogram);
        foreach (TimedNote note in notes)
        {
            if (note.DurationBeats > 0)
            {
                histogram[note.PitchClass.Value] += note.DurationBeats;
            }
        }
    }

    /// <summary>Adds the part of each note that lies inside [<paramref name="startBeat"/>, <paramref name="endBeat"/>).</summary>
    public static void Accumulate(ReadOnlySpan<TimedNote> notes, double startBeat, double endBeat, Span<double> histogram)
    {
        CheckLength(histogram);
        foreach (TimedNote note in notes)
        {
            double overlap = Math.Min(note.EndBeat, endBeat) - Math.Max(note.StartBeat, startBeat);
            if (overlap > 0)
            {
                histogram[note.PitchClass.Value] += overlap;
            }
        }
    }

    /// <summary>Adds (pitch, duration) pairs, for loaders that have no start times.</summary>
    public static void Accumulate(ReadOnlySpan<(int Pitch, double Duration)> notes, Span<double> histogram)
    {
        CheckLength(histogram);
        foreach ((int pitch, double duration) in notes)
        {
            if (duration > 0)
            {
                histogram[MusicMath.Mod(pitch, PitchClass.Count)] += duration;
            }
        }
    }

    private static void CheckLength(Span<double> histogram)
    {
        if (histogram.Length != PitchClass.Count)
        {
            throw new ArgumentException("A pitch-class histogram has 12 bins.", nameof(histogram));
        }
    }
}
