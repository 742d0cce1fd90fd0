using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Metrics;
using CoPilot.Music;
using CsCheck;

namespace CoPilot.Evaluation.Tests.Metrics;

public class MetricsTests
{
    [Fact]
    public void Perplexity_is_exp_of_the_mean_nll()
    {
        // A uniform model over 8 tokens: ln 8 nats per token, perplexity 8, 3 bits per token.
        var score = new TokenScore(10 * Math.Log(8), 10);
        Assert.Equal(8, score.Perplexity, 12);
        Assert.Equal(3, score.BitsPerToken, 12);
        Assert.Equal(30, score.Bits, 12);
        Assert.Equal(Math.Exp(2), LanguageModelMetrics.Perplexity(6, 3), 12);
        Assert.True(double.IsNaN(LanguageModelMetrics.Perplexity(0, 0)));
    }

    [Fact]
    public void Scoring_skips_the_prefix_and_sums_every_sequence()
    {
        // A unigram KN model on "0 0 0 1" scored on itself after a prefix of 1: three tokens, by hand.
        var model = new KneserNeyModel(1, 2, [[0, 0, 0, 1]]);
        TokenScore score = TokenScorer.Score(model, [[0, 0, 0, 1], [1, 1]], prefixLength: 1);
        Assert.Equal(4, score.Tokens);
        double expected = -(2 * model.LogProbability([], 0)) - (2 * model.LogProbability([], 1));
        Assert.Equal(expected, score.Nats, 12);
    }

    [Fact]
    public void Top_k_accuracy_counts_ranks_below_k()
    {
        var accuracy = new TopKAccuracy(3);
        foreach (int rank in (int[])[0, 0, 1, 2, 5, int.MaxValue])
        {
            accuracy.Add(rank);
        }

        Assert.Equal(6, accuracy.Count);
        Assert.Equal(new Proportion(2, 6), accuracy.Accuracy(1));
        Assert.Equal(3, accuracy.Hits(2));
        Assert.Equal(4.0 / 6, accuracy.Accuracy(3).Value, 12);
    }

    [Fact]
    public void Ranks_break_ties_towards_the_lower_index()
    {
        double[] scores = [0.1, 0.4, 0.4, 0.05, 0.05];
        Assert.Equal(0, Ranking.RankOf(scores, 1));
        Assert.Equal(1, Ranking.RankOf(scores, 2));
        Assert.Equal(2, Ranking.RankOf(scores, 0));
        Assert.Equal(4, Ranking.RankOf(scores, 4));
        Span<int> top = stackalloc int[4];
        Assert.Equal(4, Ranking.TopK(scores, top));
        Assert.Equal([1, 2, 0, 3], top.ToArray());
        Span<int> many = stackalloc int[9];
        Assert.Equal(5, Ranking.TopK(scores, many));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i, Ranking.RankOf(scores, many[i]));
        }
    }

    [Fact]
    public void Top_k_lists_the_candidates_in_rank_order()
    {
        Gen.Select(Gen.Int[0, 5].Array[1, 30], Gen.Int[1, 8])
            .Sample((values, k) =>
            {
                double[] scores = [.. values.Select(v => (double)v)];
                int[] best = new int[k];
                int n = Ranking.TopK(scores, best);
                Assert.Equal(Math.Min(k, scores.Length), n);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(i, Ranking.RankOf(scores, best[i]));
                }
            });
    }

    [Fact]
    public void Note_in_key_counts_scale_pitch_classes()
    {
        // C, D, G#, B, A#, F# in A minor: natural minor has C, D, B; harmonic adds G#, melodic adds F#.
        MelodyNote[] notes = [N(60), N(62), N(68), N(71), N(70), N(66)];
        Key aMinor = Key.FromPitchClass(PitchClass.A, Mode.Minor);
        Assert.Equal(new Proportion(5, 6), NoteMetrics.InKey(notes, aMinor));
        Assert.Equal(new Proportion(3, 6), NoteMetrics.InKey(notes, aMinor, MinorScaleSet.Natural));
        // In C major: C, D, B.
        Assert.Equal(new Proportion(3, 6), NoteMetrics.InKey(notes, Key.FromPitchClass(PitchClass.C, Mode.Major)));
        Assert.Equal(9, NoteMetrics.KeyPitchClasses(aMinor).Count);
    }

    [Fact]
    public void Note_in_chord_uses_the_chord_at_each_onset()
    {
        ChordSpan[] chords =
        [
            new(0, 4, new Chord(PitchClass.C, ChordQuality.Major)),
            new(4, 6, Chord.None),
            new(8, 12, new Chord(PitchClass.G, ChordQuality.Dominant7)),
        ];
        MelodyNote[] notes =
        [
            N(64, 0), N(62, 1), N(67, 3.99), // E in C, D not, G in C
            N(60, 4.5),                       // under N: not counted
            N(65, 7),                         // in the gap: not counted
            N(77, 8), N(71, 11), N(72, 11.5), // F and B in G7, C not
            N(67, 12),                        // after the last chord ends
            N(60, -1),                        // before the first
        ];
        Assert.Equal(new Proportion(4, 6), NoteMetrics.InChord(notes, chords));
        Assert.True(double.IsNaN(NoteMetrics.InChord(notes, []).Value));
    }

    [Fact]
    public void Histogram_distances_are_total_variation()
    {
        double[] generated = new double[12];
        double[] reference = new double[12];
        NoteHistograms.AddPitchClasses([N(60), N(72), N(64), N(67)], generated); // C C E G
        NoteHistograms.AddPitchClasses([N(60), N(62), N(64), N(65)], reference); // C D E F
        // p = (½ C, ¼ E, ¼ G), q = ¼ each of C D E F: |½−¼| + |0−¼| + 0 + |0−¼| + |¼−0| = 1, halved.
        Assert.Equal(0.5, NoteHistograms.TotalVariation(generated, reference), 12);
        Assert.Equal(0, NoteHistograms.TotalVariation(generated, generated), 12);
        Assert.Equal(1, NoteHistograms.TotalVariation(generated, new double[12]), 12);
        Assert.Equal(0, NoteHistograms.TotalVariation(new double[12], new double[12]), 12);
    }

    [Fact]
    public void Inter_onset_intervals_bin_on_twelfths_of_a_beat()
    {
        double[] histogram = new double[NoteHistograms.IntervalBins];
        // Onsets 0, 0 (a dyad), 0.5, 0.8333 (a triplet eighth later), 1.5, 9.5.
        NoteHistograms.AddInterOnsetIntervals([N(60, 0), N(64, 0), N(62, 0.5), N(64, 5.0 / 6), N(65, 1.5), N(67, 9.5)], histogram);
        Assert.Equal(1, histogram[6]);   // 0.5 beat
        Assert.Equal(1, histogram[4]);   // 1/3 beat
        Assert.Equal(1, histogram[8]);   // 2/3 beat
        Assert.Equal(1, histogram[^1]);  // 8 beats, capped
        Assert.Equal(4, histogram.Sum());
        Assert.Throws<ArgumentException>(() => NoteHistograms.AddInterOnsetIntervals([N(60, 1), N(60, 0)], histogram));
    }

    private static MelodyNote N(int pitch, double onset = 0) => new(pitch, onset, 0.5);
}
