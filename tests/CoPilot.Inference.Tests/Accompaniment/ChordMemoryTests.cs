using CoPilot.Core;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Onnx;
using CoPilot.Music;
using CoPilot.TestSupport;

namespace CoPilot.Inference.Tests.Accompaniment;

public sealed class ChordMemoryTests
{
    private static readonly float[] Here = [1, 0, 0, 0];
    private static readonly float[] Elsewhere = [0, 0, 1, 0];

    // The model's own view: G likeliest, then C; after any root, Major likeliest.
    private static float[] RootLogits()
    {
        var logits = new float[PitchClass.Count];
        logits[7] = 2;
        logits[0] = 1;
        return logits;
    }

    private static float[] QualityLogits()
    {
        var logits = new float[ChordQualities.Count];
        logits[(int)ChordQuality.Major] = 2;
        return logits;
    }

    [Fact]
    public void Without_a_memory_of_the_song_the_model_decides_alone()
    {
        var memory = new ChordMemory(dim: 4);
        float[] roots = RootLogits();
        Assert.Equal(roots, memory.Roots(Here, roots, Chord.None).ToArray());
        float[] qualities = QualityLogits();
        Assert.Equal(qualities, memory.Qualities(7, qualities).ToArray());
    }

    [Fact]
    public void At_a_moment_heard_before_the_chord_chosen_then_is_likeliest_root_and_quality()
    {
        var memory = new ChordMemory(dim: 4);
        memory.Roots(Here, RootLogits(), Chord.None);
        memory.Remember(9, ChordQuality.Minor7); // Am7 was chosen here
        memory.Roots(Elsewhere, RootLogits(), Chord.None);
        memory.Remember(5, ChordQuality.Major);

        double[] roots = Probabilities(memory.Roots(Here, RootLogits(), new Chord(PitchClass.C, ChordQuality.Major)));
        // (1 − λ)·P_model(A) + λ·~1: the memory outweighs the model's G.
        Assert.Equal(9, Array.IndexOf(roots, roots.Max()));
        Assert.InRange(roots[9], 0.6, 0.63);
        Assert.Equal(1.0, roots.Sum(), 6);

        double[] qualities = Probabilities(memory.Qualities(9, QualityLogits()));
        Assert.Equal((int)ChordQuality.Minor7, Array.IndexOf(qualities, qualities.Max()));

        // After another root the memory has nothing to say about quality: the model's Major wins.
        double[] afterG = Probabilities(memory.Qualities(7, QualityLogits()));
        Assert.Equal((int)ChordQuality.Major, Array.IndexOf(afterG, afterG.Max()));
    }

    [Fact]
    public void The_sounding_chord_gets_no_vote_from_the_memory_and_clear_forgets()
    {
        var memory = new ChordMemory(dim: 4);
        memory.Roots(Here, RootLogits(), Chord.None);
        memory.Remember(9, ChordQuality.Minor);
        Assert.Equal(1, memory.Count);

        float[] roots = RootLogits();
        Assert.Equal(roots, memory.Roots(Here, roots, new Chord(new PitchClass(9), ChordQuality.Minor)).ToArray());

        memory.Clear();
        Assert.Equal(0, memory.Count);
        Assert.Equal(roots, memory.Roots(Here, roots, Chord.None).ToArray());
    }

    [Fact]
    public void A_decision_allocates_nothing()
    {
        var memory = new ChordMemory(dim: 4);
        float[] roots = RootLogits();
        float[] qualities = QualityLogits();
        long allocated = AllocationCount.During(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                memory.Roots(i % 2 == 0 ? Here : Elsewhere, roots, Chord.None);
                memory.Qualities(i % 12, qualities);
                memory.Remember(i % 12, (ChordQuality)(i % ChordQualities.Count));
            }
        });
        Assert.Equal(0, allocated);
    }

    private static double[] Probabilities(ReadOnlySpan<float> scores)
    {
        var p = new double[scores.Length];
        Logits.Softmax(scores, p);
        return p;
    }
}
