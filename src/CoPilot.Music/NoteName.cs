namespace CoPilot.Music;

/// <summary>The seven note letters, in scale order from C.</summary>
public enum Letter : byte
{
    C = 0,
    D = 1,
    E = 2,
    F = 3,
    G = 4,
    A = 5,
    B = 6,
}

/// <summary>
/// A spelled pitch class: a letter and an accidental (-2 = double flat … +2 = double sharp). F# and Gb are
/// different note names of the same <see cref="PitchClass"/>.
/// </summary>
/// <remarks>
/// Written as musicians type them: "F#", "Bb", "Cb", "E#", and "F##"/"Bbb" for double accidentals (the same
/// characters Harte chord syntax uses, so chord labels can reuse this formatting).
/// </remarks>
public readonly record struct NoteName
{
    private static readonly int[] NaturalPitchClass = [0, 2, 4, 5, 7, 9, 11];

    // Position of each natural letter on the line of fifths, counted from C: F = -1, C = 0, G = 1 … B = 5.
    private static readonly int[] NaturalFifths = [0, 2, 4, -1, 1, 3, 5];

    private static readonly NoteName[] Defaults =
    [
        new(Letter.C, 0), new(Letter.C, 1), new(Letter.D, 0), new(Letter.E, -1), new(Letter.E, 0), new(Letter.F, 0),
        new(Letter.F, 1), new(Letter.G, 0), new(Letter.A, -1), new(Letter.A, 0), new(Letter.B, -1), new(Letter.B, 0),
    ];

    private readonly Letter _letter;
    private readonly sbyte _accidental;

    public NoteName(Letter letter, int accidental)
    {
        if ((uint)letter > (uint)Letter.B)
        {
            throw new ArgumentOutOfRangeException(nameof(letter));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(Math.Abs(accidental), 6, nameof(accidental));
        _letter = letter;
        _accidental = (sbyte)accidental;
    }

    public Letter Letter => _letter;

    /// <summary>Sharps (positive) or flats (negative) applied to the letter.</summary>
    public int Accidental => _accidental;

    public PitchClass PitchClass => new(NaturalPitchClass[(int)_letter] + _accidental);

    /// <summary>Position on the line of fifths (… Bb = -2, F = -1, C = 0, G = 1 … F# = 6, C# = 7 …).</summary>
    public int Fifths => NaturalFifths[(int)_letter] + (7 * _accidental);

    /// <summary>The note name at a position on the line of fifths (inverse of <see cref="Fifths"/>).</summary>
    public static NoteName FromFifths(int fifths)
    {
        // F is position -1: shift so F = 0, then each 7 steps add one sharp.
        int shifted = fifths + 1;
        int accidental = MusicMath.FloorDiv(shifted, 7);
        int index = MusicMath.Mod(shifted, 7); // 0 = F, 1 = C, 2 = G, 3 = D, 4 = A, 5 = E, 6 = B
        Letter letter = index switch
        {
            0 => Letter.F,
            1 => Letter.C,
            2 => Letter.G,
            3 => Letter.D,
            4 => Letter.A,
            5 => Letter.E,
            _ => Letter.B,
        };
        return new NoteName(letter, accidental);
    }

    /// <summary>The key-free default spelling of a pitch class: C C# D Eb E F F# G Ab A Bb B.</summary>
    public static NoteName Default(PitchClass pitchClass) => Defaults[pitchClass.Value];

    /// <summary>
    /// The name with the given letter that sounds as <paramref name="pitchClass"/>: the accidental is the
    /// nearest one (-6 … +5), e.g. (B, C) is B#, (D, C) is Dbb.
    /// </summary>
    public static NoteName WithLetter(Letter letter, PitchClass pitchClass)
    {
        int accidental = MusicMath.Mod(pitchClass.Value - NaturalPitchClass[(int)letter] + 6, 12) - 6;
        return new NoteName(letter, accidental);
    }

    internal static int NaturalPitchClassOf(Letter letter) => NaturalPitchClass[(int)letter];

    /// <summary>This name moved up by a spelled interval: C + A4 = F#, C + d5 = Gb, E + M3 = G#.</summary>
    public NoteName Transpose(Interval interval)
    {
        var letter = (Letter)MusicMath.Mod((int)_letter + interval.Number - 1, 7);
        return WithLetter(letter, PitchClass.Transpose(interval.Semitones));
    }

    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        Write(ref writer);
        return writer.Finish(out charsWritten);
    }

    internal void Write(ref SpanWriter writer)
    {
        writer.Append("CDEFGAB"[(int)_letter]);
        for (int i = 0; i < _accidental; i++)
        {
            writer.Append('#');
        }

        for (int i = 0; i > _accidental; i--)
        {
            writer.Append('b');
        }
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[8];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }

    /// <summary>Parses "C", "f#", "Bb", "Ebb", "F##", "Fx", also the Unicode ♯ and ♭.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NoteName name) => TryParsePrefix(text, out name, out int used) && used == text.Length;

    /// <summary>Parses a note name at the start of <paramref name="text"/>; <paramref name="used"/> is its length.</summary>
    public static bool TryParsePrefix(ReadOnlySpan<char> text, out NoteName name, out int used)
    {
        name = default;
        used = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        int letterIndex = "CDEFGAB".IndexOf(char.ToUpperInvariant(text[0]));
        if (letterIndex < 0)
        {
            return false;
        }

        int accidental = 0;
        int i = 1;
        for (; i < text.Length && Math.Abs(accidental) < 6; i++)
        {
            char c = text[i];
            if (c is '#' or '♯')
            {
                accidental++;
            }
            else if (c is 'x')
            {
                accidental += 2;
            }
            else if (c is 'b' or '♭')
            {
                accidental--;
            }
            else
            {
                break;
            }
        }

        name = new NoteName((Letter)letterIndex, accidental);
        used = i;
        return true;
    }
}
