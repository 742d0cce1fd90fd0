namespace CoPilot.Music;

/// <summary>
/// Four voices as MIDI pitches, soprano highest; <see cref="Absent"/> (-1) for a silent or unused voice.
/// </summary>
public readonly record struct Voicing(int Soprano, int Alto, int Tenor, int Bass)
{
    public const int Absent = -1;
    public const int VoiceCount = 4;

    public static Voicing None => new(Absent, Absent, Absent, Absent);

    /// <summary>Voice 0 soprano, 1 alto, 2 tenor, 3 bass.</summary>
    public int this[int voice] => voice switch
    {
        0 => Soprano,
        1 => Alto,
        2 => Tenor,
        3 => Bass,
        _ => throw new ArgumentOutOfRangeException(nameof(voice)),
    };

    public override string ToString()
    {
        static string Name(int p) => p < 0 ? "-" : new Pitch(p).ToString();
        return $"{Name(Soprano)} {Name(Alto)} {Name(Tenor)} {Name(Bass)}";
    }
}

/// <summary>
/// The voice-leading faults the harmoniser avoids and the evaluation counts, with one definition for both
/// (so that the harmoniser's figures and Bach's are measured the same way).
/// </summary>
public static class VoiceLeading
{
    /// <summary>0 when the interval is not perfect; 1 for unisons and octaves (compound too); 2 for fifths (compound too).</summary>
    public static int PerfectClass(int semitones)
    {
        int simple = Math.Abs(semitones) % 12;
        return simple switch
        {
            0 => 1,
            7 => 2,
            _ => 0,
        };
    }

    /// <summary>
    /// Consecutive perfect fifths, or octaves/unisons, between the same two voices moving in the same
    /// direction: C-G to D-A is parallel; C-G to D-G (one voice holds) and C-G to G-C (contrary) are not.
    /// A fifth moving to a twelfth in the same direction counts (the same interval class).
    /// </summary>
    public static bool IsParallelPerfect(int upperBefore, int lowerBefore, int upperAfter, int lowerAfter)
    {
        if (upperBefore < 0 || lowerBefore < 0 || upperAfter < 0 || lowerAfter < 0)
        {
            return false;
        }

        int du = upperAfter - upperBefore;
        int dl = lowerAfter - lowerBefore;
        if (du == 0 || dl == 0 || (du > 0) != (dl > 0))
        {
            return false;
        }

        int before = PerfectClass(upperBefore - lowerBefore);
        return before != 0 && before == PerfectClass(upperAfter - lowerAfter);
    }

    /// <summary>Parallel fifths and octaves between every pair of the four voices from one voicing to the next.</summary>
    public static int CountParallels(in Voicing before, in Voicing after) => CountParallels(before, after, out _, out _);

    /// <summary>As <see cref="CountParallels(in Voicing, in Voicing)"/>, split into fifths and octaves/unisons.</summary>
    public static int CountParallels(in Voicing before, in Voicing after, out int fifths, out int octaves)
    {
        fifths = 0;
        octaves = 0;
        for (int upper = 0; upper < Voicing.VoiceCount - 1; upper++)
        {
            for (int lower = upper + 1; lower < Voicing.VoiceCount; lower++)
            {
                if (IsParallelPerfect(before[upper], before[lower], after[upper], after[lower]))
                {
                    if (PerfectClass(after[upper] - after[lower]) == 2)
                    {
                        fifths++;
                    }
                    else
                    {
                        octaves++;
                    }
                }
            }
        }

        return fifths + octaves;
    }

    /// <summary>Pairs of adjacent sounding voices (absent voices skipped) where the lower voice is above the upper one.</summary>
    public static int CountCrossings(in Voicing voicing)
    {
        int crossings = 0;
        int above = -1;
        for (int v = 0; v < Voicing.VoiceCount; v++)
        {
            int pitch = voicing[v];
            if (pitch < 0)
            {
                continue;
            }

            if (above >= 0 && pitch > above)
            {
                crossings++;
            }

            above = pitch;
        }

        return crossings;
    }

    /// <summary>Semitones moved by alto, tenor and bass together (voices absent on either side do not count).</summary>
    public static int LowerVoicesMotion(in Voicing before, in Voicing after)
    {
        int motion = 0;
        for (int v = 1; v < Voicing.VoiceCount; v++)
        {
            if (before[v] >= 0 && after[v] >= 0)
            {
                motion += Math.Abs(after[v] - before[v]);
            }
        }

        return motion;
    }
}
