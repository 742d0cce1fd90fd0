namespace CoPilot.Music;

/// <summary>
/// The chord vocabulary: the qualities of issue 5 (triads, suspended chords, sixths, sevenths, ninths),
/// simplest first. Recognition breaks exact ties in this order, so a plainer reading wins.
/// </summary>
public enum ChordQuality : byte
{
    Major,
    Minor,
    Diminished,
    Augmented,
    Sus2,
    Sus4,
    Major6,
    Minor6,
    Dominant7,
    Major7,
    Minor7,

    /// <summary>Half-diminished seventh, written m7b5 (Harte <c>hdim7</c>).</summary>
    HalfDiminished7,
    Diminished7,
    MinorMajor7,
    Dominant9,
    Major9,
    Minor9,

    /// <summary>A major triad with an added ninth and no seventh (Harte <c>maj(9)</c>).</summary>
    Add9,

    /// <summary>A dominant seventh with the fourth instead of the third (Harte <c>sus4(b7)</c>).</summary>
    Dominant7Sus4,
}

/// <summary>What a chord's third is: it decides major/minor comparisons and the case of Roman numerals.</summary>
public enum ChordThird : byte
{
    None,
    Major,
    Minor,
}

/// <summary>The tones, names and Harte shorthands of each <see cref="ChordQuality"/>.</summary>
public static class ChordQualities
{
    public const int Count = (int)ChordQuality.Dominant7Sus4 + 1;

    // Spelled tones above the root, root first: the spelling is what turns G + M3 into B and B + d7 into Ab.
    private static readonly Interval[][] ToneTable =
    [
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.PerfectFifth],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.DiminishedFifth],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.AugmentedFifth],
        [Interval.PerfectUnison, Interval.MajorSecond, Interval.PerfectFifth],
        [Interval.PerfectUnison, Interval.PerfectFourth, Interval.PerfectFifth],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth, Interval.MajorSixth],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.PerfectFifth, Interval.MajorSixth],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth, Interval.MinorSeventh],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth, Interval.MajorSeventh],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.PerfectFifth, Interval.MinorSeventh],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.DiminishedFifth, Interval.MinorSeventh],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.DiminishedFifth, Interval.DiminishedSeventh],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.PerfectFifth, Interval.MajorSeventh],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth, Interval.MinorSeventh, MajorNinth],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth, Interval.MajorSeventh, MajorNinth],
        [Interval.PerfectUnison, Interval.MinorThird, Interval.PerfectFifth, Interval.MinorSeventh, MajorNinth],
        [Interval.PerfectUnison, Interval.MajorThird, Interval.PerfectFifth, MajorNinth],
        [Interval.PerfectUnison, Interval.PerfectFourth, Interval.PerfectFifth, Interval.MinorSeventh],
    ];

    private static readonly string[] Suffixes =
    [
        "", "m", "dim", "aug", "sus2", "sus4", "6", "m6", "7", "maj7", "m7", "m7b5", "dim7", "mMaj7", "9", "maj9", "m9", "add9", "7sus4",
    ];

    private static readonly string[] HarteShorthands =
    [
        "maj", "min", "dim", "aug", "sus2", "sus4", "maj6", "min6", "7", "maj7", "min7", "hdim7", "dim7", "minmaj7", "9", "maj9", "min9", "maj(9)", "sus4(b7)",
    ];

    private static readonly PitchClassSet[] Templates = BuildTemplates();

    private static Interval MajorNinth => new(14, 9);

    private static PitchClassSet[] BuildTemplates()
    {
        var templates = new PitchClassSet[Count];
        for (int q = 0; q < Count; q++)
        {
            int mask = 0;
            foreach (Interval tone in ToneTable[q])
            {
                mask |= 1 << (tone.Semitones % PitchClass.Count);
            }

            templates[q] = new PitchClassSet(mask);
        }

        return templates;
    }

    /// <summary>The spelled tones above the root, root first (a ninth is 14 semitones, number 9).</summary>
    public static ReadOnlySpan<Interval> Tones(this ChordQuality quality) => ToneTable[(int)quality];

    /// <summary>The pitch classes relative to the root (bit n = n semitones above it; a ninth folds onto bit 2).</summary>
    public static PitchClassSet Template(this ChordQuality quality) => Templates[(int)quality];

    /// <summary>The suffix musicians write after the root: "", "m", "7", "maj7", "m7b5", "dim7", "7sus4".</summary>
    public static string Suffix(this ChordQuality quality) => Suffixes[(int)quality];

    /// <summary>The Harte (2005) shorthand: "maj", "min7", "hdim7"; add9 is "maj(9)" and 7sus4 "sus4(b7)".</summary>
    public static string HarteShorthand(this ChordQuality quality) => HarteShorthands[(int)quality];

    public static ChordThird Third(this ChordQuality quality)
    {
        PitchClassSet template = quality.Template();
        if (quality is ChordQuality.Sus2 or ChordQuality.Sus4 or ChordQuality.Dominant7Sus4)
        {
            return ChordThird.None;
        }

        return template.Contains(new PitchClass(4)) ? ChordThird.Major : ChordThird.Minor;
    }

    /// <summary>True for the qualities with a seventh (7, maj7, m7, m7b5, dim7, mMaj7, the ninths, 7sus4).</summary>
    public static bool HasSeventh(this ChordQuality quality)
    {
        int mask = quality.Template().Mask;
        return (mask & ((1 << 10) | (1 << 11))) != 0 || quality == ChordQuality.Diminished7;
    }

    /// <summary>The spelled tone <paramref name="semitones"/> above the root, if the quality has one there.</summary>
    public static bool TryGetTone(this ChordQuality quality, int semitones, out Interval tone)
    {
        foreach (Interval candidate in quality.Tones())
        {
            if (candidate.Semitones % PitchClass.Count == semitones)
            {
                tone = candidate;
                return true;
            }
        }

        tone = default;
        return false;
    }

    /// <summary>Parses a musician's suffix ("m7b5", "maj7", "-7", "ø7", "°7", "+", "M7", "min") to a quality.</summary>
    public static bool TryParseSuffix(ReadOnlySpan<char> suffix, out ChordQuality quality)
    {
        for (int q = 0; q < Count; q++)
        {
            if (suffix.SequenceEqual(Suffixes[q]))
            {
                quality = (ChordQuality)q;
                return true;
            }
        }

        quality = suffix switch
        {
            "M" or "maj" or "Maj" or "major" => ChordQuality.Major,
            "min" or "-" or "minor" => ChordQuality.Minor,
            "°" or "o" => ChordQuality.Diminished,
            "+" or "#5" => ChordQuality.Augmented,
            "sus" => ChordQuality.Sus4,
            "M6" or "maj6" or "add6" => ChordQuality.Major6,
            "min6" or "-6" => ChordQuality.Minor6,
            "dom7" => ChordQuality.Dominant7,
            "M7" or "Maj7" or "Δ" or "Δ7" or "ma7" => ChordQuality.Major7,
            "min7" or "-7" or "mi7" => ChordQuality.Minor7,
            "ø" or "ø7" or "m7(b5)" or "-7b5" or "min7b5" => ChordQuality.HalfDiminished7,
            "°7" or "o7" => ChordQuality.Diminished7,
            "mM7" or "m(maj7)" or "mmaj7" or "minmaj7" or "-Δ7" => ChordQuality.MinorMajor7,
            "M9" or "Maj9" or "Δ9" => ChordQuality.Major9,
            "min9" or "-9" => ChordQuality.Minor9,
            "(add9)" or "2" => ChordQuality.Add9,
            "7sus" or "sus7" or "7sus4" => ChordQuality.Dominant7Sus4,
            _ => (ChordQuality)255,
        };
        return (int)quality < Count;
    }
}
