namespace CoPilot.Music;

/// <summary>
/// A key: a spelled tonic and a mode. The tonic's spelling decides the key signature, and the signature
/// decides how every note is spelled: F# in D major, Gb in Eb minor, Cb in Gb major, E# in C# major.
/// </summary>
/// <remarks>
/// <para>Diatonic notes take the letter of their scale degree and the accidental of the key signature.</para>
/// <para>
/// Chromatic notes (not in the mode's seven notes) are spelled as the chromatic scale degree a musician
/// would name relative to the tonic: b2, b3, #4, b6, b7 and the natural 3, 6 and 7. In a major key that is the
/// spelling of modal mixture and secondary dominants (C major: Db, Eb, F#, Ab, Bb, as in bII, bIII, V/V, bVI,
/// bVII); in a minor key it gives the raised sixth and seventh of melodic and harmonic minor and the Picardy
/// third (A minor: F#, G#, C#; C# minor: A#, B#, E#) plus the Neapolitan b2 and the #4 of V/V (Bb, D#).
/// Double accidentals appear only where the theory needs them (D# minor's leading note is C##).
/// </para>
/// <para>
/// A key built from an unspelled pitch class (<see cref="FromPitchClass"/>, key finding) takes the tonic
/// spelling with the fewest sharps or flats in its signature (Db major, not C# major; Bb minor, not A#
/// minor). For the two ties at six accidentals the major-third modes take sharps and the minor-third modes
/// flats, the commoner names: F# major, Eb minor.
/// </para>
/// <para>Equality compares the spelling: F# major and Gb major are different keys that sound the same
/// (<see cref="IsEnharmonicTo"/>).</para>
/// </remarks>
public readonly record struct Key
{
    public const int MajorMinorCount = 24;

    // Degree (0-6) naming each semitone above the tonic when the note is chromatic: b2, b3, #4, b6, b7; see remarks.
    private static readonly byte[] ChromaticDegree = [0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6];

    public Key(NoteName tonic, Mode mode)
    {
        if ((uint)mode > (uint)Mode.Locrian)
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        Tonic = tonic;
        Mode = mode;
    }

    public NoteName Tonic { get; }

    public Mode Mode { get; }

    public PitchClass TonicPitchClass => Tonic.PitchClass;

    /// <summary>Number of sharps (positive) or flats (negative) in the key signature: D major 2, Eb minor -6.</summary>
    public int Signature => Tonic.Fifths - Mode.SignatureOffset();

    public Scale Scale => Scale.Of(TonicPitchClass, Mode);

    public PitchClassSet PitchClasses => Scale.PitchClasses;

    /// <summary>Index among the 24 major and minor keys: tonic pitch class for major, 12 + tonic for minor; -1 for the church modes.</summary>
    public int Index => Mode switch
    {
        Mode.Major => TonicPitchClass.Value,
        Mode.Minor => PitchClass.Count + TonicPitchClass.Value,
        _ => -1,
    };

    /// <summary>The key with index 0-23 (see <see cref="Index"/>), conventionally spelled.</summary>
    public static Key FromIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MajorMinorCount);
        return IndexedKeys[index];
    }

    private static readonly Key[] IndexedKeys = BuildIndexedKeys();

    private static Key[] BuildIndexedKeys()
    {
        var keys = new Key[MajorMinorCount];
        for (int i = 0; i < MajorMinorCount; i++)
        {
            keys[i] = FromPitchClass(new PitchClass(i), i < PitchClass.Count ? Mode.Major : Mode.Minor);
        }

        return keys;
    }

    /// <summary>The key on a tonic pitch class, spelled with the smallest key signature (see remarks).</summary>
    public static Key FromPitchClass(PitchClass tonic, Mode mode)
    {
        Key best = default;
        int bestCost = int.MaxValue;
        for (int letter = 0; letter < 7; letter++)
        {
            NoteName name = NoteName.WithLetter((Letter)letter, tonic);
            if (Math.Abs(name.Accidental) > 1)
            {
                continue;
            }

            var key = new Key(name, mode);
            int signature = key.Signature;
            // Cost: size of the signature, then a natural tonic, then the preferred direction on a tie.
            bool preferred = mode.HasMinorThird() ? signature < 0 : signature > 0;
            int cost = (Math.Abs(signature) * 4) + (name.Accidental != 0 ? 2 : 0) + (preferred ? 0 : 1);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = key;
            }
        }

        return best;
    }

    public static Key Major(NoteName tonic) => new(tonic, Mode.Major);

    public static Key Minor(NoteName tonic) => new(tonic, Mode.Minor);

    /// <summary>The note name of a scale degree (0 = tonic … 6 = seventh; wraps), from the key signature.</summary>
    public NoteName Degree(int degree)
    {
        var letter = (Letter)MusicMath.Mod((int)Tonic.Letter + degree, 7);
        // The signature's notes are the seven fifths positions Signature-1 … Signature+5; pick the one with this letter.
        int natural = new NoteName(letter, 0).Fifths;
        int accidental = MusicMath.FloorDiv(Signature - 1 - natural + 6, 7);
        return new NoteName(letter, accidental);
    }

    /// <summary>0-based scale degree of a diatonic pitch class, or -1 when it is chromatic in this key.</summary>
    public int DegreeOf(PitchClass pitchClass) => Scale.DegreeOf(pitchClass);

    /// <summary>Whether <paramref name="pitchClass"/> is one of the key's seven notes.</summary>
    public bool Contains(PitchClass pitchClass) => Scale.Contains(pitchClass);

    /// <summary>The name of a pitch class in this key (see remarks for chromatic notes).</summary>
    public NoteName Spell(PitchClass pitchClass)
    {
        int degree = DegreeOf(pitchClass);
        if (degree < 0)
        {
            degree = ChromaticDegree[pitchClass.SemitonesAbove(TonicPitchClass)];
        }

        var letter = (Letter)MusicMath.Mod((int)Tonic.Letter + degree, 7);
        return NoteName.WithLetter(letter, pitchClass);
    }

    /// <summary>A pitch spelled in this key, with the octave of its letter (B#3 for MIDI 60 in C# minor).</summary>
    public SpelledPitch Spell(Pitch pitch) => SpelledPitch.Of(pitch, Spell(pitch.PitchClass));

    /// <summary>Major ↔ minor with the same signature (C ↔ Am, F# ↔ D#m, Gb ↔ Ebm); a church mode gives its parent major key.</summary>
    public Key Relative => Mode switch
    {
        Mode.Major => new Key(NoteName.FromFifths(Signature + Mode.Minor.SignatureOffset()), Mode.Minor),
        _ => new Key(NoteName.FromFifths(Signature), Mode.Major),
    };

    /// <summary>Same tonic, major ↔ minor (C ↔ Cm); church modes with a minor third go to major, the others to minor.</summary>
    public Key Parallel => new(Tonic, Mode.HasMinorThird() ? Mode.Major : Mode.Minor);

    /// <summary>The key a perfect fifth above, same mode (C → G, Am → Em).</summary>
    public Key Dominant => new(Tonic.Transpose(Interval.PerfectFifth), Mode);

    /// <summary>The key a perfect fifth below, same mode (C → F).</summary>
    public Key Subdominant => new(Tonic.Transpose(Interval.PerfectFourth), Mode);

    /// <summary>Same tonic pitch class and mode, whatever the spelling (F# major and Gb major).</summary>
    public bool IsEnharmonicTo(Key other) => Mode == other.Mode && TonicPitchClass == other.TonicPitchClass;

    /// <summary>"F# major", "Eb minor", "D dorian".</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        Tonic.Write(ref writer);
        writer.Append(' ');
        writer.Append(Mode.Name());
        return writer.Finish(out charsWritten);
    }

    /// <summary>"F#", "Ebm", "Ddor": the names of lead sheets and key displays.</summary>
    public bool TryFormatShort(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        Tonic.Write(ref writer);
        writer.Append(Mode.ShortSuffix());
        return writer.Finish(out charsWritten);
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[24];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }

    public string ToShortString()
    {
        Span<char> buffer = stackalloc char[16];
        TryFormatShort(buffer, out int n);
        return new string(buffer[..n]);
    }

    /// <summary>
    /// Parses "F# major", "Eb minor", "F#", "Ebm", "C:maj", "A:min" (MIREX/Harte labels), "D dorian", "Ddor".
    /// A tonic alone is major; "m" is minor and "M" major.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Key key)
    {
        key = default;
        text = text.Trim();
        if (!NoteName.TryParsePrefix(text, out NoteName tonic, out int used))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[used..].TrimStart();
        if (!rest.IsEmpty && rest[0] == ':')
        {
            rest = rest[1..];
        }

        Mode mode;
        if (rest.IsEmpty || rest.SequenceEqual("M"))
        {
            mode = Mode.Major;
        }
        else if (rest.SequenceEqual("m"))
        {
            mode = Mode.Minor;
        }
        else if (!TryParseMode(rest, out mode))
        {
            return false;
        }

        key = new Key(tonic, mode);
        return true;
    }

    private static bool TryParseMode(ReadOnlySpan<char> text, out Mode mode)
    {
        for (mode = Mode.Major; mode <= Mode.Locrian; mode++)
        {
            if (text.Equals(mode.Name(), StringComparison.OrdinalIgnoreCase)
                || (mode != Mode.Major && mode != Mode.Minor && text.Equals(mode.ShortSuffix(), StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        if (text.Equals("maj", StringComparison.OrdinalIgnoreCase) || text.Equals("ionian", StringComparison.OrdinalIgnoreCase))
        {
            mode = Mode.Major;
            return true;
        }

        if (text.Equals("min", StringComparison.OrdinalIgnoreCase) || text.Equals("aeolian", StringComparison.OrdinalIgnoreCase))
        {
            mode = Mode.Minor;
            return true;
        }

        return false;
    }
}
