namespace CoPilot.Core;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast pseudo-random generator held in a struct, and its
/// finaliser as a bit mixer. The one generator of the project: live answers, samplers, evaluation probes and
/// hashes all draw from it, so a seed means the same thing everywhere.
/// </summary>
/// <remarks>
/// System.Random is a class and allocates; generators must not allocate after construction, and answers must
/// be reproducible from their seed alone, so each answer carries its own state on the stack.
/// </remarks>
public struct SplitMix64(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong _state = seed;

    /// <summary>SplitMix64's finaliser: a bijective mix of all 64 bits (also a good hash step).</summary>
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>The <paramref name="n"/>-th output of a generator seeded with <paramref name="seed"/> (n from 1), without stepping through the others.</summary>
    public static ulong At(ulong seed, ulong n) => Mix(seed + (n * Golden));

    public ulong NextULong() => Mix(_state += Golden);

    /// <summary>Uniform in [0, 1), from the top 24 bits (a float's mantissa).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1), from the top 53 bits (a double's mantissa).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="count"/>) by multiply-shift (Lemire), which avoids the modulo's division.</summary>
    public int NextInt(int count) => (int)(((NextULong() >> 32) * (ulong)count) >> 32);
}
