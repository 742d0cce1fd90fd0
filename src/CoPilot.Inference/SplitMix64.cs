namespace CoPilot.Inference;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast pseudo-random generator held in a struct.
/// </summary>
/// <remarks>
/// System.Random is a class and allocates; generators must not allocate after construction, and answers must
/// be reproducible from <see cref="GenerationRequest.Seed"/> alone, so each answer carries its own state on the stack.
/// </remarks>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 24 bits (a float's mantissa).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, <paramref name="count"/>) by multiply-shift (Lemire), which avoids the modulo's division.</summary>
    public int NextInt(int count) => (int)(((NextULong() >> 32) * (ulong)count) >> 32);
}
