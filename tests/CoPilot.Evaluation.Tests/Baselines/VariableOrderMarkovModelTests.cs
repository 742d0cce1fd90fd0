using CoPilot.Evaluation.Baselines;
using CsCheck;
using static CoPilot.Evaluation.Tests.Baselines.KneserNeyModelTests;

namespace CoPilot.Evaluation.Tests.Baselines;

public class VariableOrderMarkovModelTests
{
    [Fact]
    public void Probabilities_match_a_hand_computation()
    {
        // Corpus "0 1 0 1 2". Order 0: counts 2, 2, 1, n = 5, u = 3: P0 = (c + 3·⅓)/8 = 3/8, 3/8, 2/8.
        var model = new VariableOrderMarkovModel(1, 3, [[0, 1, 0, 1, 2]], PpmEscape.C);
        Assert.Equal(3.0 / 8, P(model, [2], 0), 12);   // "2" never had a successor: order 0 alone
        Assert.Equal(2.0 / 8, P(model, [2], 2), 12);
        // After "1": 0 once, 2 once, n = 2, u = 2: P = (c + 2·P0)/4.
        Assert.Equal((1 + 0.75) / 4, P(model, [1], 0), 12);
        Assert.Equal(0.75 / 4, P(model, [1], 1), 12);
        Assert.Equal((1 + 0.5) / 4, P(model, [1], 2), 12);
        // At the start: 0 once, n = 1, u = 1.
        Assert.Equal((1 + 0.375) / 2, P(model, [], 0), 12);
        Assert.Equal(0.25 / 2, P(model, [], 2), 12);
        Assert.Equal(1, model.ContextCount(0));
        Assert.Equal(3, model.ContextCount(1)); // start marker, 0 and 1
    }

    [Fact]
    public void Escape_strength_matches_a_hand_computation()
    {
        // β = 2 on "0 1 0 1 2". Order 0: P0 = (c + 2·3·⅓)/(5 + 6) = 4/11, 4/11, 3/11.
        var model = new VariableOrderMarkovModel(1, 3, [[0, 1, 0, 1, 2]]).WithEscape(PpmEscape.C, 2);
        Assert.Equal(2, model.EscapeStrength);
        Assert.Equal(3.0 / 11, P(model, [2], 2), 12);
        // After "1": n = 2, u = 2: P = (c + 4·P0)/6.
        Assert.Equal((1 + (16.0 / 11)) / 6, P(model, [1], 0), 12);
        Assert.Equal(16.0 / 11 / 6, P(model, [1], 1), 12);
        AssertProper(model, [1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.WithEscape(PpmEscape.C, 0));
    }

    [Fact]
    public void Probabilities_are_proper_on_random_corpora()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[0, 12], Gen.Int[0, 1000].Array[1, 200].Array[1, 6], Gen.Int[0, 1000].Array[0, 16], Gen.Int[0, 5])
            .Sample((vocabulary, contextLength, raw, rawContext, escape) =>
            {
                int[][] corpus = [.. raw.Select(s => s.Select(t => t % vocabulary).ToArray())];
                int[] context = [.. rawContext.Select(t => t % vocabulary)];
                var model = new VariableOrderMarkovModel(contextLength, vocabulary, corpus);
                AssertProper(escape == 0 ? model.WithEscape(PpmEscape.D) : model.WithEscape(PpmEscape.C, 1 << (escape - 1)), context);
            });
    }

    [Fact]
    public void A_long_context_sees_a_token_eight_back()
    {
        // "a 1 1 1 1 1 1 1 a": only a context of eight tokens knows which a comes back (hashed contexts).
        var random = new Random(5);
        var corpus = new List<int[]>();
        for (int s = 0; s < 400; s++)
        {
            int a = random.Next(2, 10);
            corpus.Add([random.Next(2, 10), a, 1, 1, 1, 1, 1, 1, 1, a]);
        }

        int[] context = [4, 7, 1, 1, 1, 1, 1, 1, 1];
        var eight = new VariableOrderMarkovModel(8, 10, corpus);
        var seven = new VariableOrderMarkovModel(7, 10, corpus);
        Assert.True(P(eight, context, 7) > 0.9, $"{P(eight, context, 7)}");
        Assert.True(P(seven, context, 7) < 0.2, $"{P(seven, context, 7)}");
        Assert.Equal(8, eight.LongestMatch(context));
    }

    [Fact]
    public void Longest_match_is_the_longest_seen_suffix()
    {
        var model = new VariableOrderMarkovModel(8, 10, [[0, 1, 2, 3]]);
        Assert.Equal(8, model.LongestMatch([0, 1, 2]));   // with its start markers: seen whole
        Assert.Equal(2, model.LongestMatch([9, 1, 2]));   // "1 2" was seen, "9 1 2" was not
        Assert.Equal(0, model.LongestMatch([5]));
    }

    [Fact]
    public void Longer_contexts_predict_a_third_order_process_better()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(20, 200, 300, 0.1, 1);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(20, 20, 300, 0.1, 2);
        double one = TokenScorer.Score(new VariableOrderMarkovModel(1, 20, train), valid).BitsPerToken;
        double three = TokenScorer.Score(new VariableOrderMarkovModel(3, 20, train), valid).BitsPerToken;
        double eight = TokenScorer.Score(new VariableOrderMarkovModel(8, 20, train), valid).BitsPerToken;
        double eightD = TokenScorer.Score(new VariableOrderMarkovModel(8, 20, train, PpmEscape.D), valid).BitsPerToken;
        Assert.True(three < one - 0.5, $"3: {three}, 1: {one}");
        // Past the process's order, contexts seen once or twice are over-trusted (PPM's known weakness on
        // noisy data; measured 2.53 bits with method C, 2.73 with D): the order is tuned on valid for that.
        Assert.True(eight < one, $"8: {eight}, 1: {one}");
        Assert.True(eight < eightD, $"C: {eight}, D: {eightD}");
    }

    [Fact]
    public void A_shortened_view_equals_a_model_built_shorter()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(30, 40, 150, 0.2, 5);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(30, 5, 150, 0.2, 6);
        var full = new VariableOrderMarkovModel(12, 30, train, PpmEscape.D);
        foreach (int length in (int[])[0, 3, 7, 12])
        {
            VariableOrderMarkovModel view = full.WithContextLength(length);
            Assert.Equal(length, view.ContextLength);
            Assert.Equal(PpmEscape.D, view.Escape);
            Assert.Equal(
                TokenScorer.Score(new VariableOrderMarkovModel(length, 30, train, PpmEscape.D), valid).Nats,
                TokenScorer.Score(view, valid).Nats);
        }
    }

    [Fact]
    public void Building_and_scoring_are_deterministic()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(50, 50, 200, 0.3, 3);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(50, 10, 200, 0.3, 4);
        TokenScore first = TokenScorer.Score(new VariableOrderMarkovModel(10, 50, train), valid, 4);
        TokenScore second = TokenScorer.Score(new VariableOrderMarkovModel(10, 50, train), valid, 4);
        Assert.Equal(first.Nats, second.Nats);
    }
}
