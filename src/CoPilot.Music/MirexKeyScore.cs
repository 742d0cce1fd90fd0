namespace CoPilot.Music;

/// <summary>How an estimated key relates to the reference key, in the categories of the MIREX key-detection task.</summary>
public enum KeyRelation : byte
{
    Same,
    Fifth,
    Relative,
    Parallel,
    Other,
}

/// <summary>
/// The MIREX weighted key score (MIREX 2005 audio and symbolic key detection; as implemented by mir_eval's
/// <c>key.weighted_score</c>): same key 1.0, estimate a perfect fifth above the reference in the same mode
/// 0.5, relative major/minor 0.3, parallel major/minor 0.2, anything else 0.
/// </summary>
/// <remarks>
/// Keys are compared by tonic pitch class and mode, so spelling does not matter (F# major = Gb major). The
/// task defines only major and minor: church modes score 1 when identical and 0 otherwise. By default only
/// the fifth above counts, as in MIREX; <c>allowDescendingFifth</c> also credits the fifth below.
/// </remarks>
public static class MirexKeyScore
{
    public static KeyRelation Classify(Key estimated, Key reference, bool allowDescendingFifth = false)
    {
        int up = estimated.TonicPitchClass.SemitonesAbove(reference.TonicPitchClass);
        bool majorMinor = estimated.Index >= 0 && reference.Index >= 0;
        if (estimated.Mode == reference.Mode)
        {
            if (up == 0)
            {
                return KeyRelation.Same;
            }

            return majorMinor && (up == 7 || (allowDescendingFifth && up == 5)) ? KeyRelation.Fifth : KeyRelation.Other;
        }

        if (!majorMinor)
        {
            return KeyRelation.Other;
        }

        if (up == 0)
        {
            return KeyRelation.Parallel;
        }

        // Relative minor lies 9 semitones above its major; relative major 3 above its minor.
        bool relative = reference.Mode == Mode.Major ? up == 9 : up == 3;
        return relative ? KeyRelation.Relative : KeyRelation.Other;
    }

    public static double Weight(KeyRelation relation) => relation switch
    {
        KeyRelation.Same => 1.0,
        KeyRelation.Fifth => 0.5,
        KeyRelation.Relative => 0.3,
        KeyRelation.Parallel => 0.2,
        _ => 0.0,
    };

    public static double Score(Key estimated, Key reference, bool allowDescendingFifth = false) =>
        Weight(Classify(estimated, reference, allowDescendingFifth));
}

/// <summary>Accumulates MIREX key scores over a data set: mean weighted score and a count per category.</summary>
public sealed class MirexKeyEvaluator
{
    private readonly int[] _counts = new int[(int)KeyRelation.Other + 1];
    private double _sum;

    public MirexKeyEvaluator(bool allowDescendingFifth = false) => AllowDescendingFifth = allowDescendingFifth;

    public bool AllowDescendingFifth { get; }

    public int Count { get; private set; }

    /// <summary>Mean weighted score, 0 when nothing was added.</summary>
    public double WeightedScore => Count == 0 ? 0 : _sum / Count;

    /// <summary>Fraction of exact matches.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)_counts[(int)KeyRelation.Same] / Count;

    public int CountOf(KeyRelation relation) => _counts[(int)relation];

    /// <summary>Scores one piece and returns its relation.</summary>
    public KeyRelation Add(Key estimated, Key reference)
    {
        KeyRelation relation = MirexKeyScore.Classify(estimated, reference, AllowDescendingFifth);
        _counts[(int)relation]++;
        _sum += MirexKeyScore.Weight(relation);
        Count++;
        return relation;
    }

    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"MIREX {WeightedScore:F4} over {Count}: same {CountOf(KeyRelation.Same)}, fifth {CountOf(KeyRelation.Fifth)}, relative {CountOf(KeyRelation.Relative)}, parallel {CountOf(KeyRelation.Parallel)}, other {CountOf(KeyRelation.Other)}");
}
