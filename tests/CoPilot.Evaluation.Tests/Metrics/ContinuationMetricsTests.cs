using CoPilot.Evaluation.Metrics;
using CoPilot.Music;

namespace CoPilot.Evaluation.Tests.Metrics;

public class ContinuationMetricsTests
{
    [Fact]
    public void Pools_every_figure_over_the_continuations()
    {
        int[] trainMelody = [60, 62, 64, 65, 67, 69, 71, 72, 74];
        var metrics = new ContinuationMetrics(new VerbatimIndex([trainMelody]), NoteIdentity.Pitch, copiedRun: 4);
        Key c = Key.FromPitchClass(PitchClass.C, Mode.Major);
        ChordSpan[] cMajor = [new(0, 100, new Chord(PitchClass.C, ChordQuality.Major))];

        // First: C D E F# on eighths; reference C E G C on quarters. In key 3/4, in chord 2/4, copied run 3 (C D E).
        metrics.Add(Notes(0.5, 60, 62, 64, 66), Notes(1, 60, 64, 67, 72), c, cMajor);
        // Second: E F G A on quarters, reference the same: in key 4/4, in chord 2/4, copied run 4.
        metrics.Add(Notes(1, 64, 65, 67, 69), Notes(1, 64, 65, 67, 69), c, []);

        ContinuationSummary summary = metrics.Summary();
        Assert.Equal(2, summary.Continuations);
        Assert.Equal(new Proportion(7, 8), summary.InKey);
        Assert.Equal(new Proportion(2, 4), summary.InChord); // the second has no chords: not counted
        Assert.Equal(3.5, summary.MeanLongestCopy, 12);
        Assert.Equal(4, summary.LongestCopy);
        Assert.Equal(new Proportion(1, 2), summary.WithCopiedRun);
        // Intervals: generated 3 × ½ beat and 3 × 1 beat, reference 6 × 1 beat: TV = ½.
        Assert.Equal(0.5, summary.InterOnsetDistance, 12);
        // Pitch classes: generated C D E F# E F G A, reference C E G C E F G A: |D| + |F#| + |C| excess = 2/8... by bins:
        // C 1 vs 2, D 1 vs 0, E 2 vs 2, F 1 vs 1, F# 1 vs 0, G 1 vs 2, A 1 vs 1 → (1 + 1 + 1 + 1)/8 / 2 = 0.25.
        Assert.Equal(0.25, summary.PitchClassDistance, 12);
    }

    private static MelodyNote[] Notes(double step, params int[] pitches) =>
        [.. pitches.Select((p, i) => new MelodyNote(p, i * step, step))];
}
