namespace CoPilot.Music;

/// <summary>
/// One of the twelve pitch classes, 0 = C … 11 = B. Arithmetic wraps modulo 12.
/// </summary>
/// <remarks>
/// A pitch class has no spelling: C# and Db are the same value. <see cref="Key.Spell(PitchClass)"/> gives
/// the name a musician would write in a key; <see cref="ToString"/> uses a key-free default (C C# D Eb E F
/// F# G Ab A Bb B: the spellings most common in pop lead sheets).
/// </remarks>
public readonly record struct PitchClass
{
    public const int Count = 12;

    private readonly byte _value;

    /// <summary>Any integer; it is reduced modulo 12 (-1 is B).</summary>
    public PitchClass(int value) => _value = (byte)MusicMath.Mod(value, Count);

    /// <summary>0 = C … 11 = B.</summary>
    public int Value => _value;

    public static PitchClass C => new(0);
    public static PitchClass CSharp => new(1);
    public static PitchClass D => new(2);
    public static PitchClass EFlat => new(3);
    public static PitchClass E => new(4);
    public static PitchClass F => new(5);
    public static PitchClass FSharp => new(6);
    public static PitchClass G => new(7);
    public static PitchClass AFlat => new(8);
    public static PitchClass A => new(9);
    public static PitchClass BFlat => new(10);
    public static PitchClass B => new(11);

    /// <summary>This pitch class moved up by <paramref name="semitones"/> (negative: down).</summary>
    public PitchClass Transpose(int semitones) => new(_value + semitones);

    /// <summary>Semitones from <paramref name="lower"/> up to this pitch class, 0-11.</summary>
    public int SemitonesAbove(PitchClass lower) => MusicMath.Mod(_value - lower._value, Count);

    public static PitchClass operator +(PitchClass pitchClass, int semitones) => pitchClass.Transpose(semitones);

    public static PitchClass operator -(PitchClass pitchClass, int semitones) => pitchClass.Transpose(-semitones);

    /// <summary>Ascending distance from <paramref name="lower"/> to <paramref name="upper"/>, 0-11.</summary>
    public static int operator -(PitchClass upper, PitchClass lower) => upper.SemitonesAbove(lower);

    /// <summary>The key-free default name (see remarks).</summary>
    public NoteName DefaultName => NoteName.Default(this);

    public bool TryFormat(Span<char> destination, out int charsWritten) => DefaultName.TryFormat(destination, out charsWritten);

    public override string ToString() => DefaultName.ToString();
}
