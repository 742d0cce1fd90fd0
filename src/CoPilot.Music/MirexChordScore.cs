namespace CoPilot.Music;

/// <summary>The outcome of comparing an estimated chord with a reference label under one MIREX rule.</summary>
public enum ChordMatch : byte
{
    /// <summary>The reference is outside the rule's vocabulary (or "X"): the span does not count.</summary>
    Excluded,
    Wrong,
    Correct,
}

/// <summary>
/// The per-segment chord comparisons of the MIREX audio chord estimation task, as mir_eval's <c>chord</c>
/// module implements them (Harte 2010; Pauwels and Peeters, ICASSP 2013). The caller weights each
/// comparison by the duration over which the estimate and the reference hold (see
/// <see cref="MirexChordEvaluator"/>).
/// </summary>
/// <remarks>
/// Both chords are reduced to mir_eval's encoding: root pitch class (none for N) and a 12-bit relative
/// bitmap of the intervals below the octave plus the bass (<see cref="HarteLabel.Bitmap"/>). So the ninth of
/// C9 drops out and C9 compares as C7, and a bass outside the chord joins the bitmap (C:maj/b7 is C:7).
/// </remarks>
public static class MirexChordScore
{
    private const int TriadBits = 0xFF; // semitones 0-7: root, seconds, thirds, fourth, fifths

    private static readonly int[] SeventhsVocabulary = [0x91, 0x89, 0x891, 0x491, 0x489]; // maj, min, maj7, 7, min7

    /// <summary>Same root; N matches N. Only X is excluded.</summary>
    public static ChordMatch Root(Chord estimated, HarteLabel reference)
    {
        if (reference.IsUnknown)
        {
            return ChordMatch.Excluded;
        }

        return RootOf(estimated) == RootOf(reference) ? ChordMatch.Correct : ChordMatch.Wrong;
    }

    /// <summary>
    /// Same root and the same intervals up to the fifth (semitones 0-7), counted only where the reference's
    /// are a major or a minor triad (C:7, C:maj7/3 and C:maj6 are major; C:sus4, C:dim, C:5, C:maj/9 are excluded)
    /// or N. Inversions are ignored: an estimated G/B matches G:maj.
    /// </summary>
    public static ChordMatch MajMin(Chord estimated, HarteLabel reference)
    {
        if (reference.IsUnknown)
        {
            return ChordMatch.Excluded;
        }

        int referenceTriad = reference.Bitmap & TriadBits;
        if (reference.IsChord && referenceTriad != 0x91 && referenceTriad != 0x89)
        {
            return ChordMatch.Excluded;
        }

        HarteLabel estimate = HarteLabel.FromChord(estimated);
        return RootOf(estimated) == RootOf(reference) && (estimate.Bitmap & TriadBits) == referenceTriad ? ChordMatch.Correct : ChordMatch.Wrong;
    }

    /// <summary>
    /// Same root and the same full bitmap, counted only where the reference is maj, min, maj7, 7, min7 (the
    /// bass included) or N.
    /// </summary>
    public static ChordMatch Sevenths(Chord estimated, HarteLabel reference)
    {
        if (reference.IsUnknown || (reference.IsChord && Array.IndexOf(SeventhsVocabulary, reference.Bitmap) < 0))
        {
            return ChordMatch.Excluded;
        }

        HarteLabel estimate = HarteLabel.FromChord(estimated);
        return RootOf(estimated) == RootOf(reference) && estimate.Bitmap == reference.Bitmap ? ChordMatch.Correct : ChordMatch.Wrong;
    }

    private static int RootOf(Chord chord) => chord.IsNone ? -1 : chord.Root.Value;

    private static int RootOf(HarteLabel label) => label.IsChord ? label.Root.Value : -1;
}

/// <summary>Duration-weighted MIREX chord accuracies over a data set: root, majmin and sevenths.</summary>
public sealed class MirexChordEvaluator
{
    private double _rootCorrect;
    private double _rootTotal;
    private double _majMinCorrect;
    private double _majMinTotal;
    private double _seventhsCorrect;
    private double _seventhsTotal;

    /// <summary>Root accuracy: correct duration over counted duration (0 when nothing counted).</summary>
    public double Root => _rootTotal > 0 ? _rootCorrect / _rootTotal : 0;

    public double MajMin => _majMinTotal > 0 ? _majMinCorrect / _majMinTotal : 0;

    public double Sevenths => _seventhsTotal > 0 ? _seventhsCorrect / _seventhsTotal : 0;

    /// <summary>Duration of the spans the majmin rule counted (the rest had references outside maj, min and N).</summary>
    public double MajMinDuration => _majMinTotal;

    public double RootDuration => _rootTotal;

    /// <summary>Scores one span over which <paramref name="estimated"/> and <paramref name="reference"/> both hold.</summary>
    public void Add(Chord estimated, HarteLabel reference, double duration)
    {
        if (!(duration > 0))
        {
            return;
        }

        Accumulate(MirexChordScore.Root(estimated, reference), duration, ref _rootCorrect, ref _rootTotal);
        Accumulate(MirexChordScore.MajMin(estimated, reference), duration, ref _majMinCorrect, ref _majMinTotal);
        Accumulate(MirexChordScore.Sevenths(estimated, reference), duration, ref _seventhsCorrect, ref _seventhsTotal);
    }

    private static void Accumulate(ChordMatch match, double duration, ref double correct, ref double total)
    {
        if (match == ChordMatch.Excluded)
        {
            return;
        }

        total += duration;
        if (match == ChordMatch.Correct)
        {
            correct += duration;
        }
    }

    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"root {Root:F4}, majmin {MajMin:F4}, sevenths {Sevenths:F4} over {RootDuration:F1}");
}
