using CoPilot.Evaluation.Baselines;
using CoPilot.Music;

namespace CoPilot.Evaluation.Tests.Baselines;

public class ChordTransitionBaselineTests
{
    private static readonly Key CMajor = Key.FromPitchClass(PitchClass.C, Mode.Major);
    private static readonly Key DMajor = Key.FromPitchClass(PitchClass.D, Mode.Major);
    private static readonly Key EMajor = Key.FromPitchClass(PitchClass.E, Mode.Major);

    [Fact]
    public void Songs_in_every_key_pool_their_evidence()
    {
        // I V vi IV in C and in D; in E the trigram after (I, V) is vi = C#m.
        ChordTransitions transitions = ChordTransitionBaseline.Train(
            [Song(CMajor, "C", "G", "Am", "F", "C", "G", "Am", "F"), Song(DMajor, "D", "D", "A", "Bm", "G")],
            "pop");
        Assert.Equal(3, transitions.Bigram(Rel(CMajor, "C"), Rel(CMajor, "G"))); // I→V: C→G twice in C, D→A once in D
        var baseline = new ChordTransitionBaseline(transitions, new NgramWeights(0.6f, 0.4f, 0, 0.001f));
        Span<RelativeChord> top = stackalloc RelativeChord[3];
        Assert.Equal(3, baseline.TopK(Rel(EMajor, "E"), Rel(EMajor, "B"), top));
        Assert.Equal(Rel(EMajor, "C#m"), top[0]);
        Assert.Equal("VIm", top[0].ToString());
    }

    [Fact]
    public void Accuracy_counts_every_chord_change_by_hand()
    {
        ChordTransitions transitions = ChordTransitionBaseline.Train([Song(CMajor, "C", "F", "G", "C", "F", "G", "C")], "pop");
        // Bigram only: after C always F, after F always G, after G always C.
        var baseline = new ChordTransitionBaseline(transitions, new NgramWeights(0, 1, 0, 0.001f));
        // Changes in "C C F G Am": C→F (rank 0), F→G (0), G→Am (Am was never seen after G: not top-3).
        var accuracy = baseline.Evaluate([Song(CMajor, "C", "C", "F", "G", "Am")]);
        Assert.Equal(3, accuracy.Count);
        Assert.Equal(2, accuracy.Hits(1));
        Assert.Equal(2, accuracy.Hits(3));
    }

    [Fact]
    public void Tuning_keeps_the_best_weights_of_the_grid()
    {
        ChordTransitions transitions = ChordTransitionBaseline.Train(
            [Song(CMajor, "C", "Am", "F", "G", "C", "Am", "Dm", "G", "C", "F", "G", "C")],
            "pop");
        ChordProgression[] valid = [Song(DMajor, "D", "Bm", "G", "A", "D", "Bm", "Em", "A", "D")];
        ChordTransitionBaseline tuned = ChordTransitionBaseline.Tune(transitions, valid);
        var best = tuned.Evaluate(valid);
        double objective = best.Accuracy(1).Value + best.Accuracy(3).Value;
        foreach (NgramWeights weights in ChordTransitionBaseline.Grid())
        {
            var other = new ChordTransitionBaseline(transitions, weights).Evaluate(valid);
            Assert.True(other.Accuracy(1).Value + other.Accuracy(3).Value <= objective + 1e-12);
        }

        Assert.Contains(tuned.Weights, ChordTransitionBaseline.Grid());
    }

    private static RelativeChord Rel(Key key, string chord)
    {
        Assert.True(RelativeChord.TryFrom(Parse(chord), key.TonicPitchClass, out RelativeChord relative));
        return relative;
    }

    private static Chord Parse(string name)
    {
        bool minor = name.EndsWith('m');
        string root = minor ? name[..^1] : name;
        int pc = root switch
        {
            "C" => 0,
            "C#" => 1,
            "D" => 2,
            "E" => 4,
            "F" => 5,
            "G" => 7,
            "A" => 9,
            "B" => 11,
            _ => throw new ArgumentException(name),
        };
        return new Chord(new PitchClass(pc), minor ? ChordQuality.Minor : ChordQuality.Major);
    }

    private static ChordProgression Song(Key key, params string[] chords) =>
        new([.. chords.Select(Parse)], [.. chords.Select(_ => key)]);
}
