using CoPilot.Music;

namespace CoPilot.Evaluation.Metrics;

/// <summary>The figures of a set of generated continuations (see <see cref="ContinuationMetrics"/>).</summary>
public readonly record struct ContinuationSummary(
    int Continuations,
    Proportion InKey,
    Proportion InChord,
    double PitchClassDistance,
    double InterOnsetDistance,
    double MeanLongestCopy,
    int LongestCopy,
    Proportion WithCopiedRun);

/// <summary>
/// Pools the note metrics of generated continuations, each judged against the reference continuation of the
/// same test prompt: note-in-key and note-in-chord ratios (micro-averaged over all generated notes), the
/// total-variation distances between the pitch-class and inter-onset-interval histograms of all generated
/// notes and all reference notes (pooled over the set, so short continuations do not make noisy
/// histograms), and originality: the longest run each continuation shares verbatim with the train split.
/// </summary>
public sealed class ContinuationMetrics
{
    private readonly VerbatimIndex _train;
    private readonly NoteIdentity _identity;
    private readonly int _copiedRun;
    private readonly double[] _generatedPitchClasses = new double[PitchClass.Count];
    private readonly double[] _referencePitchClasses = new double[PitchClass.Count];
    private readonly double[] _generatedIntervals = new double[NoteHistograms.IntervalBins];
    private readonly double[] _referenceIntervals = new double[NoteHistograms.IntervalBins];
    private Proportion _inKey;
    private Proportion _inChord;
    private Proportion _withCopiedRun;
    private long _longestSum;
    private int _longest;
    private int _count;

    /// <param name="train">The train split's melodies as symbols of <paramref name="identity"/>.</param>
    /// <param name="copiedRun">A continuation sharing a run this long with train counts as copying (8 notes: the plugin's guard).</param>
    public ContinuationMetrics(VerbatimIndex train, NoteIdentity identity = NoteIdentity.Pitch, int copiedRun = 8, MinorScaleSet minor = MinorScaleSet.AllMinorScales)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(copiedRun, 1);
        _train = train;
        _identity = identity;
        _copiedRun = copiedRun;
        Minor = minor;
    }

    public MinorScaleSet Minor { get; }

    /// <summary>
    /// Adds one continuation. <paramref name="generated"/> and <paramref name="reference"/> are sorted by
    /// onset; <paramref name="chords"/> are those under the continuation (empty when the set has none).
    /// </summary>
    public void Add(ReadOnlySpan<MelodyNote> generated, ReadOnlySpan<MelodyNote> reference, Key key, ReadOnlySpan<ChordSpan> chords)
    {
        _count++;
        _inKey += NoteMetrics.InKey(generated, key, Minor);
        _inChord += NoteMetrics.InChord(generated, chords);
        NoteHistograms.AddPitchClasses(generated, _generatedPitchClasses);
        NoteHistograms.AddPitchClasses(reference, _referencePitchClasses);
        NoteHistograms.AddInterOnsetIntervals(generated, _generatedIntervals);
        NoteHistograms.AddInterOnsetIntervals(reference, _referenceIntervals);
        int longest = _train.LongestRun(NoteSymbols.Of(generated, _identity)).Length;
        _longestSum += longest;
        _longest = Math.Max(_longest, longest);
        _withCopiedRun += new Proportion(longest >= _copiedRun ? 1 : 0, 1);
    }

    public ContinuationSummary Summary() => new(
        _count,
        _inKey,
        _inChord,
        NoteHistograms.TotalVariation(_generatedPitchClasses, _referencePitchClasses),
        NoteHistograms.TotalVariation(_generatedIntervals, _referenceIntervals),
        _count == 0 ? double.NaN : (double)_longestSum / _count,
        _longest,
        _withCopiedRun);
}
