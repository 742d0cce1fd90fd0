using CoPilot.Core;
namespace CoPilot.Evaluation.Metrics;

/// <summary>What makes two notes "the same" for originality: the pitch alone, or the pitch and the duration.</summary>
public enum NoteIdentity : byte
{
    Pitch,

    /// <summary>Pitch and duration rounded to 1/12 beat (so a sixteenth and a triplet eighth differ).</summary>
    PitchAndDuration,
}

/// <summary>Notes as integer symbols for verbatim matching.</summary>
public static class NoteSymbols
{
    /// <summary>Durations are compared on a grid of 1/12 beat, capped at 32 beats.</summary>
    public const int DurationTicksPerBeat = 12;

    private const int MaxDurationTicks = 32 * DurationTicksPerBeat;

    /// <summary>The pitch (0-127), or with <see cref="NoteIdentity.PitchAndDuration"/> pitch + 128 × duration ticks.</summary>
    public static int Of(MelodyNote note, NoteIdentity identity)
    {
        int pitch = Math.Clamp(note.Pitch, 0, 127);
        if (identity == NoteIdentity.Pitch)
        {
            return pitch;
        }

        int ticks = (int)Math.Clamp(Math.Round(note.Duration * DurationTicksPerBeat, MidpointRounding.AwayFromZero), 0, MaxDurationTicks);
        return pitch | (ticks << 7);
    }

    public static int[] Of(ReadOnlySpan<MelodyNote> notes, NoteIdentity identity)
    {
        int[] symbols = new int[notes.Length];
        for (int i = 0; i < notes.Length; i++)
        {
            symbols[i] = Of(notes[i], identity);
        }

        return symbols;
    }
}

/// <summary>The longest verbatim run and where it is: <see cref="Length"/> notes from <see cref="Start"/> in the query.</summary>
public readonly record struct VerbatimRun(int Length, int Start);

/// <summary>
/// Originality against a training set: the longest run of consecutive notes of a generated melody that occurs
/// verbatim, in the same order, in some training melody (runs never span two melodies).
/// </summary>
/// <remarks>
/// A suffix array over all training melodies joined by unique separators (built once by prefix doubling,
/// Manber and Myers 1993: O(N log N) per round, one round per doubling of the longest repeat). The longest
/// match starting at each query note narrows the range of suffixes that share the query's prefix one note
/// at a time by binary search, so a query of m notes costs O(m · L · log N) for longest match L: exact (no
/// hashing) and milliseconds per query over a million training notes.
/// </remarks>
public sealed class VerbatimIndex
{
    private readonly int[] _text;
    private readonly int[] _suffixes;

    /// <summary>Indexes <paramref name="melodies"/>, each a sequence of non-negative note symbols (<see cref="NoteSymbols"/>).</summary>
    public VerbatimIndex(IReadOnlyList<int[]> melodies)
    {
        ArgumentNullException.ThrowIfNull(melodies);
        long length = 0;
        foreach (int[] melody in melodies)
        {
            length += melody.Length + 1;
        }

        _text = new int[length];
        int n = 0;
        for (int m = 0; m < melodies.Count; m++)
        {
            foreach (int symbol in melodies[m])
            {
                ArgumentOutOfRangeException.ThrowIfNegative(symbol, nameof(melodies));
                _text[n++] = symbol;
            }

            // A separator of its own per melody: it equals nothing, so no match crosses it.
            _text[n++] = -1 - m;
        }

        _suffixes = BuildSuffixArray(_text);
        NoteCount = n - melodies.Count;
    }

    /// <summary>Training notes indexed.</summary>
    public int NoteCount { get; }

    /// <summary>The longest run of <paramref name="query"/> found verbatim in training (the earliest of equal length; length 0 when no note occurs).</summary>
    public VerbatimRun LongestRun(ReadOnlySpan<int> query)
    {
        var best = new VerbatimRun(0, 0);
        for (int start = 0; start < query.Length; start++)
        {
            if (query.Length - start <= best.Length)
            {
                break;
            }

            int length = LongestMatchAt(query[start..]);
            if (length > best.Length)
            {
                best = new VerbatimRun(length, start);
            }
        }

        return best;
    }

    /// <summary>True when all of <paramref name="run"/> occurs verbatim in training.</summary>
    public bool Contains(ReadOnlySpan<int> run) => LongestMatchAt(run) == run.Length;

    // How many leading symbols of the query some training suffix shares.
    private int LongestMatchAt(ReadOnlySpan<int> query)
    {
        int lo = 0, hi = _suffixes.Length;
        for (int depth = 0; depth < query.Length; depth++)
        {
            int symbol = query[depth];
            // Suffixes in [lo, hi) share `depth` symbols and are sorted by the symbol at `depth`. A query
            // symbol is never negative, and every shared prefix ends before a separator, so text[s + depth]
            // is always in bounds.
            int first = Bound(lo, hi, depth, symbol, upper: false);
            int end = Bound(first, hi, depth, symbol, upper: true);
            if (first == end)
            {
                return depth;
            }

            lo = first;
            hi = end;
        }

        return query.Length;
    }

    private int Bound(int lo, int hi, int depth, int symbol, bool upper)
    {
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            int s = _text[_suffixes[mid] + depth];
            if (s < symbol || (upper && s == symbol))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int[] BuildSuffixArray(int[] text)
    {
        int n = text.Length;
        int[] suffixes = new int[n];
        int[] rank = new int[n];
        ulong[] keys = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            suffixes[i] = i;
            keys[i] = (uint)(text[i] ^ int.MinValue); // order-preserving int → uint
        }

        for (int h = 1; ; h *= 2)
        {
            Array.Sort(keys, suffixes);
            int classes = 0;
            for (int i = 0; i < n; i++)
            {
                if (i > 0 && keys[i] != keys[i - 1])
                {
                    classes++;
                }

                rank[suffixes[i]] = classes;
            }

            if (classes == n - 1 || h >= n)
            {
                return suffixes;
            }

            // Sort by (rank of the first h symbols, rank of the next h), 0 past the end.
            for (int i = 0; i < n; i++)
            {
                suffixes[i] = i;
                keys[i] = ((ulong)rank[i] << 32) | (uint)(i + h < n ? rank[i + h] + 1 : 0);
            }
        }
    }
}

/// <summary>
/// A compact set of every run of exactly <see cref="RunLength"/> consecutive notes in training, for a guard
/// that refuses to play a copied phrase (8 notes by default). Runs of pitches up to nine notes pack exactly
/// into 63 bits (7 bits a pitch); longer runs or durations are keyed by a 64-bit hash, wrong with probability
/// about (distinct runs)²/2^65. Sorted keys, binary search: 8 bytes per distinct run.
/// </summary>
public sealed class NoteRunIndex
{
    private readonly ulong[] _keys;
    private readonly bool _exact;

    public NoteRunIndex(IReadOnlyList<int[]> melodies, int runLength = 8, NoteIdentity identity = NoteIdentity.Pitch)
    {
        ArgumentNullException.ThrowIfNull(melodies);
        ArgumentOutOfRangeException.ThrowIfLessThan(runLength, 1);
        RunLength = runLength;
        _exact = identity == NoteIdentity.Pitch && runLength <= 9;
        var keys = new List<ulong>();
        foreach (int[] melody in melodies)
        {
            for (int i = 0; i + runLength <= melody.Length; i++)
            {
                keys.Add(Key(melody.AsSpan(i, runLength)));
            }
        }

        keys.Sort();
        int distinct = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                keys[distinct++] = keys[i];
            }
        }

        _keys = [.. keys.GetRange(0, distinct)];
    }

    public int RunLength { get; }

    /// <summary>Distinct runs stored.</summary>
    public int Count => _keys.Length;

    /// <summary>True when <paramref name="run"/> (exactly <see cref="RunLength"/> symbols) occurs in training.</summary>
    public bool Contains(ReadOnlySpan<int> run)
    {
        if (run.Length != RunLength)
        {
            throw new ArgumentException($"a run has {RunLength} notes", nameof(run));
        }

        return Array.BinarySearch(_keys, Key(run)) >= 0;
    }

    /// <summary>The start of the first run of <paramref name="melody"/> that occurs in training, or -1.</summary>
    public int FirstCopiedRun(ReadOnlySpan<int> melody)
    {
        for (int i = 0; i + RunLength <= melody.Length; i++)
        {
            if (Contains(melody.Slice(i, RunLength)))
            {
                return i;
            }
        }

        return -1;
    }

    private ulong Key(ReadOnlySpan<int> run)
    {
        ulong key = 0;
        if (_exact)
        {
            foreach (int symbol in run)
            {
                key = (key << 7) | (uint)(symbol & 0x7F);
            }

            return key;
        }

        key = 0x9E3779B97F4A7C15UL;
        foreach (int symbol in run)
        {
            // SplitMix64's finaliser (Steele, Lea and Flood 2014) after each symbol.
            key = SplitMix64.Mix(key ^ (uint)symbol);
        }

        return key;
    }
}
