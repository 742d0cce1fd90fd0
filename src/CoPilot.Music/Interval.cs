namespace CoPilot.Music;

/// <summary>Interval quality, from diminished to augmented.</summary>
public enum IntervalQuality : byte
{
    Diminished,
    Minor,
    Perfect,
    Major,
    Augmented,
}

/// <summary>
/// A spelled interval: its size in semitones and its generic number (1 = unison, 2 = second … 8 = octave,
/// 9 = ninth). The number is what tells an augmented fourth (6 semitones, C–F#) from a diminished fifth
/// (6 semitones, C–Gb), and a major third from a diminished fourth; equality compares both.
/// </summary>
public readonly record struct Interval
{
    private static readonly int[] MajorOrPerfectSemitones = [0, 2, 4, 5, 7, 9, 11];

    // Default spelling per semitone count when nothing else is known: the chromatic scale-degree names
    // (m2, M2, m3, M3, P4, A4, P5, m6, M6, m7, M7), the same convention as Key.Spell for chromatic notes.
    private static readonly byte[] DefaultNumber = [1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7];

    public Interval(int semitones, int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        Semitones = semitones;
        Number = number;
    }

    public int Semitones { get; }

    /// <summary>Generic size, 1-based: 1 unison, 3 third, 5 fifth, 8 octave, 10 tenth.</summary>
    public int Number { get; }

    public static Interval PerfectUnison => new(0, 1);
    public static Interval MinorSecond => new(1, 2);
    public static Interval MajorSecond => new(2, 2);
    public static Interval AugmentedSecond => new(3, 2);
    public static Interval MinorThird => new(3, 3);
    public static Interval MajorThird => new(4, 3);
    public static Interval PerfectFourth => new(5, 4);
    public static Interval AugmentedFourth => new(6, 4);
    public static Interval DiminishedFifth => new(6, 5);
    public static Interval PerfectFifth => new(7, 5);
    public static Interval AugmentedFifth => new(8, 5);
    public static Interval MinorSixth => new(8, 6);
    public static Interval MajorSixth => new(9, 6);
    public static Interval DiminishedSeventh => new(9, 7);
    public static Interval MinorSeventh => new(10, 7);
    public static Interval MajorSeventh => new(11, 7);
    public static Interval PerfectOctave => new(12, 8);

    /// <summary>The usual spelling of a semitone count (tritone = augmented fourth), octaves added as needed.</summary>
    public static Interval FromSemitones(int semitones)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(semitones);
        return new Interval(semitones, DefaultNumber[semitones % 12] + (7 * (semitones / 12)));
    }

    /// <summary>The ascending interval from <paramref name="lower"/> to the next <paramref name="upper"/> above it (within an octave).</summary>
    public static Interval Between(NoteName lower, NoteName upper)
    {
        int steps = MusicMath.Mod((int)upper.Letter - (int)lower.Letter, 7);
        int natural = MusicMath.Mod(NoteName.NaturalPitchClassOf(upper.Letter) - NoteName.NaturalPitchClassOf(lower.Letter), 12);
        return new Interval(natural + upper.Accidental - lower.Accidental, steps + 1);
    }

    /// <summary>The ascending interval between two spelled pitches (compound when over an octave).</summary>
    public static Interval Between(SpelledPitch lower, SpelledPitch upper)
    {
        int lowerStep = (lower.Octave * 7) + (int)lower.Name.Letter;
        int upperStep = (upper.Octave * 7) + (int)upper.Name.Letter;
        ArgumentOutOfRangeException.ThrowIfLessThan(upperStep, lowerStep, nameof(upper));
        return new Interval(upper.MidiNumber - lower.MidiNumber, upperStep - lowerStep + 1);
    }

    /// <summary>1-7: the number reduced to within an octave (a ninth is a second, an octave is a unison).</summary>
    public int SimpleNumber => ((Number - 1) % 7) + 1;

    public bool IsPerfectClass => SimpleNumber is 1 or 4 or 5;

    /// <summary>How far the size is from the major or perfect interval of this number (0 = major/perfect).</summary>
    private int Deviation => Semitones - MajorOrPerfectSemitones[SimpleNumber - 1] - (12 * ((Number - 1) / 7));

    /// <summary>How many times augmented or diminished (1 for A4 and d5, 2 for AA4); 0 for major, minor, perfect.</summary>
    public int Degree
    {
        get
        {
            int d = Deviation;
            if (d > 0)
            {
                return d;
            }

            return IsPerfectClass ? -d : Math.Max(0, -d - 1);
        }
    }

    public IntervalQuality Quality
    {
        get
        {
            int d = Deviation;
            if (d > 0)
            {
                return IntervalQuality.Augmented;
            }

            if (IsPerfectClass)
            {
                return d == 0 ? IntervalQuality.Perfect : IntervalQuality.Diminished;
            }

            return d switch
            {
                0 => IntervalQuality.Major,
                -1 => IntervalQuality.Minor,
                _ => IntervalQuality.Diminished,
            };
        }
    }

    /// <summary>The interval that completes this one to an octave (M3 ↔ m6, A4 ↔ d5); simple intervals only.</summary>
    public Interval Invert()
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Number, 8, nameof(Number));
        return new Interval(12 - Semitones, 9 - Number);
    }

    /// <summary>Short names: "P5", "M3", "m7", "A4", "d5", "AA4", "M9".</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        switch (Quality)
        {
            case IntervalQuality.Perfect:
                writer.Append('P');
                break;
            case IntervalQuality.Major:
                writer.Append('M');
                break;
            case IntervalQuality.Minor:
                writer.Append('m');
                break;
            default:
                char c = Quality == IntervalQuality.Augmented ? 'A' : 'd';
                for (int i = 0; i < Degree; i++)
                {
                    writer.Append(c);
                }

                break;
        }

        writer.Append(Number);
        return writer.Finish(out charsWritten);
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[24];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }
}
