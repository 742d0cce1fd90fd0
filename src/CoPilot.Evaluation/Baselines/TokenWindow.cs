namespace CoPilot.Evaluation.Baselines;

/// <summary>
/// The last tokens of a sequence packed into one <see cref="ulong"/>, 10 bits each, the newest in the low bits:
/// six tokens fill 60 bits, so an n-gram up to order 6 is its own exact hash key (no collisions).
/// </summary>
/// <remarks>
/// The begin-of-sequence marker is 1023, all ten bits set, so a window that starts all-ones is already padded:
/// shifting tokens in from the right leaves markers wherever the sequence had not begun yet.
/// </remarks>
internal static class TokenWindow
{
    public const int Bits = 10;

    public const int MaxTokens = 6;

    /// <summary>The largest vocabulary the packing holds: one id stays free for the begin-of-sequence marker.</summary>
    public const int MaxVocabulary = (1 << Bits) - 1;

    public const ulong Start = (1UL << (Bits * MaxTokens)) - 1;

    public static ulong Mask(int tokens) => tokens >= MaxTokens ? Start : (1UL << (Bits * tokens)) - 1;

    public static ulong Push(ulong window, int token) => ((window << Bits) | (uint)token) & Start;

    /// <summary>The last (up to six) tokens of <paramref name="context"/>, padded with markers.</summary>
    public static ulong Of(ReadOnlySpan<int> context)
    {
        ulong window = Start;
        int start = Math.Max(0, context.Length - MaxTokens);
        for (int i = start; i < context.Length; i++)
        {
            window = Push(window, context[i]);
        }

        return window;
    }
}

/// <summary>
/// A read-only hash map from 64-bit keys to dense indices (open addressing, linear probing, at most half
/// full). <see cref="ulong.MaxValue"/> marks a free slot, so it cannot be a key. Key and index share a slot,
/// so a lookup in a table far larger than the cache costs one memory access, not two.
/// </summary>
internal sealed class KeyIndex
{
    private const ulong Free = ulong.MaxValue;

    private readonly Slot[] _slots;
    private readonly int _shift;
    private readonly int _mask;

    /// <summary>Maps <c>keys[i]</c> to i. Keys must be distinct.</summary>
    public KeyIndex(ReadOnlySpan<ulong> keys)
    {
        int bits = Math.Max(4, 64 - (int)ulong.LeadingZeroCount((ulong)keys.Length * 2));
        int capacity = 1 << bits;
        _shift = 64 - bits;
        _mask = capacity - 1;
        _slots = new Slot[capacity];
        Array.Fill(_slots, new Slot(Free, -1));
        for (int i = 0; i < keys.Length; i++)
        {
            ulong key = keys[i];
            if (key == Free)
            {
                throw new ArgumentException("the free-slot marker cannot be a key", nameof(keys));
            }

            int slot = Hash(key);
            while (_slots[slot].Key != Free)
            {
                if (_slots[slot].Key == key)
                {
                    throw new ArgumentException("keys must be distinct", nameof(keys));
                }

                slot = (slot + 1) & _mask;
            }

            _slots[slot] = new Slot(key, i);
        }
    }

    /// <summary>The index of <paramref name="key"/>, or -1.</summary>
    public int Find(ulong key)
    {
        int slot = Hash(key);
        while (true)
        {
            ref readonly Slot s = ref _slots[slot];
            if (s.Key == key)
            {
                return s.Value;
            }

            if (s.Key == Free)
            {
                return -1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    // Fibonacci hashing: the top bits of key × 2^64/φ spread packed tokens, whose low bits vary most.
    private int Hash(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    private readonly record struct Slot(ulong Key, int Value);
}

/// <summary>LSD radix sort of 64-bit keys, 16 bits a pass; a pass whose digit is the same in every key is skipped.</summary>
internal static class RadixSort
{
    /// <summary>Sorts <c>keys[0..length)</c> ascending, using <paramref name="buffer"/> (at least as long) as scratch.</summary>
    public static void Sort(ulong[] keys, ulong[] buffer, int length)
    {
        if (length < 4096)
        {
            Array.Sort(keys, 0, length);
            return;
        }

        int[] counts = new int[1 << 16];
        ulong[] from = keys, to = buffer;
        for (int shift = 0; shift < 64; shift += 16)
        {
            Array.Clear(counts);
            for (int i = 0; i < length; i++)
            {
                counts[(int)((from[i] >> shift) & 0xFFFF)]++;
            }

            if (counts[(int)((from[0] >> shift) & 0xFFFF)] == length)
            {
                continue;
            }

            int sum = 0;
            for (int d = 0; d < counts.Length; d++)
            {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }

            for (int i = 0; i < length; i++)
            {
                ulong key = from[i];
                to[counts[(int)((key >> shift) & 0xFFFF)]++] = key;
            }

            (from, to) = (to, from);
        }

        if (!ReferenceEquals(from, keys))
        {
            Array.Copy(from, keys, length);
        }
    }
}
