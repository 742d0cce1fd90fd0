namespace CoPilot.Inference.Tokens;

/// <summary>
/// The note lengths that have a token, in ticks of 1/12 beat. Every length up to two beats is exact (a dotted
/// eighth, a triplet quarter, a 16th tied to a triplet: all occur in the corpus), then the grid coarsens as
/// notes get longer, where a tick more or less is not heard: multiples of 2 or 3 up to 4 beats, of half a
/// beat up to 8, of a beat up to 16, of two beats up to 32. Longer notes are cut to 32 beats.
/// </summary>
public static class DurationBuckets
{
    public const int MaxTicks = 384;

    private static readonly int[] Values = Build();

    // Index of each exact length 0..MaxTicks, -1 where no bucket.
    private static readonly short[] IndexByTicks = BuildIndex();

    public static int Count => Values.Length;

    /// <summary>The bucket lengths in ticks, ascending.</summary>
    public static ReadOnlySpan<int> Ticks => Values;

    /// <summary>The bucket index of an exact length, -1 when <paramref name="ticks"/> is not a bucket.</summary>
    public static int IndexOf(int ticks) => (uint)ticks <= MaxTicks ? IndexByTicks[ticks] : -1;

    /// <summary>The bucket nearest to <paramref name="ticks"/> (the shorter one on a tie): what quantising snaps to.</summary>
    public static int Nearest(int ticks)
    {
        if (ticks <= 1)
        {
            return 1;
        }

        if (ticks >= MaxTicks)
        {
            return MaxTicks;
        }

        for (int d = 0; ; d++)
        {
            if (IndexByTicks[ticks - d] >= 0)
            {
                return ticks - d;
            }

            if (IndexByTicks[ticks + d] >= 0)
            {
                return ticks + d;
            }
        }
    }

    private static int[] Build()
    {
        var values = new List<int>();
        for (int t = 1; t <= MaxTicks; t++)
        {
            bool keep = t switch
            {
                <= 24 => true,
                <= 48 => t % 2 == 0 || t % 3 == 0,
                <= 96 => t % 6 == 0,
                <= 192 => t % 12 == 0,
                _ => t % 24 == 0,
            };
            if (keep)
            {
                values.Add(t);
            }
        }

        return [.. values];
    }

    private static short[] BuildIndex()
    {
        var index = new short[MaxTicks + 1];
        Array.Fill(index, (short)-1);
        for (int i = 0; i < Values.Length; i++)
        {
            index[Values[i]] = (short)i;
        }

        return index;
    }
}

/// <summary>Eight loudness steps: enough for accents and dynamics, few enough that a model learns them.</summary>
public static class VelocityBuckets
{
    public const int Count = 8;

    /// <summary>The bucket of a MIDI velocity 1–127 (0 and below count as the softest).</summary>
    public static int Of(int midiVelocity) => Math.Clamp(midiVelocity, 0, 127) * Count / 128;

    /// <summary>The MIDI velocity a bucket plays back at: the middle of its range.</summary>
    public static int Representative(int bucket) => (Math.Clamp(bucket, 0, Count - 1) * 128 / Count) + (128 / Count / 2);
}
