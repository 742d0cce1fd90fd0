using System.Numerics;
using System.Runtime.CompilerServices;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Sampling;

/// <summary>
/// A set of token ids as 448 bits held inline (seven 64-bit words, 56 bytes): a value the grammar and the
/// sampler build, combine and copy on the stack, so masking a distribution never touches the heap.
/// </summary>
public struct TokenSet : IEquatable<TokenSet>
{
    /// <summary>64-bit words: enough for <see cref="Vocabulary.Size"/> bits.</summary>
    public const int WordCount = (Vocabulary.Size + 63) / 64;

    private Words _words;

    public static TokenSet Empty => default;

    /// <summary>Every token id of the vocabulary.</summary>
    public static TokenSet All
    {
        get
        {
            var set = default(TokenSet);
            set.AddRange(0, Vocabulary.Size);
            return set;
        }
    }

    public readonly bool IsEmpty
    {
        get
        {
            ulong any = 0;
            for (int i = 0; i < WordCount; i++)
            {
                any |= _words[i];
            }

            return any == 0;
        }
    }

    public readonly int Count
    {
        get
        {
            int count = 0;
            for (int i = 0; i < WordCount; i++)
            {
                count += BitOperations.PopCount(_words[i]);
            }

            return count;
        }
    }

    /// <summary>True when <paramref name="token"/> is in the set; false for any id outside the vocabulary.</summary>
    public readonly bool Contains(int token) => (uint)token < Vocabulary.Size && (_words[token >> 6] & (1UL << token)) != 0;

    public void Add(int token)
    {
        if ((uint)token < Vocabulary.Size)
        {
            _words[token >> 6] |= 1UL << token;
        }
    }

    public void Remove(int token)
    {
        if ((uint)token < Vocabulary.Size)
        {
            _words[token >> 6] &= ~(1UL << token);
        }
    }

    /// <summary>Adds the ids [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), clipped to the vocabulary.</summary>
    public void AddRange(int start, int count) => ApplyRange(start, count, add: true);

    public void RemoveRange(int start, int count) => ApplyRange(start, count, add: false);

    public void IntersectWith(in TokenSet other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            _words[i] &= other._words[i];
        }
    }

    public void UnionWith(in TokenSet other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            _words[i] |= other._words[i];
        }
    }

    public void ExceptWith(in TokenSet other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            _words[i] &= ~other._words[i];
        }
    }

    /// <summary>True when the two sets share a token.</summary>
    public readonly bool Overlaps(in TokenSet other)
    {
        ulong any = 0;
        for (int i = 0; i < WordCount; i++)
        {
            any |= _words[i] & other._words[i];
        }

        return any != 0;
    }

    /// <summary>The smallest member at or above <paramref name="token"/>, -1 when there is none.</summary>
    public readonly int NextAtOrAfter(int token)
    {
        if (token < 0)
        {
            token = 0;
        }

        if (token >= Vocabulary.Size)
        {
            return -1;
        }

        int word = token >> 6;
        ulong bits = _words[word] & (ulong.MaxValue << token);
        while (true)
        {
            if (bits != 0)
            {
                int found = (word << 6) + BitOperations.TrailingZeroCount(bits);
                return found < Vocabulary.Size ? found : -1;
            }

            if (++word == WordCount)
            {
                return -1;
            }

            bits = _words[word];
        }
    }

    /// <summary>Writes the members in increasing order into <paramref name="destination"/> (at least <see cref="Count"/> long); returns how many.</summary>
    public readonly int CopyTo(Span<int> destination)
    {
        int n = 0;
        for (int word = 0; word < WordCount; word++)
        {
            ulong bits = _words[word];
            while (bits != 0)
            {
                destination[n++] = (word << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }

        return n;
    }

    public readonly bool Equals(TokenSet other)
    {
        for (int i = 0; i < WordCount; i++)
        {
            if (_words[i] != other._words[i])
            {
                return false;
            }
        }

        return true;
    }

    public override readonly bool Equals(object? obj) => obj is TokenSet other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = default(HashCode);
        for (int i = 0; i < WordCount; i++)
        {
            hash.Add(_words[i]);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(TokenSet left, TokenSet right) => left.Equals(right);

    public static bool operator !=(TokenSet left, TokenSet right) => !left.Equals(right);

    private void ApplyRange(int start, int count, bool add)
    {
        int end = Math.Min(start + Math.Max(count, 0), Vocabulary.Size);
        start = Math.Max(start, 0);
        while (start < end)
        {
            int word = start >> 6;
            int bit = start & 63;
            int take = Math.Min(64 - bit, end - start);
            ulong mask = (take == 64 ? ulong.MaxValue : ((1UL << take) - 1)) << bit;
            _words[word] = add ? _words[word] | mask : _words[word] & ~mask;
            start += take;
        }
    }

    [InlineArray(WordCount)]
    private struct Words
    {
        private ulong _first;
    }
}
