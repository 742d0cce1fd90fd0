using System.Diagnostics;
using CoPilot.Evaluation.Baselines;
using Xunit.Abstractions;

namespace CoPilot.Evaluation.Tests.Baselines;

/// <summary>
/// `copilot eval --baselines` must finish within 20 minutes on two cores: a 6-gram over five million tokens
/// has to train and score a million in seconds. Run alone: `--filter Category=Timing`.
/// </summary>
[Trait("Category", "Timing")]
public class BaselineTimingTests(ITestOutputHelper output)
{
    [Fact]
    public void Six_gram_trains_on_five_million_tokens_and_scores_a_million_in_seconds()
    {
        // 600 token ids, a third-order rule with 30 % noise: far more distinct n-grams than real music has.
        List<int[]> train = SyntheticCorpus.ThirdOrder(600, 2_500, 2_000, 0.3, 11);
        List<int[]> test = SyntheticCorpus.ThirdOrder(600, 500, 2_000, 0.3, 12);

        var clock = Stopwatch.StartNew();
        var kn = new KneserNeyModel(6, 600, train);
        double knTrain = clock.Elapsed.TotalSeconds;
        clock.Restart();
        KneserNeyModel[] family = KneserNeyModel.TrainOrders(3, 6, 600, train);
        double familyTrain = clock.Elapsed.TotalSeconds;
        clock.Restart();
        TokenScore knScore = TokenScorer.Score(kn, test);
        double knScoreTime = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var vom = new VariableOrderMarkovModel(16, 600, train);
        double vomTrain = clock.Elapsed.TotalSeconds;
        clock.Restart();
        TokenScore vomScore = TokenScorer.Score(vom, test);
        double vomScoreTime = clock.Elapsed.TotalSeconds;

        output.WriteLine($"KN orders 3-6 together: train {familyTrain:F2} s");
        output.WriteLine($"KN 6-gram: train {knTrain:F2} s on 5M tokens ({kn.NgramCount(6):N0} 6-grams), score {knScoreTime:F2} s on 1M tokens, {knScore.BitsPerToken:F3} bits/token");
        output.WriteLine($"VOM 16: train {vomTrain:F2} s, score {vomScoreTime:F2} s, {vomScore.BitsPerToken:F3} bits/token");
        Assert.Equal(1_000_000, knScore.Tokens);
        Assert.Equal(4, family.Length);
        Assert.True(knTrain + knScoreTime < 60, $"KN took {knTrain + knScoreTime:F1} s");
        Assert.True(vomTrain + vomScoreTime < 120, $"VOM took {vomTrain + vomScoreTime:F1} s");
    }
}
