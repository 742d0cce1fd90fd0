namespace CoPilot.Music;

/// <summary>
/// A chord relative to a key: the semitones from the tonic to the root (0-11) and a <see cref="ChordClass"/>.
/// G7 in C major and D7 in G major are both "V7"; the 108 values are what transition statistics count, so that
/// songs in every key pool their evidence. Written as an upper-case Roman numeral with a chromatic accidental
/// and the class suffix: "I", "IVmaj7", "IIm7", "bVII", "#IVm7b5", "Vsus".
/// </summary>
public readonly record struct RelativeChord
{
    /// <summary>Number of distinct values: 12 degrees × <see cref="ChordClasses.Count"/> classes.</summary>
    public const int Count = PitchClass.Count * ChordClasses.Count;

    private static readonly string[] Numerals = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"];

    private readonly byte _index;

    public RelativeChord(int degree, ChordClass chordClass)
    {
        if ((uint)degree >= PitchClass.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(degree));
        }

        if ((uint)chordClass >= ChordClasses.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(chordClass));
        }

        _index = (byte)((degree * ChordClasses.Count) + (int)chordClass);
    }

    /// <summary>Semitones from the tonic to the root, 0-11.</summary>
    public int Degree => _index / ChordClasses.Count;

    public ChordClass Class => (ChordClass)(_index % ChordClasses.Count);

    /// <summary>Dense index 0-107: degree × 9 + class.</summary>
    public int Index => _index;

    public static RelativeChord FromIndex(int index)
    {
        if ((uint)index >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return new RelativeChord(index / ChordClasses.Count, (ChordClass)(index % ChordClasses.Count));
    }

    /// <summary>The chord relative to a tonic pitch class (the bass and the quality's detail are dropped). <see cref="Chord.None"/> has none.</summary>
    public static bool TryFrom(Chord chord, PitchClass tonic, out RelativeChord relative)
    {
        relative = default;
        if (chord.IsNone)
        {
            return false;
        }

        relative = new RelativeChord(chord.Root - tonic, ChordClasses.Of(chord.Quality));
        return true;
    }

    /// <summary>The chord in <paramref name="key"/>, with the class's representative quality in root position (V7 in C: G7).</summary>
    public Chord ToChord(Key key) => ToChord(key.TonicPitchClass);

    public Chord ToChord(PitchClass tonic) => new(tonic + Degree, Class.Representative());

    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        writer.Append(Numerals[Degree]);
        writer.Append(Class.Suffix());
        return writer.Finish(out charsWritten);
    }

    public override string ToString() => Numerals[Degree] + Class.Suffix();

    /// <summary>Parses the form written by <see cref="ToString"/>: the longest numeral that fits, then an exact class suffix.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out RelativeChord relative)
    {
        relative = default;
        int best = -1;
        int bestLength = 0;
        for (int d = 0; d < Numerals.Length; d++)
        {
            if (Numerals[d].Length > bestLength && text.StartsWith(Numerals[d], StringComparison.Ordinal))
            {
                best = d;
                bestLength = Numerals[d].Length;
            }
        }

        // "IV" must not be read as "I" + "V…", nor "VII" as "V" + "II": the longest numeral wins, and a suffix
        // never starts with I or V.
        if (best < 0 || !ChordClasses.TryParseSuffix(text[bestLength..], out ChordClass chordClass))
        {
            return false;
        }

        relative = new RelativeChord(best, chordClass);
        return true;
    }
}
