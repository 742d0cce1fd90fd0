namespace CoPilot.Music.Tests;

public class MirexKeyScoreTests
{
    private static Key K(string name)
    {
        Assert.True(Key.TryParse(name, out Key key), name);
        return key;
    }

    [Theory]
    // Reference C major.
    [InlineData("C", "C", KeyRelation.Same, 1.0)]
    [InlineData("G", "C", KeyRelation.Fifth, 0.5)]
    [InlineData("F", "C", KeyRelation.Other, 0.0)]
    [InlineData("Am", "C", KeyRelation.Relative, 0.3)]
    [InlineData("Cm", "C", KeyRelation.Parallel, 0.2)]
    [InlineData("Em", "C", KeyRelation.Other, 0.0)]
    [InlineData("Gm", "C", KeyRelation.Other, 0.0)]
    [InlineData("D", "C", KeyRelation.Other, 0.0)]
    [InlineData("C#", "C", KeyRelation.Other, 0.0)]
    // Reference A minor.
    [InlineData("Am", "Am", KeyRelation.Same, 1.0)]
    [InlineData("Em", "Am", KeyRelation.Fifth, 0.5)]
    [InlineData("C", "Am", KeyRelation.Relative, 0.3)]
    [InlineData("A", "Am", KeyRelation.Parallel, 0.2)]
    [InlineData("Dm", "Am", KeyRelation.Other, 0.0)]
    [InlineData("E", "Am", KeyRelation.Other, 0.0)]
    [InlineData("F", "Am", KeyRelation.Other, 0.0)]
    // Spelling does not matter.
    [InlineData("F#", "Gb", KeyRelation.Same, 1.0)]
    [InlineData("D#m", "Gb", KeyRelation.Relative, 0.3)]
    [InlineData("C#", "Gb", KeyRelation.Fifth, 0.5)]
    [InlineData("Ebm", "Abm", KeyRelation.Fifth, 0.5)]
    [InlineData("Bbm", "Db", KeyRelation.Relative, 0.3)]
    // Church modes only match themselves.
    [InlineData("Ddor", "Ddor", KeyRelation.Same, 1.0)]
    [InlineData("Ddor", "Dm", KeyRelation.Other, 0.0)]
    [InlineData("Ador", "Ddor", KeyRelation.Other, 0.0)]
    public void WeightedScoreTable(string estimated, string reference, KeyRelation relation, double score)
    {
        Assert.Equal(relation, MirexKeyScore.Classify(K(estimated), K(reference)));
        Assert.Equal(score, MirexKeyScore.Score(K(estimated), K(reference)));
    }

    [Fact]
    public void DescendingFifthOnlyWhenAsked()
    {
        Assert.Equal(0.0, MirexKeyScore.Score(K("F"), K("C")));
        Assert.Equal(0.5, MirexKeyScore.Score(K("F"), K("C"), allowDescendingFifth: true));
        Assert.Equal(0.5, MirexKeyScore.Score(K("Dm"), K("Am"), allowDescendingFifth: true));
    }

    [Fact]
    public void EvaluatorAveragesAndCounts()
    {
        var evaluator = new MirexKeyEvaluator();
        Assert.Equal(0, evaluator.WeightedScore);
        (string Estimated, string Reference)[] pieces =
        [
            ("C", "C"), ("G", "C"), ("Am", "C"), ("Cm", "C"), ("F#", "C"),
            ("Em", "Em"), ("Bm", "Em"), ("G", "Em"), ("E", "Em"), ("Ebm", "D#m"),
        ];
        foreach ((string estimated, string reference) in pieces)
        {
            evaluator.Add(K(estimated), K(reference));
        }

        Assert.Equal(10, evaluator.Count);
        Assert.Equal(3, evaluator.CountOf(KeyRelation.Same));
        Assert.Equal(2, evaluator.CountOf(KeyRelation.Fifth));
        Assert.Equal(2, evaluator.CountOf(KeyRelation.Relative));
        Assert.Equal(2, evaluator.CountOf(KeyRelation.Parallel));
        Assert.Equal(1, evaluator.CountOf(KeyRelation.Other));
        Assert.Equal((3 + (2 * 0.5) + (2 * 0.3) + (2 * 0.2)) / 10, evaluator.WeightedScore, 12);
        Assert.Equal(0.3, evaluator.Accuracy, 12);
        Assert.StartsWith("MIREX 0.5000 over 10", evaluator.ToString());
    }
}
