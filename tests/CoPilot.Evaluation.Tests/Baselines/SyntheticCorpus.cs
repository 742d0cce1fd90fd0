namespace CoPilot.Evaluation.Tests.Baselines;

/// <summary>Token corpora with known structure for the model tests.</summary>
internal static class SyntheticCorpus
{
    /// <summary>
    /// Sequences where a token is the one before it plus 1 (mod V) half the time, otherwise a function of the
    /// three before it ((a + 3b + 7c) mod V), except for a share <paramref name="noise"/> of random tokens: a
    /// bigram model sees the first rule, only a model with three tokens of context sees the second.
    /// </summary>
    public static List<int[]> ThirdOrder(int vocabulary, int sequences, int length, double noise, int seed)
    {
        var random = new Random(seed);
        var corpus = new List<int[]>();
        for (int s = 0; s < sequences; s++)
        {
            int[] tokens = new int[length];
            for (int i = 0; i < length; i++)
            {
                double u = random.NextDouble();
                tokens[i] = i < 3 || u < noise
                    ? random.Next(vocabulary)
                    : u < noise + ((1 - noise) / 2)
                        ? (tokens[i - 1] + 1) % vocabulary
                        : (tokens[i - 1] + (3 * tokens[i - 2]) + (7 * tokens[i - 3])) % vocabulary;
            }

            corpus.Add(tokens);
        }

        return corpus;
    }
}
