namespace CoPilot.Core;

/// <summary>
/// Where accompaniment chords may change: every half bar in even metres of at least three beats (4/4, 2/2, 6/8,
/// 12/8), where harmony commonly moves at the half bar; every bar in the others (2/4, 3/4, 5/4). One rule for the
/// plugin's slots (<see cref="CallAndResponse.SlotBeats"/>) and the file accompanist's half bars, so both play
/// the same grid.
/// </summary>
public static class ChordGrid
{
    /// <summary>Whether a bar of <paramref name="numerator"/> beats, <paramref name="beatsPerBar"/> quarter notes long, has a chord slot at its half.</summary>
    public static bool SplitsBar(int numerator, double beatsPerBar) => numerator % 2 == 0 && beatsPerBar >= 3;

    /// <summary>A chord slot's length in quarter notes.</summary>
    public static double SlotBeats(int numerator, double beatsPerBar) => SplitsBar(numerator, beatsPerBar) ? beatsPerBar / 2 : beatsPerBar;
}
