using System.Globalization;

namespace CoPilot.Evaluation.Baselines;

/// <summary>One setting of a baseline and its score on valid.</summary>
public sealed record TunedCandidate(string Name, ITokenModel Model, TokenScore Valid);

/// <summary>
/// Trains the token baselines on train and picks their settings by NLL on valid (never on test): the
/// Kneser-Ney order among 3-6, the variable-order model's context length and escape strength. Each search
/// trains once: the orders share tables, and context length and escape are views of one set of counts.
/// </summary>
public static class BaselineTuning
{
    /// <summary>
    /// Context lengths tried for the variable-order model (the longest is built: about 0.45 GB per million
    /// train tokens at 12; POP909's full view has 5.2 million).
    /// </summary>
    public static IReadOnlyList<int> ContextLengths { get; } = [4, 6, 8, 12];

    /// <summary>
    /// Escape strengths β tried (method C). On POP909 (full view, valid) β = 1, plain PPM-C, gave 4.23 bits
    /// per token at 12 tokens of context and β = 16 gave 3.25: contexts seen a few times must pass most of
    /// their mass down. The chord-only views chose 32, the edge of the first grid, hence 64.
    /// </summary>
    public static IReadOnlyList<double> EscapeStrengths { get; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>Kneser-Ney of orders 3 to 6 scored on valid, best (lowest NLL, the lower order on ties) first.</summary>
    public static List<TunedCandidate> KneserNey(IReadOnlyList<int[]> train, IReadOnlyList<int[]> valid, int vocabularySize, int prefixLength = 0)
    {
        var candidates = new List<TunedCandidate>();
        foreach (KneserNeyModel model in KneserNeyModel.TrainOrders(3, KneserNeyModel.MaxOrder, vocabularySize, train))
        {
            candidates.Add(new TunedCandidate($"Kneser-Ney {model.Order}-gram", model, TokenScorer.Score(model, valid, prefixLength)));
        }

        return Ranked(candidates);
    }

    /// <summary>The variable-order model over <see cref="ContextLengths"/> × <see cref="EscapeStrengths"/> scored on valid, best first.</summary>
    public static List<TunedCandidate> VariableOrder(IReadOnlyList<int[]> train, IReadOnlyList<int[]> valid, int vocabularySize, int prefixLength = 0)
    {
        int longest = 0;
        foreach (int length in ContextLengths)
        {
            longest = Math.Max(longest, length);
        }

        var full = new VariableOrderMarkovModel(longest, vocabularySize, train);
        var candidates = new List<TunedCandidate>();
        foreach (int length in ContextLengths)
        {
            foreach (double strength in EscapeStrengths)
            {
                VariableOrderMarkovModel model = full.WithContextLength(length).WithEscape(PpmEscape.C, strength);
                string name = string.Create(CultureInfo.InvariantCulture, $"Variable-order Markov, {length} tokens, PPM-C β={strength}");
                candidates.Add(new TunedCandidate(name, model, TokenScorer.Score(model, valid, prefixLength)));
            }
        }

        return Ranked(candidates);
    }

    // Stable: among equal scores the earlier (simpler) candidate stays first.
    private static List<TunedCandidate> Ranked(List<TunedCandidate> candidates)
    {
        var order = new int[candidates.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int byScore = candidates[a].Valid.Nats.CompareTo(candidates[b].Valid.Nats);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
        var ranked = new List<TunedCandidate>(order.Length);
        foreach (int i in order)
        {
            ranked.Add(candidates[i]);
        }

        return ranked;
    }
}
