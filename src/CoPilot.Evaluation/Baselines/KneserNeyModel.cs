namespace CoPilot.Evaluation.Baselines;

/// <summary>
/// Interpolated modified Kneser-Ney n-gram model (Chen and Goodman 1998, "An empirical study of smoothing
/// techniques for language modeling", section 3 and equation 17), orders 1 to 6.
/// </summary>
/// <remarks>
/// <para>
/// P_k(w | h) = max(c(hw) − D_k(c(hw)), 0) / Σ_v c(hv) + γ_k(h) · P_{k−1}(w | h′), where h′ drops h's oldest
/// token and γ_k(h) = (D_k1·N1(h•) + D_k2·N2(h•) + D_k3+·N3+(h•)) / Σ_v c(hv) is exactly the mass the
/// discounts took. At the highest order c is the raw count; at lower orders it is the continuation count
/// N1+(•hw), the number of distinct tokens seen before hw. Below order 1 is the uniform distribution 1/V,
/// so no token ever gets probability 0. A context never seen at order k leaves P_k = P_{k−1}.
/// </para>
/// <para>
/// Each order has three discounts from its counts of counts n1…n4 (Chen and Goodman eq. 26):
/// Y = n1/(n1 + 2n2), D1 = 1 − 2Y·n2/n1, D2 = 2 − 3Y·n3/n2, D3+ = 3 − 4Y·n4/n3. On tiny or degenerate
/// corpora (an nᵢ of 0, a negative result) a discount falls back to Y or is clamped into [0.01, i], so that
/// every seen context still passes some mass down.
/// </para>
/// <para>
/// Sequences are padded on the left with n−1 begin-of-sequence markers (as SRILM and KenLM pad with
/// &lt;s&gt;), so every position has a full history and the opening of a song is learned as an opening.
/// An n-gram is packed exactly into a <see cref="ulong"/> (<see cref="TokenWindow"/>): no hash collisions.
/// </para>
/// <para>
/// <see cref="TrainOrders"/> builds several orders at once: the continuation counts of order k are the same
/// in every model of a higher order, so only the top order's raw counts are counted per model.
/// </para>
/// </remarks>
public sealed class KneserNeyModel : ITokenModel
{
    public const int MaxOrder = TokenWindow.MaxTokens;

    private const double MinDiscount = 0.01;

    // Index k − 1 holds order k: continuation counts below the top order, raw counts at it.
    private readonly CountTable[] _tables;
    private readonly double[][] _discounts;
    private readonly double _uniform;

    /// <summary>Counts every n-gram of <paramref name="sequences"/> (tokens 0..V−1) and fixes the discounts.</summary>
    public KneserNeyModel(int order, int vocabularySize, IReadOnlyList<int[]> sequences)
        : this(TrainOrders(order, order, vocabularySize, sequences)[0])
    {
    }

    private KneserNeyModel(KneserNeyModel other)
    {
        Order = other.Order;
        VocabularySize = other.VocabularySize;
        _tables = other._tables;
        _discounts = other._discounts;
        _uniform = other._uniform;
    }

    private KneserNeyModel(int order, int vocabularySize, CountTable[] tables, double[][] discounts)
    {
        Order = order;
        VocabularySize = vocabularySize;
        _tables = tables;
        _discounts = discounts;
        _uniform = 1.0 / vocabularySize;
    }

    public int Order { get; }

    public int VocabularySize { get; }

    public int ContextLength => Order - 1;

    /// <summary>
    /// Models of every order from <paramref name="minOrder"/> to <paramref name="maxOrder"/> (index 0 is
    /// <paramref name="minOrder"/>), sharing their lower-order tables: each is the model the constructor builds.
    /// </summary>
    public static KneserNeyModel[] TrainOrders(int minOrder, int maxOrder, int vocabularySize, IReadOnlyList<int[]> sequences)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minOrder, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxOrder, MaxOrder);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minOrder, maxOrder);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vocabularySize, TokenWindow.MaxVocabulary);
        ArgumentNullException.ThrowIfNull(sequences);

        long total = 0;
        foreach (int[] sequence in sequences)
        {
            foreach (int token in sequence)
            {
                if ((uint)token >= (uint)vocabularySize)
                {
                    throw new ArgumentException($"token {token} is outside the vocabulary of {vocabularySize}", nameof(sequences));
                }
            }

            total += sequence.Length;
        }

        var keys = new ulong[total];
        var buffer = new ulong[total];
        var raw = new CountTable[maxOrder + 1];
        for (int n = maxOrder; n >= minOrder; n--)
        {
            int count = 0;
            ulong mask = TokenWindow.Mask(n);
            foreach (int[] sequence in sequences)
            {
                ulong window = TokenWindow.Start;
                foreach (int token in sequence)
                {
                    window = TokenWindow.Push(window, token);
                    keys[count++] = window & mask;
                }
            }

            raw[n] = CountTable.FromOccurrences(keys, buffer, count);
        }

        // Continuation counts: each distinct (k+1)-gram is one distinct left extension of its k-token suffix.
        var continuation = new CountTable[maxOrder];
        for (int k = maxOrder - 1; k >= 1; k--)
        {
            ulong[] higher = k == maxOrder - 1 ? raw[maxOrder].Keys : continuation[k + 1].Keys;
            ulong suffix = TokenWindow.Mask(k);
            for (int i = 0; i < higher.Length; i++)
            {
                keys[i] = higher[i] & suffix;
            }

            continuation[k] = CountTable.FromOccurrences(keys, buffer, higher.Length);
        }

        var rawDiscounts = new double[maxOrder + 1][];
        for (int n = minOrder; n <= maxOrder; n++)
        {
            rawDiscounts[n] = Discounts(raw[n]);
        }

        var continuationDiscounts = new double[maxOrder][];
        for (int k = 1; k < maxOrder; k++)
        {
            continuationDiscounts[k] = Discounts(continuation[k]);
        }

        var models = new KneserNeyModel[maxOrder - minOrder + 1];
        for (int n = minOrder; n <= maxOrder; n++)
        {
            var tables = new CountTable[n];
            var discounts = new double[n][];
            for (int k = 1; k < n; k++)
            {
                tables[k - 1] = continuation[k];
                discounts[k - 1] = continuationDiscounts[k];
            }

            tables[n - 1] = raw[n];
            discounts[n - 1] = rawDiscounts[n];
            models[n - minOrder] = new KneserNeyModel(n, vocabularySize, tables, discounts);
        }

        return models;
    }

    /// <summary>Number of distinct n-grams of order <paramref name="order"/> (1..<see cref="Order"/>).</summary>
    public int NgramCount(int order) => _tables[order - 1].Keys.Length;

    /// <summary>The discount of order <paramref name="order"/> for an n-gram seen <paramref name="count"/> times (3 and more share D3+).</summary>
    public double Discount(int order, int count) => _discounts[order - 1][Math.Min(count, 3)];

    public double LogProbability(ReadOnlySpan<int> context, int token)
    {
        if ((uint)token >= (uint)VocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(token));
        }

        ulong window = TokenWindow.Of(context);
        double p = _uniform;
        for (int k = 1; k <= Order; k++)
        {
            ulong contextKey = window & TokenWindow.Mask(k - 1);
            CountTable table = _tables[k - 1];
            int c = table.FindContext(contextKey);
            if (c < 0)
            {
                // A context unseen at order k is unseen at every higher order too.
                break;
            }

            ref readonly ContextEntry entry = ref table.Contexts[c];
            int count = table.Count(entry, contextKey, token);
            double discounted = count > 0 ? count - _discounts[k - 1][Math.Min(count, 3)] : 0;
            p = (discounted / entry.Total) + (entry.Weight * p);
        }

        return Math.Log(p);
    }

    public void Distribution(ReadOnlySpan<int> context, Span<double> probabilities)
    {
        int v = VocabularySize;
        if (probabilities.Length < v)
        {
            throw new ArgumentException($"need {v} slots", nameof(probabilities));
        }

        Span<double> p = probabilities[..v];
        p.Fill(_uniform);
        ulong window = TokenWindow.Of(context);
        for (int k = 1; k <= Order; k++)
        {
            ulong contextKey = window & TokenWindow.Mask(k - 1);
            CountTable table = _tables[k - 1];
            int c = table.FindContext(contextKey);
            if (c < 0)
            {
                break;
            }

            ref readonly ContextEntry entry = ref table.Contexts[c];
            double inverse = 1.0 / entry.Total;
            double[] discounts = _discounts[k - 1];
            double gamma = entry.Weight;
            for (int x = 0; x < v; x++)
            {
                p[x] *= gamma;
            }

            for (int i = entry.Start; i < entry.End; i++)
            {
                int count = table.Counts[i];
                p[table.Token(i)] += (count - discounts[Math.Min(count, 3)]) * inverse;
            }
        }
    }

    // Index 0 is unused (a zero count takes no discount); 1, 2 and 3 are D1, D2, D3+. Also stores each
    // context's back-off weight γ: the mass its discounts took, over its total.
    private static double[] Discounts(CountTable table)
    {
        long n1 = 0, n2 = 0, n3 = 0, n4 = 0;
        foreach (int count in table.Counts)
        {
            switch (count)
            {
                case 1:
                    n1++;
                    break;
                case 2:
                    n2++;
                    break;
                case 3:
                    n3++;
                    break;
                case 4:
                    n4++;
                    break;
                default:
                    break;
            }
        }

        double y = n1 + (2 * n2) > 0 ? (double)n1 / (n1 + (2 * n2)) : 0.5;
        double d1 = n1 > 0 ? 1 - (2 * y * n2 / n1) : y;
        double d2 = n2 > 0 ? 2 - (3 * y * n3 / n2) : y;
        double d3 = n3 > 0 ? 3 - (4 * y * n4 / n3) : y;
        double[] discounts = [0, Math.Clamp(d1, MinDiscount, 1), Math.Clamp(d2, MinDiscount, 2), Math.Clamp(d3, MinDiscount, 3)];

        // Each D_i is at most i, so no discounted count goes below 0 and γ is exactly the mass taken.
        for (int c = 0; c < table.ContextCount; c++)
        {
            ref ContextEntry entry = ref table.Contexts[c];
            double taken = 0;
            for (int i = entry.Start; i < entry.End; i++)
            {
                taken += discounts[Math.Min(table.Counts[i], 3)];
            }

            entry.Weight = taken / entry.Total;
        }

        return discounts;
    }
}
