namespace CoPilot.Evaluation.Baselines;

/// <summary>
/// Counts of (context, token) pairs for one order, as sorted flat arrays: a pair's key is
/// <c>context &lt;&lt; 10 | token</c>, so the pairs of one context lie side by side, sorted by token.
/// </summary>
/// <remarks>
/// Built by sorting one key per occurrence and counting runs: for millions of tokens that is several times
/// faster, and a fraction of the memory, of a dictionary per n-gram. A context is found through a
/// <see cref="KeyIndex"/>, a token within its context by binary search over at most V entries.
/// </remarks>
internal sealed class CountTable
{
    private readonly KeyIndex _contexts;

    private CountTable(ulong[] keys, int[] counts)
    {
        Keys = keys;
        Counts = counts;
        int contexts = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            if (i == 0 || (keys[i] >> TokenWindow.Bits) != (keys[i - 1] >> TokenWindow.Bits))
            {
                contexts++;
            }
        }

        var contextKeys = new ulong[contexts];
        ContextStart = new int[contexts + 1];
        ContextTotal = new long[contexts];
        int c = -1;
        for (int i = 0; i < keys.Length; i++)
        {
            ulong context = keys[i] >> TokenWindow.Bits;
            if (c < 0 || context != contextKeys[c])
            {
                c++;
                contextKeys[c] = context;
                ContextStart[c] = i;
            }

            ContextTotal[c] += counts[i];
        }

        ContextStart[contexts] = keys.Length;
        _contexts = new KeyIndex(contextKeys);
    }

    /// <summary>Distinct pair keys, ascending.</summary>
    public ulong[] Keys { get; }

    /// <summary>The count of each pair in <see cref="Keys"/>.</summary>
    public int[] Counts { get; }

    /// <summary>Where each context's pairs begin in <see cref="Keys"/>; one extra entry holds the end.</summary>
    public int[] ContextStart { get; }

    /// <summary>The sum of the counts of each context's pairs.</summary>
    public long[] ContextTotal { get; }

    public int ContextCount => ContextTotal.Length;

    /// <summary>Counts the runs of equal keys in <paramref name="keys"/> (sorted here, in place; its order is lost).</summary>
    public static CountTable FromOccurrences(ulong[] keys, int length)
    {
        Array.Sort(keys, 0, length);
        int distinct = 0;
        for (int i = 0; i < length; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                distinct++;
            }
        }

        var unique = new ulong[distinct];
        int[] counts = new int[distinct];
        int d = -1;
        for (int i = 0; i < length; i++)
        {
            if (d < 0 || keys[i] != unique[d])
            {
                d++;
                unique[d] = keys[i];
            }

            counts[d]++;
        }

        return new CountTable(unique, counts);
    }

    /// <summary>The index of the context with key <paramref name="context"/>, or -1 when it was never seen.</summary>
    public int FindContext(ulong context) => _contexts.Find(context);

    /// <summary>How often <paramref name="token"/> followed context <paramref name="context"/> (an index from <see cref="FindContext"/>).</summary>
    public int Count(int context, ulong contextKey, int token)
    {
        int start = ContextStart[context];
        int index = Array.BinarySearch(Keys, start, ContextStart[context + 1] - start, (contextKey << TokenWindow.Bits) | (uint)token);
        return index >= 0 ? Counts[index] : 0;
    }

    /// <summary>The token of pair <paramref name="index"/>.</summary>
    public int Token(int index) => (int)(Keys[index] & ((1UL << TokenWindow.Bits) - 1));
}
