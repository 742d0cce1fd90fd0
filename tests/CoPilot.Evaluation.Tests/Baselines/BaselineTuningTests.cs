using CoPilot.Evaluation.Baselines;

namespace CoPilot.Evaluation.Tests.Baselines;

public class BaselineTuningTests
{
    [Fact]
    public void Candidates_come_best_first_with_their_valid_scores()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(20, 100, 200, 0.1, 1);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(20, 10, 200, 0.1, 2);
        List<TunedCandidate> kn = BaselineTuning.KneserNey(train, valid, 20, prefixLength: 3);
        Assert.Equal(4, kn.Count);
        Assert.Equal(TokenScorer.Score(kn[0].Model, valid, 3).Nats, kn[0].Valid.Nats);
        Assert.All(kn, c => Assert.True(kn[0].Valid.Nats <= c.Valid.Nats));
        // A third-order process: the 4-gram (three tokens of context) or higher wins.
        Assert.True(((KneserNeyModel)kn[0].Model).Order >= 4, kn[0].Name);

        List<TunedCandidate> vom = BaselineTuning.VariableOrder(train, valid, 20, prefixLength: 3);
        Assert.Equal(BaselineTuning.ContextLengths.Count * BaselineTuning.EscapeStrengths.Count, vom.Count);
        Assert.All(vom, c => Assert.True(vom[0].Valid.Nats <= c.Valid.Nats));
        Assert.Equal(10 * 197, vom[0].Valid.Tokens);
    }
}
