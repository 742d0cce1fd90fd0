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

    /// <summary>Stafford's variant 13 of the MurmurHash3 64-bit finaliser: every input bit flips each output bit with probability about one half.</summary>
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>
/// A read-only hash map from 64-bit keys to dense indices (open addressing, linear probing, at most half
/// full). <see cref="ulong.MaxValue"/> marks a free slot, so it cannot be a key.
/// </summary>
internal sealed class KeyIndex
{
    private const ulong Free = ulong.MaxValue;

    private readonly ulong[] _keys;
    private readonly int[] _values;
    private readonly int _shift;
    private readonly int _mask;

    /// <summary>Maps <c>keys[i]</c> to i. Keys must be distinct.</summary>
    public KeyIndex(ReadOnlySpan<ulong> keys)
    {
        int bits = Math.Max(4, 64 - (int)ulong.LeadingZeroCount((ulong)keys.Length * 2));
        int capacity = 1 << bits;
        _shift = 64 - bits;
        _mask = capacity - 1;
        _keys = new ulong[capacity];
        _values = new int[capacity];
        Array.Fill(_keys, Free);
        for (int i = 0; i < keys.Length; i++)
        {
            ulong key = keys[i];
            if (key == Free)
            {
                throw new ArgumentException("the free-slot marker cannot be a key", nameof(keys));
            }

            int slot = Slot(key);
            while (_keys[slot] != Free)
            {
                if (_keys[slot] == key)
                {
                    throw new ArgumentException("keys must be distinct", nameof(keys));
                }

                slot = (slot + 1) & _mask;
            }

            _keys[slot] = key;
            _values[slot] = i;
        }
    }

    /// <summary>The index of <paramref name="key"/>, or -1.</summary>
    public int Find(ulong key)
    {
        int slot = Slot(key);
        while (true)
        {
            ulong k = _keys[slot];
            if (k == key)
            {
                return _values[slot];
            }

            if (k == Free)
            {
                return -1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    // Fibonacci hashing: the top bits of key × 2^64/φ spread packed tokens, whose low bits vary most.
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
}
