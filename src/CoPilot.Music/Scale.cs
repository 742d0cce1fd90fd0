namespace CoPilot.Music;

/// <summary>
/// A scale: a root and the pitch-class set it contains (a 12-bit mask). Degrees are counted from the root
/// upwards, 0-based (degree 0 is the root). Any set works: seven-note modes, harmonic and melodic minor,
/// pentatonics, blues.
/// </summary>
public readonly record struct Scale
{
    public Scale(PitchClass root, PitchClassSet intervals)
    {
        if (!intervals.Contains(new PitchClass(0)))
        {
            throw new ArgumentException("A scale contains its root (bit 0).", nameof(intervals));
        }

        Root = root;
        Intervals = intervals;
    }

    public PitchClass Root { get; }

    /// <summary>The scale relative to its root (bit n = n semitones above the root).</summary>
    public PitchClassSet Intervals { get; }

    /// <summary>The absolute pitch classes (bit n = pitch class n).</summary>
    public PitchClassSet PitchClasses => Intervals.Transpose(Root.Value);

    public int Count => Intervals.Count;

    // Relative masks, bit n = n semitones above the root.
    public static PitchClassSet HarmonicMinorIntervals => new(0b1001_1010_1101);
    public static PitchClassSet MelodicMinorIntervals => new(0b1010_1010_1101);
    public static PitchClassSet MajorPentatonicIntervals => new(0b0010_1001_0101);
    public static PitchClassSet MinorPentatonicIntervals => new(0b0100_1010_1001);
    public static PitchClassSet BluesIntervals => new(0b0100_1110_1001);

    public static Scale Of(PitchClass root, Mode mode) => new(root, mode.Intervals());

    public static Scale Major(PitchClass root) => Of(root, Mode.Major);

    public static Scale NaturalMinor(PitchClass root) => Of(root, Mode.Minor);

    public static Scale HarmonicMinor(PitchClass root) => new(root, HarmonicMinorIntervals);

    public static Scale MelodicMinor(PitchClass root) => new(root, MelodicMinorIntervals);

    public static Scale MajorPentatonic(PitchClass root) => new(root, MajorPentatonicIntervals);

    public static Scale MinorPentatonic(PitchClass root) => new(root, MinorPentatonicIntervals);

    public bool Contains(PitchClass pitchClass) => Intervals.Contains(new PitchClass(pitchClass.Value - Root.Value));

    /// <summary>The pitch class of a degree; wraps, so degree 7 of a seven-note scale is the root again.</summary>
    public PitchClass Degree(int degree)
    {
        int count = Count;
        int target = MusicMath.Mod(degree, count);
        int mask = Intervals.Mask;
        for (int semis = 0; semis < PitchClass.Count; semis++)
        {
            if ((mask & (1 << semis)) != 0 && target-- == 0)
            {
                return Root.Transpose(semis);
            }
        }

        return Root;
    }

    /// <summary>0-based degree of <paramref name="pitchClass"/>, or -1 when it is not in the scale.</summary>
    public int DegreeOf(PitchClass pitchClass)
    {
        int semis = pitchClass.SemitonesAbove(Root);
        int mask = Intervals.Mask;
        if ((mask & (1 << semis)) == 0)
        {
            return -1;
        }

        return System.Numerics.BitOperations.PopCount((uint)(mask & ((1 << semis) - 1)));
    }

    /// <summary>
    /// The nearest pitch in the scale to <paramref name="pitch"/>, searching downwards first on a tie (so a
    /// chromatic note resolves the way a leading note does not: useful for snapping and harmonising).
    /// </summary>
    public Pitch Snap(Pitch pitch)
    {
        for (int d = 0; d < PitchClass.Count; d++)
        {
            if (pitch.TryTranspose(-d, out Pitch down) && Contains(down.PitchClass))
            {
                return down;
            }

            if (pitch.TryTranspose(d, out Pitch up) && Contains(up.PitchClass))
            {
                return up;
            }
        }

        return pitch;
    }
}
