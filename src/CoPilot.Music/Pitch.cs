namespace CoPilot.Music;

/// <summary>
/// A MIDI note number, 0-127. Octaves follow scientific pitch notation with MIDI 60 = C4 (middle C) and
/// 69 = A4 (440 Hz).
/// </summary>
public readonly record struct Pitch
{
    public const int MinNumber = 0;
    public const int MaxNumber = 127;

    private readonly byte _number;

    public Pitch(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, MinNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, MaxNumber);
        _number = (byte)number;
    }

    public static Pitch MiddleC => new(60);

    public int Number => _number;

    public PitchClass PitchClass => new(_number);

    /// <summary>Octave of the unspelled pitch: 60 is in octave 4. A spelled B#3 is also 60: see <see cref="SpelledPitch"/>.</summary>
    public int Octave => (_number / 12) - 1;

    /// <summary>Frequency in Hz in twelve-tone equal temperament with A4 = 440 Hz.</summary>
    public double Frequency => 440.0 * Math.Pow(2.0, (_number - 69) / 12.0);

    /// <summary>Moved by <paramref name="semitones"/>; throws when it leaves 0-127 (see <see cref="TryTranspose"/>).</summary>
    public Pitch Transpose(int semitones) => new(_number + semitones);

    public bool TryTranspose(int semitones, out Pitch result)
    {
        int n = _number + semitones;
        result = (uint)n <= MaxNumber ? new Pitch(n) : default;
        return (uint)n <= MaxNumber;
    }

    public static int operator -(Pitch upper, Pitch lower) => upper._number - lower._number;

    public static bool operator <(Pitch left, Pitch right) => left._number < right._number;

    public static bool operator >(Pitch left, Pitch right) => left._number > right._number;

    public static bool operator <=(Pitch left, Pitch right) => left._number <= right._number;

    public static bool operator >=(Pitch left, Pitch right) => left._number >= right._number;

    /// <summary>This pitch with the key-free default spelling ("C#4", "Eb4").</summary>
    public SpelledPitch DefaultSpelling => SpelledPitch.Of(this, PitchClass.DefaultName);

    public bool TryFormat(Span<char> destination, out int charsWritten) => DefaultSpelling.TryFormat(destination, out charsWritten);

    public override string ToString() => DefaultSpelling.ToString();

    /// <summary>Parses "C4", "F#3", "Bb-1", "B#3" (= MIDI 60).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Pitch pitch)
    {
        pitch = default;
        return SpelledPitch.TryParse(text, out SpelledPitch spelled) && spelled.TryGetPitch(out pitch);
    }
}

/// <summary>
/// A pitch with its spelling: note name and octave. The octave belongs to the letter, as musicians write it:
/// B#3 and C4 are both MIDI 60, Cb4 is MIDI 59.
/// </summary>
public readonly record struct SpelledPitch(NoteName Name, int Octave)
{
    /// <summary>Spell <paramref name="pitch"/> with <paramref name="name"/>, which must have its pitch class.</summary>
    public static SpelledPitch Of(Pitch pitch, NoteName name)
    {
        if (name.PitchClass != pitch.PitchClass)
        {
            throw new ArgumentException($"{name} is not pitch class {pitch.PitchClass}.", nameof(name));
        }

        // The letter's natural note sits `Accidental` semitones away from the sounding pitch.
        int natural = pitch.Number - name.Accidental;
        int octave = MusicMath.FloorDiv(natural - NoteName.NaturalPitchClassOf(name.Letter), 12) - 1;
        return new SpelledPitch(name, octave);
    }

    /// <summary>MIDI number, which may lie outside 0-127 for extreme spellings.</summary>
    public int MidiNumber => ((Octave + 1) * 12) + NoteName.NaturalPitchClassOf(Name.Letter) + Name.Accidental;

    public bool TryGetPitch(out Pitch pitch)
    {
        int n = MidiNumber;
        pitch = (uint)n <= Pitch.MaxNumber ? new Pitch(n) : default;
        return (uint)n <= Pitch.MaxNumber;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        Name.Write(ref writer);
        writer.Append(Octave);
        return writer.Finish(out charsWritten);
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[16];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out SpelledPitch pitch)
    {
        pitch = default;
        if (!NoteName.TryParsePrefix(text, out NoteName name, out int used)
            || !int.TryParse(text[used..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int octave))
        {
            return false;
        }

        pitch = new SpelledPitch(name, octave);
        return true;
    }
}
