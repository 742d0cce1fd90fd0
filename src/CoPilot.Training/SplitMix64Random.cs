namespace CoPilot.Training;

/// <summary>
/// The trainer's own random source for window choice and transposition: one 64-bit state that a
/// checkpoint stores, so a resumed run draws exactly the batches the uninterrupted run would have.
/// </summary>
/// <remarks>SplitMix64 (Steele, Lea, Flood 2014: "Fast splittable pseudorandom number generators").</remarks>
internal sealed class SplitMix64Random(ulong state)
{
    public ulong State { get; set; } = state;

    public ulong NextUInt64()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, exclusiveMax) without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public long NextInt64(long exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong bound = (ulong)exclusiveMax;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
            if (low >= threshold)
            {
                return (long)high;
            }
        }
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
