namespace CoPilot.Inference.Tokens;

/// <summary>A time signature. Only the <see cref="Vocabulary.Metres"/> have tokens.</summary>
public readonly record struct Metre(int Numerator, int Denominator)
{
    public static Metre FourFour => new(4, 4);

    /// <summary>Length of one bar on the token grid (6/8 → 36 ticks); 0 when the metre is malformed.</summary>
    public int BarTicks => Denominator > 0 && Numerator > 0 && (Vocabulary.TicksPerBeat * 4 * Numerator) % Denominator == 0
        ? Vocabulary.TicksPerBeat * 4 * Numerator / Denominator
        : 0;

    /// <summary>True when the metre has a token and its bar fits the position tokens.</summary>
    public bool HasToken => Vocabulary.MetreIndex(this) >= 0;

    public override string ToString() => $"{Numerator}/{Denominator}";
}
