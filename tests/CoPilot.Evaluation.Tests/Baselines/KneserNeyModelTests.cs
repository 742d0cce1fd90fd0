using CoPilot.Evaluation.Baselines;
using CsCheck;

namespace CoPilot.Evaluation.Tests.Baselines;

public class KneserNeyModelTests
{
    [Fact]
    public void Bigram_probabilities_match_a_hand_computation()
    {
        // Corpus "0 1 0 1 2", padded: bigrams (B,0) (0,1)×2 (1,0) (1,2); continuation counts 0:2 1:1 2:1.
        // Order 2: n1 = 3, n2 = 1, Y = 3/5, D1 = 1 − 2·0.6/3 = 0.6, D2 = 2 (n3 = 0).
        // Order 1: n1 = 2, n2 = 1, Y = 1/2, D1 = 1 − 2·0.5/2 = 0.5, D2 = 2; γ = (0.5·2 + 2·1)/4 = 3/4.
        // P1(0) = 0 + 0.75/3 = 0.25, P1(1) = P1(2) = 0.5/4 + 0.25 = 0.375.
        var model = new KneserNeyModel(2, 3, [[0, 1, 0, 1, 2]]);
        Assert.Equal(0.6, model.Discount(2, 1), 12);
        Assert.Equal(2.0, model.Discount(2, 2), 12);
        Assert.Equal(0.5, model.Discount(1, 1), 12);
        Assert.Equal(2.0, model.Discount(1, 2), 12);

        // After "1": (1,0) and (1,2) once each, total 2, γ = 0.6·2/2 = 0.6.
        Assert.Equal(0.35, P(model, [1], 0), 12);     // 0.4/2 + 0.6·0.25
        Assert.Equal(0.225, P(model, [1], 1), 12);    // 0.6·0.375
        Assert.Equal(0.425, P(model, [1], 2), 12);    // 0.2 + 0.6·0.375
        // At the start: (B,0) once, γ = 0.6.
        Assert.Equal(0.55, P(model, [], 0), 12);      // 0.4 + 0.6·0.25
        Assert.Equal(0.225, P(model, [], 2), 12);
        // "2" was never followed by anything: the unigram level alone.
        Assert.Equal(0.25, P(model, [2], 0), 12);
        Assert.Equal(0.375, P(model, [0, 2], 1), 12);
        // Only the last token matters to a bigram model.
        Assert.Equal(P(model, [1], 2), P(model, [2, 0, 1], 2), 15);
    }

    [Fact]
    public void Discounts_follow_the_counts_of_counts()
    {
        // Unigram counts 1, 1, 2, 3, 4, 1 (token 6 unseen): n1 = 3, n2 = n3 = n4 = 1, Y = 3/5.
        int[] tokens = [0, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5];
        var model = new KneserNeyModel(1, 7, [tokens]);
        Assert.Equal(1 - (2 * 0.6 / 3), model.Discount(1, 1), 12);
        Assert.Equal(2 - (3 * 0.6), model.Discount(1, 2), 12);
        Assert.Equal(3 - (4 * 0.6), model.Discount(1, 3), 12);
        Assert.Equal(model.Discount(1, 3), model.Discount(1, 4), 15);

        // γ = (0.6·3 + 0.2·1 + 0.6·2) / 12; the unseen token gets γ/7, token 4 gets (4 − 0.6)/12 + γ/7.
        double gamma = ((0.6 * 3) + 0.2 + (0.6 * 2)) / 12;
        Assert.Equal(gamma / 7, P(model, [], 6), 12);
        Assert.Equal((3.4 / 12) + (gamma / 7), P(model, [], 4), 12);
    }

    [Fact]
    public void Probabilities_are_proper_on_random_corpora()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 6], Gen.Int[0, 1000].Array[1, 200].Array[1, 6], Gen.Int[0, 1000].Array[0, 8])
            .Sample((vocabulary, order, raw, rawContext) =>
            {
                int[][] corpus = [.. raw.Select(s => s.Select(t => t % vocabulary).ToArray())];
                int[] context = [.. rawContext.Select(t => t % vocabulary)];
                var model = new KneserNeyModel(order, vocabulary, corpus);
                AssertProper(model, context);
            });
    }

    [Fact]
    public void Higher_orders_predict_a_third_order_process_better()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(20, 200, 300, 0.1, 1);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(20, 20, 300, 0.1, 2);
        double[] bits = new double[5];
        for (int order = 1; order <= 4; order++)
        {
            bits[order] = TokenScorer.Score(new KneserNeyModel(order, 20, train), valid).BitsPerToken;
        }

        // The bigram sees the "+1" rule, the 4-gram also the third-order one; the trigram adds nothing real.
        Assert.True(bits[2] < bits[1] - 0.5, $"2: {bits[2]}, 1: {bits[1]}");
        Assert.True(bits[3] < bits[2] + 0.1, $"3: {bits[3]}, 2: {bits[2]}");
        Assert.True(bits[4] < bits[3] - 0.5, $"4: {bits[4]}, 3: {bits[3]}");
        // Best possible: two rules of 45 % each plus 10 % noise over 20 tokens ≈ 1.5 bits.
        Assert.InRange(bits[4], 1.4, 2.0);
    }

    [Fact]
    public void Building_and_scoring_are_deterministic()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(50, 50, 200, 0.3, 3);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(50, 10, 200, 0.3, 4);
        TokenScore first = TokenScorer.Score(new KneserNeyModel(5, 50, train), valid, 4);
        TokenScore second = TokenScorer.Score(new KneserNeyModel(5, 50, train), valid, 4);
        Assert.Equal(first.Nats, second.Nats);
        Assert.Equal(10 * 196, first.Tokens);
    }

    [Fact]
    public void Orders_trained_together_equal_orders_trained_alone()
    {
        List<int[]> train = SyntheticCorpus.ThirdOrder(30, 40, 150, 0.2, 5);
        List<int[]> valid = SyntheticCorpus.ThirdOrder(30, 5, 150, 0.2, 6);
        KneserNeyModel[] family = KneserNeyModel.TrainOrders(2, 6, 30, train);
        Assert.Equal(5, family.Length);
        for (int order = 2; order <= 6; order++)
        {
            var alone = new KneserNeyModel(order, 30, train);
            Assert.Equal(order, family[order - 2].Order);
            Assert.Equal(TokenScorer.Score(alone, valid).Nats, TokenScorer.Score(family[order - 2], valid).Nats);
        }
    }

    [Fact]
    public void Without_training_data_every_token_is_equally_likely()
    {
        var kn = new KneserNeyModel(4, 5, []);
        var vom = new VariableOrderMarkovModel(8, 5, [[]]);
        foreach (ITokenModel model in (ITokenModel[])[kn, vom])
        {
            Assert.Equal(0.2, P(model, [1, 2, 3], 4), 15);
            AssertProper(model, []);
        }
    }

    [Fact]
    public void Rejects_tokens_outside_the_vocabulary()
    {
        Assert.Throws<ArgumentException>(() => new KneserNeyModel(3, 4, [[0, 4]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KneserNeyModel(7, 4, [[0]]));
        var model = new KneserNeyModel(3, 4, [[0, 1, 2, 3]]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.LogProbability([0], 4));
    }

    internal static double P(ITokenModel model, int[] context, int token) => Math.Exp(model.LogProbability(context, token));

    internal static void AssertProper(ITokenModel model, ReadOnlySpan<int> context)
    {
        double[] p = new double[model.VocabularySize];
        model.Distribution(context, p);
        double sum = 0;
        for (int x = 0; x < p.Length; x++)
        {
            Assert.True(p[x] > 0, $"P({x}) = {p[x]}");
            Assert.Equal(Math.Log(p[x]), model.LogProbability(context, x), 9);
            sum += p[x];
        }

        Assert.Equal(1.0, sum, 9);
    }
}
