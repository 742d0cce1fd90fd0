namespace CoPilot.Inference.Tokens;

/// <summary>
/// Puts a time on the token grid. The training data (CoPilot.Evaluation's quantiser) and the player's live notes
/// (<see cref="Generation.LivePrompt"/>) go through this one rule, so the model hears live playing on the grid it
/// was trained on.
/// </summary>
/// <remarks>
/// A time goes to the nearest grid point of its beat among the straight 16ths (0, 3, 6, 9 ticks) and the triplet
/// points (2, 4, 8, 10); triplet points pay a small penalty so that a 16th played a little early stays a 16th.
/// Allocation-free.
/// </remarks>
public static class GridSnap
{
    private const double TripletPenalty = 0.15;
    private static readonly int[] GridPoints = [0, 2, 3, 4, 6, 8, 9, 10, 12];

    /// <summary>Grid tick of a time in ticks (fractional).</summary>
    public static int Snap(double ticks)
    {
        double beatStart = Math.Floor(ticks / Vocabulary.TicksPerBeat) * Vocabulary.TicksPerBeat;
        double inBeat = ticks - beatStart;
        int best = 0;
        double bestCost = double.MaxValue;
        foreach (int point in GridPoints)
        {
            double cost = Math.Abs(inBeat - point) + (point % 3 == 0 ? 0 : TripletPenalty);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = point;
            }
        }

        return (int)beatStart + best;
    }
}
