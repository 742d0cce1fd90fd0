using CoPilot.Music;

namespace CoPilot.Evaluation.Metrics;

/// <summary>A note as the metrics see it: MIDI pitch, onset and duration in beats.</summary>
public readonly record struct MelodyNote(int Pitch, double Onset, double Duration)
{
    public PitchClass PitchClass => new(Pitch);
}

/// <summary>A chord sounding from <see cref="Start"/> to <see cref="End"/> (beats).</summary>
public readonly record struct ChordSpan(double Start, double End, Chord Chord);

/// <summary>Which pitch classes of a minor key count as "in the key".</summary>
public enum MinorScaleSet : byte
{
    /// <summary>Natural, harmonic and melodic minor together (nine pitch classes: the raised sixth and seventh too).</summary>
    AllMinorScales,

    /// <summary>The natural minor's seven pitch classes only.</summary>
    Natural,
}

/// <summary>How well generated notes fit the harmony they were generated over.</summary>
public static class NoteMetrics
{
    /// <summary>
    /// The pitch classes of <paramref name="key"/>'s scale. For a minor key by default those of natural,
    /// harmonic and melodic minor together: a melody in minor uses the raised sixth and seventh routinely (the
    /// leading note of V), so counting them out would call idiomatic notes wrong. Church modes use their own
    /// seven notes.
    /// </summary>
    public static PitchClassSet KeyPitchClasses(Key key, MinorScaleSet minor = MinorScaleSet.AllMinorScales)
    {
        PitchClassSet scale = key.PitchClasses;
        if (key.Mode == Mode.Minor && minor == MinorScaleSet.AllMinorScales)
        {
            int tonic = key.TonicPitchClass.Value;
            scale = scale.Union(Scale.HarmonicMinorIntervals.Transpose(tonic)).Union(Scale.MelodicMinorIntervals.Transpose(tonic));
        }

        return scale;
    }

    /// <summary>Notes whose pitch class is in the key (<see cref="KeyPitchClasses"/>), out of all notes.</summary>
    public static Proportion InKey(ReadOnlySpan<MelodyNote> notes, Key key, MinorScaleSet minor = MinorScaleSet.AllMinorScales)
    {
        PitchClassSet scale = KeyPitchClasses(key, minor);
        long hits = 0;
        foreach (MelodyNote note in notes)
        {
            hits += scale.Contains(note.PitchClass) ? 1 : 0;
        }

        return new Proportion(hits, notes.Length);
    }

    /// <summary>
    /// Notes whose pitch class belongs to the chord sounding at the note's onset (its
    /// <see cref="Chord.PitchClasses"/>, bass included), out of the notes that start under a chord: notes
    /// before the first chord, in a gap or under <see cref="Chord.None"/> are not counted either way.
    /// <paramref name="chords"/> must be sorted by start and must not overlap.
    /// </summary>
    public static Proportion InChord(ReadOnlySpan<MelodyNote> notes, ReadOnlySpan<ChordSpan> chords)
    {
        long hits = 0, count = 0;
        foreach (MelodyNote note in notes)
        {
            int c = ChordAt(chords, note.Onset);
            if (c < 0 || chords[c].Chord.IsNone)
            {
                continue;
            }

            count++;
            hits += chords[c].Chord.PitchClasses.Contains(note.PitchClass) ? 1 : 0;
        }

        return new Proportion(hits, count);
    }

    // The last chord starting at or before the time, if it is still sounding.
    private static int ChordAt(ReadOnlySpan<ChordSpan> chords, double time)
    {
        int lo = 0, hi = chords.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (chords[mid].Start <= time)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && time < chords[found].End ? found : -1;
    }
}

/// <summary>
/// Histograms of generated and reference notes and the distance between them. The distance is the total
/// variation ½·Σ|p − q|, between 0 (same shape) and 1 (disjoint): unlike KL divergence it needs no smoothing
/// of empty bins and is symmetric, so figures from different models compare directly.
/// </summary>
public static class NoteHistograms
{
    /// <summary>Inter-onset intervals are binned on a grid of 1/12 beat (sixteenths and triplets land on bins).</summary>
    public const int BinsPerBeat = 12;

    /// <summary>Intervals of this many beats or more share the last bin.</summary>
    public const int MaxIntervalBeats = 4;

    public const int IntervalBins = (BinsPerBeat * MaxIntervalBeats) + 1;

    /// <summary>Adds one count per note to its pitch class's bin (12 bins; note counts, not durations).</summary>
    public static void AddPitchClasses(ReadOnlySpan<MelodyNote> notes, Span<double> histogram)
    {
        if (histogram.Length < PitchClass.Count)
        {
            throw new ArgumentException($"need {PitchClass.Count} bins", nameof(histogram));
        }

        foreach (MelodyNote note in notes)
        {
            histogram[note.PitchClass.Value]++;
        }
    }

    /// <summary>
    /// Adds the intervals between successive distinct onsets (notes sorted by onset; simultaneous notes make
    /// one onset) to <see cref="IntervalBins"/> bins: bin = interval × 12 rounded, capped at the last bin.
    /// </summary>
    public static void AddInterOnsetIntervals(ReadOnlySpan<MelodyNote> notes, Span<double> histogram)
    {
        if (histogram.Length < IntervalBins)
        {
            throw new ArgumentException($"need {IntervalBins} bins", nameof(histogram));
        }

        for (int i = 1; i < notes.Length; i++)
        {
            if (notes[i].Onset < notes[i - 1].Onset)
            {
                throw new ArgumentException("notes must be sorted by onset", nameof(notes));
            }
        }

        double previous = double.NaN;
        foreach (MelodyNote note in notes)
        {
            if (!double.IsNaN(previous))
            {
                int bin = (int)Math.Round((note.Onset - previous) * BinsPerBeat, MidpointRounding.AwayFromZero);
                if (bin == 0)
                {
                    continue;
                }

                histogram[Math.Min(bin, IntervalBins - 1)]++;
            }

            previous = note.Onset;
        }
    }

    /// <summary>
    /// Total variation distance between the two histograms once each is normalised to sum 1. An empty histogram
    /// is at distance 1 from a non-empty one and 0 from another empty one.
    /// </summary>
    public static double TotalVariation(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("histograms differ in length", nameof(q));
        }

        double sp = Sum(p), sq = Sum(q);
        if (sp == 0 || sq == 0)
        {
            return sp == sq ? 0 : 1;
        }

        double distance = 0;
        for (int i = 0; i < p.Length; i++)
        {
            distance += Math.Abs((p[i] / sp) - (q[i] / sq));
        }

        return distance / 2;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            if (v < 0 || double.IsNaN(v))
            {
                throw new ArgumentException("histogram counts must be non-negative", nameof(values));
            }

            sum += v;
        }

        return sum;
    }
}
