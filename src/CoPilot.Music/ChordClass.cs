namespace CoPilot.Music;

/// <summary>
/// The coarse chord classes of next-chord suggestion. Transition statistics over the 19 qualities of
/// <see cref="ChordQuality"/> would be too sparse (a 7#9 and a 13 are the same dominant to a progression), so
/// every quality and every lead-sheet spelling reduces to one of these nine.
/// </summary>
public enum ChordClass : byte
{
    /// <summary>Major triad, also 6, 6/9, add9 and power chords.</summary>
    Major,

    /// <summary>Minor triad, also m6, m(add9) and minor-major seventh.</summary>
    Minor,

    /// <summary>Diminished triad and diminished seventh.</summary>
    Diminished,

    Augmented,

    /// <summary>Dominant seventh with any extension or alteration (9, 13, 7b9, 7#5, 7alt).</summary>
    Dominant7,

    /// <summary>Major seventh, maj9, maj13, maj7#11.</summary>
    Major7,

    /// <summary>Minor seventh, m9, m11, m13.</summary>
    Minor7,

    /// <summary>Half-diminished seventh (m7b5, ø).</summary>
    HalfDiminished7,

    /// <summary>Suspended chords: sus2, sus4 and 7sus4 (the third is missing, the function is open).</summary>
    Suspended,
}

/// <summary>Reductions to <see cref="ChordClass"/>, names and the chord that stands for each class.</summary>
public static class ChordClasses
{
    public const int Count = (int)ChordClass.Suspended + 1;

    private static readonly string[] Suffixes = ["", "m", "dim", "aug", "7", "maj7", "m7", "m7b5", "sus"];

    private static readonly ChordQuality[] Representatives =
    [
        ChordQuality.Major, ChordQuality.Minor, ChordQuality.Diminished, ChordQuality.Augmented, ChordQuality.Dominant7,
        ChordQuality.Major7, ChordQuality.Minor7, ChordQuality.HalfDiminished7, ChordQuality.Sus4,
    ];

    /// <summary>The class of a quality (see the members of <see cref="ChordClass"/> for what goes where).</summary>
    public static ChordClass Of(ChordQuality quality) => quality switch
    {
        ChordQuality.Major or ChordQuality.Major6 or ChordQuality.Add9 => ChordClass.Major,
        ChordQuality.Minor or ChordQuality.Minor6 or ChordQuality.MinorMajor7 => ChordClass.Minor,
        ChordQuality.Diminished or ChordQuality.Diminished7 => ChordClass.Diminished,
        ChordQuality.Augmented => ChordClass.Augmented,
        ChordQuality.Dominant7 or ChordQuality.Dominant9 => ChordClass.Dominant7,
        ChordQuality.Major7 or ChordQuality.Major9 => ChordClass.Major7,
        ChordQuality.Minor7 or ChordQuality.Minor9 => ChordClass.Minor7,
        ChordQuality.HalfDiminished7 => ChordClass.HalfDiminished7,
        ChordQuality.Sus2 or ChordQuality.Sus4 or ChordQuality.Dominant7Sus4 => ChordClass.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(quality)),
    };

    /// <summary>The quality a suggestion of this class is voiced and named with: C, Cm, Cdim, Caug, C7, Cmaj7, Cm7, Cm7b5, Csus4.</summary>
    public static ChordQuality Representative(this ChordClass chordClass) => Representatives[(int)chordClass];

    /// <summary>The short suffix of the class in data files: "", "m", "dim", "aug", "7", "maj7", "m7", "m7b5", "sus".</summary>
    public static string Suffix(this ChordClass chordClass) => Suffixes[(int)chordClass];

    /// <summary>Parses the exact suffix written by <see cref="Suffix"/>.</summary>
    public static bool TryParseSuffix(ReadOnlySpan<char> suffix, out ChordClass chordClass)
    {
        for (int c = 0; c < Count; c++)
        {
            if (suffix.SequenceEqual(Suffixes[c]))
            {
                chordClass = (ChordClass)c;
                return true;
            }
        }

        chordClass = default;
        return false;
    }

    /// <summary>
    /// Reduces a lead-sheet chord symbol of any common spelling to root and class: "Bb13", "F#m7b5", "Eo7",
    /// "AbM7#11", "C7alt", "Dm69", "G7sus4b9", "C-7", "Cø", "F/A" (the bass is ignored). The jazz corpus writes
    /// over 1,500 spellings (data README); the rules read the suffix from the left: half-diminished, then
    /// diminished, minor (minor-major sevenths are minor), major-seventh, augmented, suspended, then any
    /// 7/9/11/13 makes a dominant and anything else a major triad (6, 69, add9, 5). False for "NC" and junk.
    /// </summary>
    public static bool TryParseLeadSheet(ReadOnlySpan<char> text, out PitchClass root, out ChordClass chordClass)
    {
        root = default;
        chordClass = default;
        text = text.Trim();
        if (!NoteName.TryParsePrefix(text, out NoteName name, out int used))
        {
            return false;
        }

        root = name.PitchClass;
        ReadOnlySpan<char> s = text[used..];
        int slash = s.IndexOf('/');
        if (slash >= 0)
        {
            s = s[..slash];
        }

        bool hasSeventh = s.IndexOfAny("79") >= 0 || s.Contains("11", StringComparison.Ordinal) || s.Contains("13", StringComparison.Ordinal);
        if (s.StartsWith("m7b5") || s.StartsWith("m7-5") || s.StartsWith("m9b5") || s.StartsWith("m11b5") || s.StartsWith("h") || s.StartsWith("ø") || s.StartsWith("-7b5"))
        {
            chordClass = ChordClass.HalfDiminished7;
        }
        else if (s.StartsWith("o") || s.StartsWith("dim") || s.StartsWith("°"))
        {
            chordClass = ChordClass.Diminished;
        }
        else if (s.StartsWith("mM") || s.StartsWith("mMaj") || s.StartsWith("m(maj") || s.StartsWith("mmaj") || s.StartsWith("-Δ"))
        {
            chordClass = ChordClass.Minor;
        }
        else if ((s.StartsWith("m") && !s.StartsWith("maj")) || s.StartsWith("-"))
        {
            ReadOnlySpan<char> rest = s[1..];
            if (rest.StartsWith("in"))
            {
                rest = rest[2..];
            }
            else if (rest.StartsWith("i"))
            {
                rest = rest[1..];
            }

            chordClass = !rest.StartsWith("6") && hasSeventh ? ChordClass.Minor7 : ChordClass.Minor;
        }
        else if (s.StartsWith("M") || s.StartsWith("maj") || s.StartsWith("Maj") || s.StartsWith("Δ") || s.StartsWith("ma"))
        {
            ReadOnlySpan<char> rest = s.TrimStart("MajΔ");
            chordClass = !rest.StartsWith("6") && hasSeventh ? ChordClass.Major7 : ChordClass.Major;
        }
        else if (s.StartsWith("+") || s.StartsWith("aug") || s.StartsWith("#5"))
        {
            chordClass = s.Contains('7') ? ChordClass.Dominant7 : ChordClass.Augmented;
        }
        else if (s.Contains("sus", StringComparison.Ordinal))
        {
            chordClass = ChordClass.Suspended;
        }
        else if (s.Length > 0 && s[0] == '6')
        {
            chordClass = ChordClass.Major;
        }
        else if (hasSeventh)
        {
            chordClass = ChordClass.Dominant7;
        }
        else if (s.IsEmpty || s[0] is '5' or '2' or '(' or 'a' or '4')
        {
            chordClass = s.StartsWith("4") ? ChordClass.Suspended : ChordClass.Major;
        }
        else
        {
            return false;
        }

        return true;
    }
}
