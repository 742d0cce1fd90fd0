using CoPilot.Music;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// One offline chord recognition setting: the windows, the smoothing, the key context and the template weights.
/// </summary>
/// <param name="ChangePenalty">Viterbi penalty per chord change (<see cref="ChordSegmenter"/>); 0 takes each window's best chord.</param>
/// <param name="UseKey">Give <see cref="ChordRecognizer"/> the window's key from <see cref="KeySegmenter"/> (diatonic bonus).</param>
/// <param name="MelodyWeight">Weight of the MELODY track's notes in the windows' histograms (PIANO weighs 1).</param>
/// <param name="BridgeWeight">Weight of the BRIDGE track's notes.</param>
public sealed record ChordMethod(string Name, ChordWindows Windows, double ChangePenalty, bool UseKey, ChordScoring Scoring, double BassFraction = 0.25, double MelodyWeight = 1, double BridgeWeight = 1)
{
    private bool Weighted => MelodyWeight != 1 || BridgeWeight != 1;

    // Built per call: a record's `with` would copy a cached segmenter with the old settings.
    private ChordSegmenter Segmenter => new(new ChordRecognizer(Scoring), ChangePenalty, BassFraction, Weighted);

    /// <summary>
    /// Template weights for pop accompaniment, chosen on the POP909 valid split: notes outside the chord cost
    /// more (1.2 per unit of weight, not 0.5: with the melody turned down, what is left outside the chord is
    /// rarely a passing note), a chord tone counts as present from 40 % of the loudest pitch class's weight
    /// (not 25 %), and the root in the bass earns 0.15 (not 0.1), since the labels name root positions nineteen
    /// times out of twenty.
    /// </summary>
    public static ChordScoring PopScoring { get; } = ChordScoring.Default with { ExtraPenalty = 1.2, Presence = 0.4, RootInBass = 0.15 };

    /// <summary>
    /// The plain-template baseline: the recogniser's default weights on every beat of the grid, all three
    /// tracks weighted alike, each beat's best chord, no key and no smoothing.
    /// </summary>
    public static ChordMethod Baseline { get; } = new("Plain templates, per beat (baseline)", ChordWindows.Beat, 0, false, ChordScoring.Default);

    /// <summary>
    /// The setting chosen on the POP909 valid split by <c>copilot eval chords --sweep</c> (docs/evaluation/chords.md):
    /// one-beat windows, Viterbi with 0.5 per change, the melody at a quarter and the bridge at a tenth of the
    /// piano's weight, <see cref="PopScoring"/>. No key bonus: it did not help on valid.
    /// </summary>
    public static ChordMethod Tuned { get; } = new("Tuned: per beat, Viterbi 0.5, melody 0.25 / bridge 0.1, pop weights", ChordWindows.Beat, 0.5, false, PopScoring, MelodyWeight: 0.25, BridgeWeight: 0.1);

    /// <summary>The rows of the report: baseline, the steps towards the tuned setting (one change at a time), the tuned setting, and what the key context would add.</summary>
    public static IReadOnlyList<ChordMethod> Reported { get; } =
    [
        Baseline,
        Baseline with { Name = "+ Viterbi smoothing 0.5", ChangePenalty = 0.5 },
        Baseline with { Name = "+ Viterbi 0.5 + track weights (melody 0.25, bridge 0.1)", ChangePenalty = 0.5, MelodyWeight = 0.25, BridgeWeight = 0.1 },
        Tuned,
        Tuned with { Name = "Tuned + key context (KeySegmenter, diatonic bonus 0.04)", UseKey = true, Scoring = PopScoring with { Diatonic = 0.04 } },
    ];

    /// <summary>The chord of each window of <paramref name="song"/>, with the windows' boundaries in seconds.</summary>
    public (Chord[] Chords, double[] Seconds) Recognize(ChordEvaluationSong song)
    {
        (double[] beats, double[] seconds) = song.Windows(Windows);
        if (beats.Length < 2)
        {
            return ([], []);
        }

        Key[] keys = UseKey ? song.KeysOf(beats) : [];
        TimedNote[] notes = Weighted ? song.WeightedNotes(MelodyWeight, BridgeWeight, 1) : song.Notes;
        return (Segmenter.Recognize(notes, beats, keys), seconds);
    }

    /// <summary>Recognises and scores one song into <paramref name="evaluator"/>.</summary>
    public void Evaluate(ChordEvaluationSong song, MirexChordEvaluator evaluator)
    {
        (Chord[] chords, double[] seconds) = Recognize(song);
        Score(chords, seconds, song.Reference, evaluator);
    }

    /// <summary>
    /// Adds the overlap of every estimated window with every reference span, in seconds, as mir_eval does
    /// after merging the two segmentations; reference time no window covers counts as an estimated N.
    /// </summary>
    public static void Score(ReadOnlySpan<Chord> chords, ReadOnlySpan<double> seconds, IReadOnlyList<ReferenceChord> reference, MirexChordEvaluator evaluator)
    {
        int windows = Math.Max(0, seconds.Length - 1);
        int j = 0;
        foreach (ReferenceChord r in reference)
        {
            double t = r.StartSeconds;
            while (j > 0 && seconds[j] > t)
            {
                j--;
            }

            while (j < windows && seconds[j + 1] <= t)
            {
                j++;
            }

            for (int w = j; w < windows && seconds[w] < r.EndSeconds; w++)
            {
                double start = Math.Max(t, seconds[w]);
                double end = Math.Min(r.EndSeconds, seconds[w + 1]);
                if (seconds[w] > t)
                {
                    evaluator.Add(Chord.None, r.Label, seconds[w] - t);
                }

                evaluator.Add(chords[w], r.Label, end - start);
                t = Math.Max(t, end);
            }

            if (r.EndSeconds > t)
            {
                evaluator.Add(Chord.None, r.Label, r.EndSeconds - t);
            }
        }
    }
}
