using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Harness;
using CoPilot.Evaluation.Metrics;
using CoPilot.Export;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Tests.Harness;

public sealed class NextChordProbeTests : IDisposable
{
    private static readonly TransformerConfig Shape = new(VocabSize: Vocabulary.Size, ContextLength: 64, Layers: 2, Dim: 32, Heads: 2);
    private readonly OnnxDecoder _decoder = OnnxDecoder.Load(DecoderExporter.Export(NeuralScoringTests.RandomWeights(Shape, seed: 11), OnnxWeightFormat.Float32, "test"));

    public void Dispose() => _decoder.Dispose();

    [Fact]
    public void Only_changes_of_key_relative_chord_in_a_known_key_are_scored()
    {
        // C G | G Am | F ; then the key becomes unknown: | C
        int[] song = Song(
            ("C", 0), ("G", 24), (null, 0), ("G", 0), ("Am", 24), (null, 0), ("F", 0), (null, -1), ("C", 0));

        NextChordResult result = new NextChordProbe(_decoder).Run([song]);

        Assert.Equal(3, result.Changes); // C→G, G→Am, Am→F: not G→G, not F→C in an unknown key
        Assert.Null(result.BaselineTop3);
    }

    [Fact]
    public void The_model_ranks_match_a_fresh_read_of_every_branch()
    {
        int[] song = Song(("C", 0), ("Am", 24), (null, 0), ("F", 0), ("G7", 24), (null, 0), ("C", 0), ("Em", 12), ("Am", 36));
        var expected = new TopKAccuracy(3);
        (int Root, ChordClass Class)? current = null;
        for (int j = 0; j < song.Length; j++)
        {
            if (!Vocabulary.IsChordRoot(song[j]))
            {
                continue;
            }

            var next = (Root: song[j] - Vocabulary.ChordRootBase, Class: ChordClasses.Of((ChordQuality)(song[j + 1] - Vocabulary.ChordQualityBase)));
            if (current is { } now && now != next)
            {
                expected.Add(BruteForceRank(song.AsSpan(0, j), now, next));
            }

            current = next;
        }

        NextChordResult result = new NextChordProbe(_decoder).Run([song]);

        Assert.Equal(expected.Count, result.Changes);
        Assert.Equal(expected.Accuracy(1).Value, result.ModelTop1, 12);
        Assert.Equal(expected.Accuracy(3).Value, result.ModelTop3, 12);
    }

    [Fact]
    public void Songs_longer_than_the_context_are_read_in_windows_and_every_change_counts()
    {
        var chords = new List<(string?, int)>();
        string[] cycle = ["C", "Am", "Dm", "G7"];
        for (int bar = 0; bar < 40; bar++)
        {
            chords.Add((null, 0));
            chords.Add((cycle[(2 * bar) % 4], 0));
            chords.Add((cycle[((2 * bar) + 1) % 4], 24));
        }

        int[] song = Song([.. chords.Skip(1)]);
        Assert.True(song.Length > 4 * Shape.ContextLength);

        NextChordResult result = new NextChordProbe(_decoder).Run([song, song]);

        Assert.Equal(2 * 79, result.Changes);
        Assert.InRange(result.ModelTop3, 0.0, 1.0);

        // A random model knows nothing of harmony (top-1 0 here), but its states at the same moment of the loop
        // look more alike than others: with the song's cache it follows the loop it has heard some of the time
        // (0.25 with these weights).
        Assert.True(result.CacheTop1 > result.ModelTop1 + 0.15, $"with cache top-1 {result.CacheTop1:F3}, model alone {result.ModelTop1:F3}");
        Assert.True(result.CacheTop3 > result.ModelTop3, $"with cache top-3 {result.CacheTop3:F3}, model alone {result.ModelTop3:F3}");
    }

    [Fact]
    public void The_cache_sweep_at_the_defaults_scores_what_the_run_reports()
    {
        var chords = new List<(string?, int)>();
        string[] cycle = ["C", "Am", "F", "G7", "Em", "Am", "Dm", "G"];
        for (int bar = 0; bar < 12; bar++)
        {
            chords.Add((null, 0));
            chords.Add((cycle[(2 * bar) % 8], 0));
            chords.Add((cycle[((2 * bar) + 1) % 8], 24));
        }

        int[] song = Song([.. chords.Skip(1)]);
        var probe = new NextChordProbe(_decoder);
        NextChordResult run = probe.Run([song]);
        IReadOnlyList<CacheSweepPoint> sweep = probe.SweepCache([song], [1, ContinuousCache.DefaultTheta], [0.1f, ContinuousCache.DefaultLambda]);

        Assert.Equal(4, sweep.Count);
        CacheSweepPoint defaults = sweep.Single(p => p.Theta == ContinuousCache.DefaultTheta && p.Lambda == ContinuousCache.DefaultLambda);
        Assert.Equal(run.CacheTop1, defaults.Top1, 12);
        Assert.Equal(run.CacheTop3, defaults.Top3, 12);
    }

    [Fact]
    public void The_n_gram_is_scored_on_the_same_changes_as_its_own_evaluation()
    {
        string[] names = ["C", "G", "Am", "F", "C", "G", "Am", "F", "C", "Dm", "G7", "C"];
        var progression = new ChordProgression(names.Select(Parse).ToList(), names.Select(_ => Key.FromIndex(7)).ToList());
        ChordTransitions transitions = ChordTransitionBaseline.Train([progression, progression], "pop");
        var baseline = new ChordTransitionBaseline(transitions, new NgramWeights(0.6f, 0.3f, 0.09f, 0.01f));
        TopKAccuracy own = baseline.Evaluate([progression]);

        int[] song = SongInKey(7, names.Select((n, i) => ((string?)n, 24 * (i % 2))).SelectMany(c => c.Item2 == 0 ? new[] { ((string?)null, 0), c } : [c]).Skip(1).ToArray());
        NextChordResult result = new NextChordProbe(_decoder).Run([song], baseline);

        Assert.Equal(own.Count, result.Changes);
        Assert.Equal(own.Accuracy(1).Value, result.BaselineTop1!.Value, 12);
        Assert.Equal(own.Accuracy(3).Value, result.BaselineTop3!.Value, 12);
    }

    // Everything the probe does for one change, from scratch: a fresh read of the prefix per root.
    private int BruteForceRank(ReadOnlySpan<int> prefix, (int Root, ChordClass Class) sounding, (int Root, ChordClass Class) next)
    {
        var scores = new double[RelativeChord.Count];
        _decoder.Reset();
        float[] rootLogits = _decoder.Prefill(prefix)[^Vocabulary.Size..].ToArray();
        double[] pRoot = Softmax(rootLogits.AsSpan(Vocabulary.ChordRootBase, 12));
        for (int root = 0; root < 12; root++)
        {
            _decoder.Reset();
            _decoder.Prefill(prefix);
            double[] pQuality = Softmax(_decoder.Step(Vocabulary.ChordRootBase + root).Slice(Vocabulary.ChordQualityBase, ChordQualities.Count));
            for (int q = 0; q < ChordQualities.Count; q++)
            {
                scores[new RelativeChord(root, ChordClasses.Of((ChordQuality)q)).Index] += pRoot[root] * pQuality[q];
            }
        }

        scores[new RelativeChord(sounding.Root, sounding.Class).Index] = double.NegativeInfinity;
        return Ranking.RankOf(scores, new RelativeChord(next.Root, next.Class).Index);
    }

    internal static double[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits)
        {
            max = Math.Max(max, l);
        }

        double[] p = new double[logits.Length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = Math.Exp(logits[i] - max);
        }

        double sum = p.Sum();
        return [.. p.Select(x => x / sum)];
    }

    private static Chord Parse(string name) => Chord.TryParse(name, out Chord chord) ? chord : throw new ArgumentException(name);

    // A chord-view sequence in C major (SongInKey: another) and 4/4: (null, 0) opens a bar, (null, -1) opens one
    // in an unknown key; (name, tick) puts a chord at that tick of the current bar.
    internal static int[] Song(params (string? Chord, int Tick)[] events) => SongInKey(0, events);

    private static int[] SongInKey(int keyIndex, (string? Chord, int Tick)[] events)
    {
        var tokens = new List<int>
        {
            Vocabulary.Bos, Vocabulary.StyleToken(Style.Pop), Vocabulary.TaskToken(GenerationTask.NextChords),
            Vocabulary.KeyToken(keyIndex), Vocabulary.MetreToken(Vocabulary.MetreIndex(new Metre(4, 4))), Vocabulary.Bar,
        };
        foreach ((string? name, int tick) in events)
        {
            if (name is null)
            {
                tokens.Add(Vocabulary.Bar);
                if (tick < 0)
                {
                    tokens.Add(Vocabulary.KeyUnknown);
                }

                continue;
            }

            Chord chord = Parse(name);
            tokens.Add(Vocabulary.PositionToken(tick));
            tokens.Add(Vocabulary.ChordRootToken(chord.Root));
            tokens.Add(Vocabulary.ChordQualityToken(chord.Quality));
        }

        tokens.Add(Vocabulary.Eos);
        return [.. tokens];
    }
}
