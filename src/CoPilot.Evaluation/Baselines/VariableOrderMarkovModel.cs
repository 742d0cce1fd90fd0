using CoPilot.Core;
namespace CoPilot.Evaluation.Baselines;

/// <summary>
/// A Continuator-style variable-order Markov model (Pachet 2003, "The Continuator: musical interaction with
/// style"): every context from 0 to <see cref="ContextLength"/> tokens is indexed, and the longest one that
/// occurred in training dominates the prediction, falling back to shorter ones where it has little evidence.
/// </summary>
/// <remarks>
/// <para>
/// Pachet samples from the longest matching context and gives no probabilities. Here the orders are blended
/// with a PPM escape estimate, without exclusion (<see cref="PpmEscape"/>): with c(h) the occurrences of
/// context h, u(h) the distinct tokens seen after it and h′ the context one token shorter, method C
/// (Moffat 1990) gives P_k(w | h) = (c(hw) + u(h)·P_{k−1}(w | h′)) / (c(h) + u(h)), which is Witten-Bell
/// interpolation (Chen and Goodman 1998, §2.5); method D (Howard 1993) gives
/// P_k(w | h) = (max(c(hw) − ½, 0) + ½·u(h)·P_{k−1}(w | h′)) / c(h), absolute discounting by one half.
/// Method C takes an escape strength β that multiplies u(h) (<see cref="WithEscape"/>), tuned on valid: plain
/// PPM-C trusts a long context seen once or twice far too much on real token data. Below
/// order 0 is the uniform 1/V, so no probability is 0. Orders longer than the longest matching context
/// contribute nothing: their contexts were never seen.
/// </para>
/// <para>
/// A context seen exactly as often as its one-token-shorter suffix occurs only where that suffix occurs, so
/// the same tokens followed it: blending it in again would count one piece of evidence at every length (a
/// passage seen once would gain confidence with each extra token of context). Such a context is skipped,
/// as a compacted suffix tree keeps only the contexts where the continuations branch.
/// </para>
/// <para>
/// Contexts of up to five tokens are packed exactly (<see cref="TokenWindow"/>); longer ones are keyed by a
/// 54-bit hash, as KenLM keys n-grams by hashes (Heafield 2011). With m distinct contexts of one order a
/// collision happens with probability about m²/2^55: about 0.3 % for ten million contexts, and it merges
/// the statistics of two long contexts. Sequences are padded with begin-of-sequence markers.
/// </para>
/// </remarks>
public sealed class VariableOrderMarkovModel : ITokenModel
{
    public const int MaxContextLength = 32;

    private const int ExactTokens = 5;
    private const int Marker = TokenWindow.MaxVocabulary;

    // Index k holds contexts of k tokens.
    private readonly CountTable[] _tables;
    private readonly double _uniform;
    private readonly double _symbolDiscount;
    private readonly double _escapeWeight;
    private readonly double _totalEscape;

    /// <summary>Indexes every context of up to <paramref name="contextLength"/> tokens in <paramref name="sequences"/>.</summary>
    /// <param name="escapeStrength">β of method C (see <see cref="WithEscape"/>); ignored by method D.</param>
    public VariableOrderMarkovModel(int contextLength, int vocabularySize, IReadOnlyList<int[]> sequences, PpmEscape escape = PpmEscape.C, double escapeStrength = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contextLength, MaxContextLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vocabularySize, TokenWindow.MaxVocabulary);
        ArgumentNullException.ThrowIfNull(sequences);
        ContextLength = contextLength;
        VocabularySize = vocabularySize;
        Escape = escape;
        EscapeStrength = escapeStrength;
        (_symbolDiscount, _escapeWeight, _totalEscape) = EscapeTerms(escape, escapeStrength);
        _uniform = 1.0 / vocabularySize;

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
        _tables = new CountTable[contextLength + 1];
        for (int k = 0; k <= contextLength; k++)
        {
            int n = 0;
            foreach (int[] sequence in sequences)
            {
                ulong window = TokenWindow.Start;
                for (int i = 0; i < sequence.Length; i++)
                {
                    keys[n++] = (ContextKey(window, sequence.AsSpan(0, i), k) << TokenWindow.Bits) | (uint)sequence[i];
                    window = TokenWindow.Push(window, sequence[i]);
                }
            }

            _tables[k] = CountTable.FromOccurrences(keys, buffer, n);
        }
    }

    private VariableOrderMarkovModel(VariableOrderMarkovModel other, int contextLength, PpmEscape escape, double escapeStrength)
    {
        _tables = other._tables[..(contextLength + 1)];
        _uniform = other._uniform;
        (_symbolDiscount, _escapeWeight, _totalEscape) = EscapeTerms(escape, escapeStrength);
        VocabularySize = other.VocabularySize;
        Escape = escape;
        EscapeStrength = escapeStrength;
        ContextLength = contextLength;
    }

    public int VocabularySize { get; }

    public int ContextLength { get; }

    public PpmEscape Escape { get; }

    /// <summary>β of method C: 1 is PPM-C; larger values pass more mass to shorter contexts.</summary>
    public double EscapeStrength { get; }

    /// <summary>
    /// The same model looking at most <paramref name="contextLength"/> tokens back, sharing this one's tables:
    /// the orders are counted independently, so it equals a model built with that length (tuning needs one build).
    /// </summary>
    public VariableOrderMarkovModel WithContextLength(int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contextLength, ContextLength);
        return new VariableOrderMarkovModel(this, contextLength, Escape, EscapeStrength);
    }

    /// <summary>
    /// The same counts blended with another escape: method C with strength β gives
    /// P_k(w | h) = (c(hw) + β·u(h)·P_{k−1}) / (c(h) + β·u(h)), which with β = 1 is PPM-C; above 1 it trusts
    /// contexts seen a few times less (a token seen after a long context once or twice often does not follow it
    /// again). The counts do not depend on the escape, so tuning it needs no rebuild.
    /// </summary>
    public VariableOrderMarkovModel WithEscape(PpmEscape escape, double escapeStrength = 1) =>
        new(this, ContextLength, escape, escapeStrength);

    // Method C: (c + β·u·P) / (n + β·u). Method D: (c − ½ + ½u·P) / n. Both as (c − d + e·u·P) / (n + f·u).
    private static (double SymbolDiscount, double EscapeWeight, double TotalEscape) EscapeTerms(PpmEscape escape, double strength)
    {
        if (!(strength > 0) || double.IsInfinity(strength))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), "the escape strength must be positive and finite");
        }

        return escape == PpmEscape.C ? (0.0, strength, strength) : (0.5, 0.5, 0.0);
    }

    /// <summary>Number of distinct contexts of <paramref name="length"/> tokens seen in training.</summary>
    public int ContextCount(int length) => _tables[length].ContextCount;

    /// <summary>The longest suffix of <paramref name="context"/> seen in training (its length in tokens, at most <see cref="ContextLength"/>).</summary>
    public int LongestMatch(ReadOnlySpan<int> context)
    {
        int longest = -1;
        ulong window = TokenWindow.Of(context);
        for (int k = 0; k <= ContextLength; k++)
        {
            if (_tables[k].FindContext(ContextKey(window, context, k)) < 0)
            {
                break;
            }

            longest = k;
        }

        return longest;
    }

    public double LogProbability(ReadOnlySpan<int> context, int token)
    {
        if ((uint)token >= (uint)VocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(token));
        }

        double p = _uniform;
        long shorterTotal = -1;
        ulong window = TokenWindow.Of(context);
        for (int k = 0; k <= ContextLength; k++)
        {
            ulong contextKey = ContextKey(window, context, k);
            CountTable table = _tables[k];
            int c = table.FindContext(contextKey);
            if (c < 0)
            {
                // A context never seen has no longer extension that was seen.
                break;
            }

            ref readonly ContextEntry entry = ref table.Contexts[c];
            if (entry.Total == shorterTotal)
            {
                // Seen exactly where its shorter suffix was seen: the same evidence (see remarks).
                continue;
            }

            shorterTotal = entry.Total;
            double distinct = entry.Distinct;
            int count = table.Count(entry, contextKey, token);
            double seen = count > 0 ? count - _symbolDiscount : 0;
            p = (seen + (_escapeWeight * distinct * p)) / (entry.Total + (_totalEscape * distinct));
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
        long shorterTotal = -1;
        ulong window = TokenWindow.Of(context);
        for (int k = 0; k <= ContextLength; k++)
        {
            ulong contextKey = ContextKey(window, context, k);
            CountTable table = _tables[k];
            int c = table.FindContext(contextKey);
            if (c < 0)
            {
                break;
            }

            ref readonly ContextEntry entry = ref table.Contexts[c];
            if (entry.Total == shorterTotal)
            {
                continue;
            }

            shorterTotal = entry.Total;
            double inverse = 1.0 / (entry.Total + (_totalEscape * entry.Distinct));
            double escape = _escapeWeight * entry.Distinct * inverse;
            for (int x = 0; x < v; x++)
            {
                p[x] *= escape;
            }

            for (int i = entry.Start; i < entry.End; i++)
            {
                p[table.Token(i)] += (table.Counts[i] - _symbolDiscount) * inverse;
            }
        }
    }

    /// <summary>
    /// The key of the last <paramref name="length"/> tokens of <paramref name="history"/> (markers before its
    /// start): exact up to five tokens, a 54-bit hash beyond (see remarks). Both fit below 2^54, so a pair key
    /// (context &lt;&lt; 10 | token) fits a <see cref="ulong"/>.
    /// </summary>
    /// <param name="window">The last six tokens of <paramref name="history"/> (<see cref="TokenWindow.Of"/>).</param>
    private static ulong ContextKey(ulong window, ReadOnlySpan<int> history, int length)
    {
        if (length <= ExactTokens)
        {
            return window & TokenWindow.Mask(length);
        }

        ulong hash = SplitMix64.Mix(window + 0x9E3779B97F4A7C15UL);
        for (int back = TokenWindow.MaxTokens + 1; back <= length; back++)
        {
            int i = history.Length - back;
            int token = i >= 0 ? history[i] : Marker;
            hash = SplitMix64.Mix(hash ^ ((ulong)token * 0xD6E8FEB86659FD93UL));
        }

        return hash >> TokenWindow.Bits;
    }
}

/// <summary>How a PPM context passes probability to the next shorter one (see <see cref="VariableOrderMarkovModel"/>).</summary>
public enum PpmEscape : byte
{
    /// <summary>Moffat 1990: escape u/(n + u), symbol c/(n + u) (Witten-Bell).</summary>
    C,

    /// <summary>Howard 1993: escape u/(2n), symbol (c − ½)/n.</summary>
    D,
}
