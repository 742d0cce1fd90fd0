using System.Diagnostics;
using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Metrics;
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

    [Fact]
    public void Verbatim_index_builds_over_a_million_notes_and_answers_in_milliseconds()
    {
        // 2,000 melodies of 500 notes, each a random walk with its first half repeated (songs repeat sections).
        var random = new Random(21);
        var melodies = new List<int[]>();
        for (int m = 0; m < 2_000; m++)
        {
            int[] melody = new int[500];
            int pitch = 60;
            for (int i = 0; i < melody.Length; i++)
            {
                pitch = i >= 250 ? melody[i - 250] : Math.Clamp(pitch + random.Next(-4, 5), 40, 90);
                melody[i] = pitch;
            }

            melodies.Add(melody);
        }

        var clock = Stopwatch.StartNew();
        var index = new VerbatimIndex(melodies);
        double build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        long longest = 0;
        for (int q = 0; q < 1_000; q++)
        {
            int[] melody = melodies[q];
            // Half copied, half new: the answer is known to be at least 32.
            int[] query = [.. melody.AsSpan(100, 32), .. Enumerable.Range(0, 32).Select(_ => random.Next(40, 91))];
            int length = index.LongestRun(query).Length;
            Assert.True(length >= 32);
            longest += length;
        }

        double queries = clock.Elapsed.TotalSeconds;
        output.WriteLine($"Verbatim index: {index.NoteCount:N0} notes built in {build:F2} s; 1,000 queries of 64 notes in {queries:F2} s (mean longest {longest / 1000.0:F1})");
        Assert.True(build < 60, $"build took {build:F1} s");
        Assert.True(queries < 10, $"queries took {queries:F1} s");
    }
}
