namespace CoPilot.Inference;

/// <summary>
/// The grid the live style learner hears rhythm on: twelve ticks per quarter note.
/// </summary>
/// <remarks>
/// Twelve is the smallest division that holds both straight and triplet subdivisions: sixteenths (3 ticks),
/// eighths (6), eighth triplets (4) and sixteenth triplets (2). Quantising the player's timing to it makes
/// their inter-onset intervals countable symbols, so a continuation re-uses exactly the durations they played
/// and every generated onset lands on a grid they used.
/// </remarks>
internal static class RhythmGrid
{
    public const int TicksPerBeat = 12;

    /// <summary>Onsets this close (1/32 beat) count as one chord: a pianist's "simultaneous" spreads by a few ms.</summary>
    public const double ChordTolerance = 1.0 / 32.0;

    /// <summary>
    /// Longest interval or duration kept, 32 beats. Inside one phrase longer gaps do not occur (the phrase
    /// detector ends a phrase at a pause); the cap keeps tick counts small whatever the host's clock does.
    /// </summary>
    public const int MaxTicks = 32 * TicksPerBeat;

    /// <summary>Absolute position on the grid, rounded to the nearest tick.</summary>
    public static long ToTicks(double beats) => (long)Math.Round(beats * TicksPerBeat, MidpointRounding.AwayFromZero);

    /// <summary>A length on the grid: at least one tick (a note that sounds has a length), at most <see cref="MaxTicks"/>.</summary>
    public static short ToLength(long ticks) => (short)Math.Clamp(ticks, 1, MaxTicks);

    public static double ToBeats(long ticks) => ticks / (double)TicksPerBeat;
}
