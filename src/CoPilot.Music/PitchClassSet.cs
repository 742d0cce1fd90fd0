using System.Numerics;

namespace CoPilot.Music;

/// <summary>
/// A set of pitch classes as a 12-bit mask (bit n = pitch class n). Scales, chords and sounding notes all
/// reduce to this, so set operations are single integer instructions and never allocate.
/// </summary>
public readonly record struct PitchClassSet
{
    public const int AllMask = 0xFFF;

    private readonly ushort _mask;

    /// <summary>Bits above 11 are ignored.</summary>
    public PitchClassSet(int mask) => _mask = (ushort)(mask & AllMask);

    public int Mask => _mask;

    public static PitchClassSet Empty => default;

    public static PitchClassSet Chromatic => new(AllMask);

    public static PitchClassSet Of(params ReadOnlySpan<PitchClass> pitchClasses)
    {
        int mask = 0;
        foreach (PitchClass pc in pitchClasses)
        {
            mask |= 1 << pc.Value;
        }

        return new PitchClassSet(mask);
    }

    public int Count => BitOperations.PopCount(_mask);

    public bool IsEmpty => _mask == 0;

    public bool Contains(PitchClass pitchClass) => (_mask & (1 << pitchClass.Value)) != 0;

    public PitchClassSet With(PitchClass pitchClass) => new(_mask | (1 << pitchClass.Value));

    public PitchClassSet Without(PitchClass pitchClass) => new(_mask & ~(1 << pitchClass.Value));

    public PitchClassSet Union(PitchClassSet other) => new(_mask | other._mask);

    public PitchClassSet Intersect(PitchClassSet other) => new(_mask & other._mask);

    public bool IsSubsetOf(PitchClassSet other) => (_mask & ~other._mask) == 0;

    /// <summary>Every member moved up by <paramref name="semitones"/> (a rotation of the mask).</summary>
    public PitchClassSet Transpose(int semitones)
    {
        int s = MusicMath.Mod(semitones, PitchClass.Count);
        return new PitchClassSet((_mask << s) | (_mask >> (PitchClass.Count - s)));
    }

    /// <summary>Members in ascending order from C; a struct enumerator, so <c>foreach</c> does not allocate.</summary>
    public Enumerator GetEnumerator() => new(_mask);

    public struct Enumerator
    {
        private int _remaining;

        internal Enumerator(int mask)
        {
            _remaining = mask;
            Current = default;
        }

        public PitchClass Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }

            int bit = BitOperations.TrailingZeroCount(_remaining);
            _remaining &= _remaining - 1;
            Current = new PitchClass(bit);
            return true;
        }
    }

    public override string ToString()
    {
        var text = new System.Text.StringBuilder("{");
        foreach (PitchClass pc in this)
        {
            if (text.Length > 1)
            {
                text.Append(' ');
            }

            text.Append(pc.ToString());
        }

        return text.Append('}').ToString();
    }
}
