namespace CoPilot.Music.Tests;

public class MirexChordScoreTests
{
    private static Chord ChordOf(string name) => Chord.TryParse(name, out Chord chord) ? chord : throw new ArgumentException(name, nameof(name));

    private static HarteLabel Label(string text) => HarteLabel.TryParse(text, out HarteLabel label) ? label : throw new ArgumentException(text, nameof(text));

    [Theory]
    [InlineData("C", "C:maj", ChordMatch.Correct)]
    [InlineData("Cm7", "C:maj7", ChordMatch.Correct)] // root only
    [InlineData("C/E", "E:min", ChordMatch.Wrong)] // the root, not the bass
    [InlineData("Db", "C#:maj", ChordMatch.Correct)] // spelling does not matter
    [InlineData("C", "N", ChordMatch.Wrong)]
    [InlineData("N.C.", "N", ChordMatch.Correct)]
    [InlineData("N.C.", "C:maj", ChordMatch.Wrong)]
    [InlineData("C", "X", ChordMatch.Excluded)]
    public void Root(string estimated, string reference, ChordMatch expected) =>
        Assert.Equal(expected, MirexChordScore.Root(ChordOf(estimated), Label(reference)));

    [Theory]
    [InlineData("C", "C:maj", ChordMatch.Correct)]
    [InlineData("C7", "C:maj", ChordMatch.Correct)] // sevenths reduce to their triad
    [InlineData("Cmaj7", "C:maj", ChordMatch.Correct)]
    [InlineData("C", "C:7", ChordMatch.Correct)]
    [InlineData("C6", "C:maj6", ChordMatch.Correct)]
    [InlineData("C9", "C:maj", ChordMatch.Correct)] // the ninth lies above the octave and drops out
    [InlineData("Cadd9", "C:maj", ChordMatch.Correct)]
    [InlineData("Cm", "C:maj", ChordMatch.Wrong)]
    [InlineData("Am7", "C:maj6", ChordMatch.Wrong)] // same notes, other root
    [InlineData("Csus4", "C:maj", ChordMatch.Wrong)]
    [InlineData("Csus2", "C:maj", ChordMatch.Wrong)]
    [InlineData("Cdim", "C:min", ChordMatch.Wrong)]
    [InlineData("Cm7b5", "C:min", ChordMatch.Wrong)]
    [InlineData("G/B", "G:maj", ChordMatch.Correct)] // inversions are ignored
    [InlineData("G", "G:maj/3", ChordMatch.Correct)]
    [InlineData("Em", "E:min/b3", ChordMatch.Correct)]
    [InlineData("Am", "A:min7/b7", ChordMatch.Correct)]
    [InlineData("N.C.", "N", ChordMatch.Correct)]
    [InlineData("C", "N", ChordMatch.Wrong)]
    [InlineData("N.C.", "C:maj", ChordMatch.Wrong)]
    [InlineData("C", "C:sus4", ChordMatch.Excluded)]
    [InlineData("C", "C:sus4(b7)", ChordMatch.Excluded)]
    [InlineData("C", "C:dim", ChordMatch.Excluded)]
    [InlineData("C", "C:hdim7", ChordMatch.Excluded)]
    [InlineData("C", "C:aug", ChordMatch.Excluded)]
    [InlineData("C", "C:5", ChordMatch.Excluded)]
    [InlineData("C", "C:1", ChordMatch.Excluded)]
    [InlineData("C", "C:maj/9", ChordMatch.Excluded)] // mir_eval adds the bass to the bitmap
    [InlineData("C", "X", ChordMatch.Excluded)]
    public void MajMin(string estimated, string reference, ChordMatch expected) =>
        Assert.Equal(expected, MirexChordScore.MajMin(ChordOf(estimated), Label(reference)));

    [Theory]
    [InlineData("C7", "C:7", ChordMatch.Correct)]
    [InlineData("C9", "C:7", ChordMatch.Correct)]
    [InlineData("C", "C:7", ChordMatch.Wrong)]
    [InlineData("Cmaj7", "C:7", ChordMatch.Wrong)]
    [InlineData("Cm7", "C:min7", ChordMatch.Correct)]
    [InlineData("C/E", "C:maj/3", ChordMatch.Correct)]
    [InlineData("C", "C:maj6", ChordMatch.Excluded)]
    [InlineData("C", "C:hdim7", ChordMatch.Excluded)]
    [InlineData("N.C.", "N", ChordMatch.Correct)]
    public void Sevenths(string estimated, string reference, ChordMatch expected) =>
        Assert.Equal(expected, MirexChordScore.Sevenths(ChordOf(estimated), Label(reference)));

    [Fact]
    public void EvaluatorWeightsByDuration()
    {
        var evaluator = new MirexChordEvaluator();
        evaluator.Add(ChordOf("C"), Label("C:maj"), 3); // right
        evaluator.Add(ChordOf("Cm"), Label("C:maj"), 1); // right root, wrong third
        evaluator.Add(ChordOf("G"), Label("G:sus4"), 2); // majmin skips sus4
        evaluator.Add(ChordOf("G"), Label("X"), 5); // skipped by every rule
        evaluator.Add(ChordOf("C"), Label("N"), 0); // no duration, no effect
        Assert.Equal(6, evaluator.RootDuration, 9);
        Assert.Equal(1.0, evaluator.Root, 9);
        Assert.Equal(4, evaluator.MajMinDuration, 9);
        Assert.Equal(0.75, evaluator.MajMin, 9);
        Assert.Equal(0.75, evaluator.Sevenths, 9);
    }
}
