namespace CoPilot.Music;

/// <summary>
/// The mode of a key. <see cref="Major"/> and <see cref="Minor"/> come first so that the 24 keys of key
/// finding are indexed <c>mode * 12 + tonic</c>; the church modes follow.
/// </summary>
/// <remarks>
/// <see cref="Minor"/> is the natural minor (Aeolian) as far as the key signature and diatonic degrees go;
/// its raised sixth and seventh (melodic and harmonic minor) are spelled as raised degrees by
/// <see cref="Key.Spell(PitchClass)"/>: G# in A minor, B# in C# minor.
/// </remarks>
public enum Mode : byte
{
    Major = 0,
    Minor = 1,
    Dorian = 2,
    Phrygian = 3,
    Lydian = 4,
    Mixolydian = 5,
    Locrian = 6,
}

/// <summary>Facts about each mode.</summary>
public static class Modes
{
    // Which rotation of the major scale each mode is (Ionian 0, Dorian 1 … Locrian 6), in enum order.
    private static readonly byte[] Rotation = [0, 5, 1, 2, 3, 4, 6];

    // Fifths from the parent major key's tonic to this mode's tonic: a key's signature is
    // tonic.Fifths - SignatureOffset (A minor: 3 - 3 = 0; D dorian: 2 - 2 = 0; F lydian: -1 - -1 = 0).
    private static readonly sbyte[] SignatureOffsets = [0, 3, 2, 4, -1, 1, 5];

    private static readonly int[] MajorSteps = [0, 2, 4, 5, 7, 9, 11];

    /// <summary>Semitones above the tonic of each of the seven degrees (Minor: 0 2 3 5 7 8 10).</summary>
    public static int DegreeSemitones(this Mode mode, int degree)
    {
        int rotation = Rotation[(int)mode];
        int index = rotation + MusicMath.Mod(degree, 7);
        int semis = MajorSteps[index % 7] + (index >= 7 ? 12 : 0) - MajorSteps[rotation];
        return semis;
    }

    /// <summary>The mode's scale as a mask relative to its tonic (bit n = n semitones above the tonic).</summary>
    public static PitchClassSet Intervals(this Mode mode)
    {
        int mask = 0;
        for (int d = 0; d < 7; d++)
        {
            mask |= 1 << mode.DegreeSemitones(d);
        }

        return new PitchClassSet(mask);
    }

    /// <summary>Fifths from the parent major tonic to this mode's tonic (0 Major, 3 Minor, 2 Dorian …).</summary>
    public static int SignatureOffset(this Mode mode) => SignatureOffsets[(int)mode];

    /// <summary>Modes with a minor third above the tonic: Minor, Dorian, Phrygian, Locrian.</summary>
    public static bool HasMinorThird(this Mode mode) => mode.DegreeSemitones(2) == 3;

    /// <summary>Lower-case name as written after a tonic: "major", "minor", "dorian".</summary>
    public static string Name(this Mode mode) => mode switch
    {
        Mode.Major => "major",
        Mode.Minor => "minor",
        Mode.Dorian => "dorian",
        Mode.Phrygian => "phrygian",
        Mode.Lydian => "lydian",
        Mode.Mixolydian => "mixolydian",
        Mode.Locrian => "locrian",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>The suffix of short key names: "" (C), "m" (Cm), "dor", "phr", "lyd", "mix", "loc".</summary>
    public static string ShortSuffix(this Mode mode) => mode switch
    {
        Mode.Major => "",
        Mode.Minor => "m",
        Mode.Dorian => "dor",
        Mode.Phrygian => "phr",
        Mode.Lydian => "lyd",
        Mode.Mixolydian => "mix",
        Mode.Locrian => "loc",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
