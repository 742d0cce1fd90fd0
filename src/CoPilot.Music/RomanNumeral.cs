namespace CoPilot.Music;

/// <summary>
/// A chord's Roman numeral in a key: "I", "ii7", "V7", "viiø7", "bVII", "iv", "bII", and secondary
/// dominants "V7/V", "V/vi", "vii°7/V".
/// </summary>
/// <remarks>
/// <para>
/// The numeral counts the root's scale degree in the key; a root outside the scale takes the chromatic degree
/// <see cref="Key.Spell(PitchClass)"/> would give it, with an accidental relative to the key's own scale (C
/// major: Bb is bVII, Ab bVI, Eb bIII, Db bII, F# #IV). In a minor key the raised leading note's chords are
/// written without the sharp, as textbooks do: V, V7, vii°, vii°7 in A minor. Upper case for a major third
/// (or none: sus chords), lower case for a minor third; ° diminished, + augmented, ø7 half-diminished.
/// </para>
/// <para>
/// Borrowed chords need no special case: F minor in C major is "iv" because its root is degree 4 and its third
/// minor; Bb major is "bVII". A chromatic dominant (a major triad, 7, 9 or 7sus4) resolving a fifth down to a
/// diatonic major or minor triad other than the tonic is a secondary dominant (D7 in C is V7/V), and a chromatic
/// diminished, dim7 or half-diminished chord a semitone below one is a secondary leading-note chord (F#dim7
/// in C is vii°7/V). Diatonic chords are never read as secondaries (E minor in C is iii, not v/vi).
/// </para>
/// <para>
/// Inversion figures are optional (<see cref="TryFormat(Span{char}, out int, bool)"/>): 6 and 64 for triads,
/// 65, 43 and 42 for sevenths (V65, viiø43). The added-sixth chords (C6 = "I6" without figures, the jazz
/// reading) and the ninths, add9 and sus chords take no figures, to keep "6" unambiguous.
/// </para>
/// </remarks>
public readonly record struct RomanNumeral
{
    private static readonly string[] Numerals = ["I", "II", "III", "IV", "V", "VI", "VII"];
    private static readonly string[] LowerNumerals = ["i", "ii", "iii", "iv", "v", "vi", "vii"];
    private static readonly int[] MajorSteps = [0, 2, 4, 5, 7, 9, 11];

    // Degree (0-6) naming each semitone above the tonic when the note is chromatic, as Key.Spell names it.
    private static readonly byte[] ChromaticDegree = [0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6];

    private RomanNumeral(Chord chord, int degree, int accidental, int targetDegree, int targetAccidental, bool targetMinor)
    {
        Chord = chord;
        Degree = degree;
        Accidental = accidental;
        TargetDegree = targetDegree;
        TargetAccidental = targetAccidental;
        TargetIsMinor = targetMinor;
    }

    /// <summary>The chord analysed.</summary>
    public Chord Chord { get; }

    /// <summary>Scale degree of the root, 1-7 (of the secondary key for a secondary dominant: 5 in V7/V); 0 for no chord.</summary>
    public int Degree { get; }

    /// <summary>-1 for b (bVII), +1 for #, 0 for none.</summary>
    public int Accidental { get; }

    /// <summary>For a secondary chord, the degree it tonicises (5 in V7/V); 0 otherwise.</summary>
    public int TargetDegree { get; }

    public int TargetAccidental { get; }

    public bool TargetIsMinor { get; }

    public bool IsSecondary => TargetDegree != 0;

    /// <summary>The numeral of <paramref name="chord"/> in <paramref name="key"/> (see remarks).</summary>
    public static RomanNumeral Analyze(Chord chord, Key key)
    {
        if (chord.IsNone)
        {
            return default;
        }

        ChordQuality quality = chord.Quality;
        int root = chord.Root - key.TonicPitchClass;
        PitchClassSet tones = quality.Template().Transpose(chord.Root.Value);
        bool diatonic = tones.IsSubsetOf(key.PitchClasses);
        bool dominant = quality is ChordQuality.Major or ChordQuality.Dominant7 or ChordQuality.Dominant9 or ChordQuality.Dominant7Sus4;
        bool leading = quality is ChordQuality.Diminished or ChordQuality.Diminished7 or ChordQuality.HalfDiminished7;

        if (!diatonic && (dominant || leading))
        {
            int target = MusicMath.Mod(root + (dominant ? 5 : 1), PitchClass.Count); // a fifth below, a semitone above
            int targetDegree = key.Scale.DegreeOf(key.TonicPitchClass + target);
            if (target != 0 && targetDegree > 0 && TryDiatonicTriadThird(key, targetDegree, out bool targetMinor))
            {
                return new RomanNumeral(chord, dominant ? 5 : 7, 0, targetDegree + 1, 0, targetMinor);
            }
        }

        (int degree, int accidental) = DegreeOf(key, root);
        if (accidental == 1 && degree == 7 && key.Mode.HasMinorThird())
        {
            accidental = 0; // the leading note of harmonic minor: V's third, vii°'s root
        }

        return new RomanNumeral(chord, degree, accidental, 0, 0, false);
    }

    /// <summary>The numerals of a progression in a key, joined with "-": "ii7-V7-Imaj7", "I-vi-IV-V".</summary>
    public static bool TryFormatProgression(ReadOnlySpan<Chord> chords, Key key, Span<char> destination, out int charsWritten, bool figures = false)
    {
        int position = 0;
        for (int i = 0; i < chords.Length; i++)
        {
            if (i > 0)
            {
                if (position >= destination.Length)
                {
                    charsWritten = 0;
                    return false;
                }

                destination[position++] = '-';
            }

            if (!Analyze(chords[i], key).TryFormat(destination[position..], out int n, figures))
            {
                charsWritten = 0;
                return false;
            }

            position += n;
        }

        charsWritten = position;
        return true;
    }

    public static string FormatProgression(ReadOnlySpan<Chord> chords, Key key, bool figures = false)
    {
        Span<char> buffer = stackalloc char[16 * Math.Max(1, chords.Length)];
        TryFormatProgression(chords, key, buffer, out int n, figures);
        return new string(buffer[..n]);
    }

    public bool TryFormat(Span<char> destination, out int charsWritten) => TryFormat(destination, out charsWritten, figures: false);

    /// <summary>"V7/V", "bVII", "viiø7"; with <paramref name="figures"/> inversions are figured: "V65", "I6", "ii42".</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, bool figures)
    {
        var writer = new SpanWriter(destination);
        if (Degree == 0)
        {
            writer.Append("N.C.");
            return writer.Finish(out charsWritten);
        }

        ChordQuality quality = Chord.Quality;
        WriteAccidental(ref writer, Accidental);
        bool minor = quality.Third() == ChordThird.Minor;
        writer.Append((minor ? LowerNumerals : Numerals)[Degree - 1]);
        int inversion = figures ? Chord.Inversion : 0;
        bool seventh = quality is ChordQuality.Dominant7 or ChordQuality.Major7 or ChordQuality.Minor7
            or ChordQuality.HalfDiminished7 or ChordQuality.Diminished7 or ChordQuality.MinorMajor7;
        bool triad = quality is ChordQuality.Major or ChordQuality.Minor or ChordQuality.Diminished or ChordQuality.Augmented;
        string mark = quality switch
        {
            ChordQuality.Diminished or ChordQuality.Diminished7 => "°",
            ChordQuality.Augmented => "+",
            ChordQuality.HalfDiminished7 => "ø",
            ChordQuality.Major7 or ChordQuality.MinorMajor7 => "maj",
            ChordQuality.Sus2 => "sus2",
            ChordQuality.Sus4 => "sus4",
            ChordQuality.Major6 or ChordQuality.Minor6 => "6",
            ChordQuality.Dominant9 => "9",
            ChordQuality.Major9 => "maj9",
            ChordQuality.Minor9 => "9",
            ChordQuality.Add9 => "add9",
            ChordQuality.Dominant7Sus4 => "7sus4",
            _ => "",
        };
        writer.Append(mark);
        if (seventh)
        {
            writer.Append(inversion switch
            {
                1 => "65",
                2 => "43",
                3 => "42",
                _ => "7",
            });
        }
        else if (triad)
        {
            writer.Append(inversion switch
            {
                1 => "6",
                2 => "64",
                _ => "",
            });
        }

        if (IsSecondary)
        {
            writer.Append('/');
            WriteAccidental(ref writer, TargetAccidental);
            writer.Append((TargetIsMinor ? LowerNumerals : Numerals)[TargetDegree - 1]);
        }

        return writer.Finish(out charsWritten);
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[24];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }

    public string ToString(bool figures)
    {
        Span<char> buffer = stackalloc char[24];
        TryFormat(buffer, out int n, figures);
        return new string(buffer[..n]);
    }

    private static void WriteAccidental(ref SpanWriter writer, int accidental)
    {
        for (int i = 0; i < accidental; i++)
        {
            writer.Append('#');
        }

        for (int i = 0; i > accidental; i--)
        {
            writer.Append('b');
        }
    }

    /// <summary>1-based degree and accidental of a root <paramref name="semitones"/> above the tonic.</summary>
    private static (int Degree, int Accidental) DegreeOf(Key key, int semitones)
    {
        int degree = key.Scale.DegreeOf(key.TonicPitchClass + semitones);
        if (degree >= 0)
        {
            return (degree + 1, 0);
        }

        degree = ChromaticDegree[semitones];
        int scaleStep = key.Mode.DegreeSemitones(degree);
        int accidental = semitones - scaleStep;
        accidental = accidental > 6 ? accidental - 12 : accidental < -6 ? accidental + 12 : accidental;
        return (degree + 1, accidental);
    }

    /// <summary>Whether the diatonic triad on a 0-based degree is major or minor (false for diminished and augmented).</summary>
    private static bool TryDiatonicTriadThird(Key key, int degree, out bool minor)
    {
        int root = key.Mode.DegreeSemitones(degree);
        int third = MusicMath.Mod(key.Mode.DegreeSemitones(degree + 2) - root, PitchClass.Count);
        int fifth = MusicMath.Mod(key.Mode.DegreeSemitones(degree + 4) - root, PitchClass.Count);
        minor = third == 3;
        return fifth == 7;
    }
}
