namespace CoPilot.Evaluation.Baselines;

/// <summary>What a model needs of one context in one lookup: its pairs' range, its total, a model-specific weight.</summary>
internal struct ContextEntry
{
    /// <summary>Where the context's pairs begin in <see cref="CountTable.Keys"/>.</summary>
    public int Start;

    /// <summary>Where they end (exclusive); End − Start is the number of distinct tokens seen after the context.</summary>
    public int End;

    /// <summary>The sum of the counts of the context's pairs.</summary>
    public long Total;

    /// <summary>Set by the model that owns the table (Kneser-Ney: the back-off weight γ).</summary>
    public double Weight;

    public readonly int Distinct => End - Start;
}

/// <summary>
/// Counts of (context, token) pairs for one order, as sorted flat arrays: a pair's key is
/// <c>context &lt;&lt; 10 | token</c>, so the pairs of one context lie side by side, sorted by token.
/// </summary>
/// <remarks>
/// Built by sorting one key per occurrence and counting runs: for millions of tokens that is several times
/// faster, and a fraction of the memory, of a dictionary per n-gram. A context is found through a
/// <see cref="KeyIndex"/>, a token within its context by binary search over at most V entries. A context's
/// figures sit in one <see cref="ContextEntry"/>: tables of millions of n-grams do not fit in the cache, and
/// each separate array would cost one more memory access per lookup.
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
        Contexts = new ContextEntry[contexts];
        int c = -1;
        for (int i = 0; i < keys.Length; i++)
        {
            ulong context = keys[i] >> TokenWindow.Bits;
            if (c < 0 || context != contextKeys[c])
            {
                c++;
                contextKeys[c] = context;
                Contexts[c].Start = i;
            }

            Contexts[c].End = i + 1;
            Contexts[c].Total += counts[i];
        }

        _contexts = new KeyIndex(contextKeys);
    }

    /// <summary>Distinct pair keys, ascending.</summary>
    public ulong[] Keys { get; }

    /// <summary>The count of each pair in <see cref="Keys"/>.</summary>
    public int[] Counts { get; }

    public ContextEntry[] Contexts { get; }

    public int ContextCount => Contexts.Length;

    /// <summary>
    /// Counts the runs of equal keys among <c>keys[0..length)</c>, which are sorted here in place
    /// (<paramref name="buffer"/>, as long, is scratch).
    /// </summary>
    public static CountTable FromOccurrences(ulong[] keys, ulong[] buffer, int length)
    {
        RadixSort.Sort(keys, buffer, length);
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

    /// <summary>How often <paramref name="token"/> followed the context <paramref name="entry"/> (key <paramref name="contextKey"/>).</summary>
    public int Count(in ContextEntry entry, ulong contextKey, int token)
    {
        int index = Array.BinarySearch(Keys, entry.Start, entry.End - entry.Start, (contextKey << TokenWindow.Bits) | (uint)token);
        return index >= 0 ? Counts[index] : 0;
    }

    /// <summary>The token of pair <paramref name="index"/>.</summary>
    public int Token(int index) => (int)(Keys[index] & ((1UL << TokenWindow.Bits) - 1));
}
