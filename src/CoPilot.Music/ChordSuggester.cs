namespace CoPilot.Music;

/// <summary>The style whose transition statistics and settings a suggestion uses.</summary>
public enum ChordStyle : byte
{
    Pop,
    Rock,
    Jazz,
    Folk,
    Chorale,
}

/// <summary>One ranked suggestion: the chord (root in the key, the class's representative quality), its key-relative form and its score (a probability).</summary>
public readonly record struct ChordSuggestion(Chord Chord, RelativeChord Relative, float Score);

/// <summary>
/// How <see cref="ChordSuggester"/> weighs its evidence. <see cref="Ngram"/>: the style's interpolated
/// n-gram. <see cref="MemoryStrength"/> κ: the song's own transitions (its history) get weight n/(n+κ), n the
/// number of matching contexts in the history, so a progression the song has already played several times
/// dominates. <see cref="MemoryTrigramWeight"/>: how much more a match of the last two chords counts than a
/// match of the last chord. The rules multiply: <see cref="NonDiatonic"/> for a chord with a tone outside the
/// key (harmonic minor's leading note counts as in the key), <see cref="DominantResolution"/> for the chord a
/// fifth below a dominant seventh (V7 → I, V7/V → V), <see cref="FifthDown"/> for the dominant a fifth below a
/// minor seventh or half-diminished chord (ii → V, iiø → V).
/// </summary>
public readonly record struct ChordSuggesterSettings(
    NgramWeights Ngram,
    float MemoryStrength,
    float MemoryTrigramWeight,
    float NonDiatonic,
    float DominantResolution,
    float FifthDown)
{
    /// <summary>
    /// The defaults per style, chosen on the valid splits (`copilot eval next-chord --sweep`, see
    /// docs/evaluation/next-chord.md): never on test.
    /// </summary>
    public static ChordSuggesterSettings For(ChordStyle style) => style switch
    {
        ChordStyle.Jazz => new(new NgramWeights(0.7f, 0.3f, 0, 0.001f), 2, 9, 0.5f, 1, 2),
        ChordStyle.Rock => new(new NgramWeights(0.6f, 0.4f, 0, 0.001f), 0.5f, 9, 0.5f, 1.5f, 1.1f),
        // Pop's settings also serve folk and chorale until they have statistics of their own.
        _ => new(new NgramWeights(0.6f, 0.4f, 0, 0.001f), 8, 9, 0.5f, 3, 1.1f),
    };
}

/// <summary>
/// Ranks next chords from the recent chord history, the key and the style: the style's learned key-relative
/// n-gram statistics (<see cref="ChordTransitions"/>), mixed with what followed the same chords earlier in
/// the history (songs repeat their progressions), then weighted by theory rules (see
/// <see cref="ChordSuggesterSettings"/>); the current chord is never suggested.
/// </summary>
/// <remarks>
/// [one thread at a time] <see cref="Suggest"/> and <see cref="SuggestRelative"/> allocate nothing: every
/// buffer is allocated in the constructor. Statistics are set before live use (<see cref="SetStatistics"/>).
/// A style without statistics borrows pop's (then any style's); with none at all only the rules and the
/// history rank.
/// </remarks>
public sealed class ChordSuggester
{
    /// <summary>Chords of history looked at (older ones are ignored).</summary>
    public const int MaxHistory = 128;

    private const int V = RelativeChord.Count;
    private const int StyleCount = (int)ChordStyle.Chorale + 1;

    private readonly ChordTransitions?[] _statistics = new ChordTransitions?[StyleCount];
    private readonly ChordSuggesterSettings[] _settings = new ChordSuggesterSettings[StyleCount];
    private readonly float[] _ngram = new float[V];
    private readonly float[] _memory = new float[V];
    private readonly float[] _score = new float[V];
    private readonly int[] _tokens = new int[MaxHistory];
    private readonly int[] _chordMasks = new int[V];

    public ChordSuggester()
    {
        for (int s = 0; s < StyleCount; s++)
        {
            _settings[s] = ChordSuggesterSettings.For((ChordStyle)s);
        }

        for (int c = 0; c < V; c++)
        {
            RelativeChord chord = RelativeChord.FromIndex(c);
            _chordMasks[c] = chord.Class.Representative().Template().Transpose(chord.Degree).Mask;
        }
    }

    /// <summary>Sets the statistics (and optionally the settings) of a style. Not for live use.</summary>
    public void SetStatistics(ChordStyle style, ChordTransitions? statistics, ChordSuggesterSettings? settings = null)
    {
        _statistics[(int)style] = statistics;
        if (settings is { } s)
        {
            _settings[(int)style] = s;
        }
    }

    public ChordSuggesterSettings Settings(ChordStyle style) => _settings[(int)style];

    /// <summary>
    /// Writes the best <c>output.Length</c> next chords after <paramref name="history"/> (oldest first; the last
    /// is the current chord; <see cref="Chord.None"/> entries are skipped and repeats collapsed) in
    /// <paramref name="key"/>, best first, and returns how many were written (0 when the history has no chord).
    /// </summary>
    public int Suggest(ReadOnlySpan<Chord> history, Key key, ChordStyle style, Span<ChordSuggestion> output)
    {
        int count = Relative(history, key.TonicPitchClass);
        if (count == 0)
        {
            return 0;
        }

        return Rank(count, key.Mode, style, key.TonicPitchClass, output);
    }

    /// <summary>As <see cref="Suggest"/> on a key-relative history (the chords of the output are on tonic C).</summary>
    public int SuggestRelative(ReadOnlySpan<RelativeChord> history, Mode mode, ChordStyle style, Span<ChordSuggestion> output)
    {
        int count = 0;
        int start = Math.Max(0, history.Length - (MaxHistory * 2));
        for (int i = start; i < history.Length; i++)
        {
            count = Push(count, history[i].Index);
        }

        return count == 0 ? 0 : Rank(count, mode, style, PitchClass.C, output);
    }

    private int Relative(ReadOnlySpan<Chord> history, PitchClass tonic)
    {
        int count = 0;
        // Collapsing repeats can shorten the history, so look at up to twice the buffer.
        int start = Math.Max(0, history.Length - (MaxHistory * 2));
        for (int i = start; i < history.Length; i++)
        {
            if (RelativeChord.TryFrom(history[i], tonic, out RelativeChord chord))
            {
                count = Push(count, chord.Index);
            }
        }

        return count;
    }

    private int Push(int count, int token)
    {
        if (count > 0 && _tokens[count - 1] == token)
        {
            return count;
        }

        if (count == MaxHistory)
        {
            Array.Copy(_tokens, 1, _tokens, 0, MaxHistory - 1);
            count--;
        }

        _tokens[count] = token;
        return count + 1;
    }

    private int Rank(int count, Mode mode, ChordStyle style, PitchClass tonic, Span<ChordSuggestion> output)
    {
        ChordSuggesterSettings settings = _settings[(int)style];
        ChordTransitions? statistics = _statistics[(int)style] ?? _statistics[(int)ChordStyle.Pop] ?? FirstStatistics();
        int b = _tokens[count - 1];
        int a = count >= 2 ? _tokens[count - 2] : -1;

        if (statistics is not null)
        {
            statistics.Interpolate(a, b, settings.Ngram, _ngram);
        }
        else
        {
            Array.Fill(_ngram, 1f / (V - 1));
            _ngram[b] = 0;
        }

        // The song's own transitions: what followed the current chord (and the two last chords) before.
        Array.Clear(_memory);
        float memoryTotal = 0;
        for (int j = 1; j < count - 1; j++)
        {
            if (_tokens[j - 1] != b)
            {
                continue;
            }

            float weight = 1;
            if (a >= 0 && j >= 2 && _tokens[j - 2] == a)
            {
                weight += settings.MemoryTrigramWeight;
            }

            _memory[_tokens[j]] += weight;
            memoryTotal += weight;
        }

        float mix = memoryTotal > 0 ? memoryTotal / (memoryTotal + settings.MemoryStrength) : 0;
        int scale = mode.Intervals().Mask;
        if (mode.HasMinorThird())
        {
            scale |= 1 << 11; // harmonic minor: V and vii° of a minor key are at home
        }

        RelativeChord current = RelativeChord.FromIndex(b);
        float total = 0;
        for (int c = 0; c < V; c++)
        {
            if (c == b)
            {
                _score[c] = -1.5f; // never chosen: the next chord differs
                continue;
            }

            float p = ((1 - mix) * _ngram[c]) + (memoryTotal > 0 ? mix * _memory[c] / memoryTotal : 0);
            if ((_chordMasks[c] & ~scale) != 0)
            {
                p *= settings.NonDiatonic;
            }

            int motion = MusicMath.Mod((c / ChordClasses.Count) - current.Degree, PitchClass.Count);
            if (motion == 5)
            {
                var next = (ChordClass)(c % ChordClasses.Count);
                if (current.Class == ChordClass.Dominant7 && next is not ChordClass.Diminished and not ChordClass.HalfDiminished7)
                {
                    p *= settings.DominantResolution;
                }
                else if (current.Class is ChordClass.Minor7 or ChordClass.HalfDiminished7 && next is ChordClass.Dominant7 or ChordClass.Major or ChordClass.Suspended)
                {
                    p *= settings.FifthDown;
                }
            }

            _score[c] = p;
            total += p;
        }

        int k = Math.Min(output.Length, V - 1);
        for (int r = 0; r < k; r++)
        {
            int best = -1;
            float bestScore = -1;
            for (int c = 0; c < V; c++)
            {
                // Ties go to the lower index (the tonic side, the plainer class): deterministic.
                if (_score[c] > bestScore)
                {
                    best = c;
                    bestScore = _score[c];
                }
            }

            RelativeChord chosen = RelativeChord.FromIndex(best);
            output[r] = new ChordSuggestion(chosen.ToChord(tonic), chosen, total > 0 ? bestScore / total : 0);
            _score[best] = -2;
        }

        return k;
    }

    private ChordTransitions? FirstStatistics()
    {
        foreach (ChordTransitions? statistics in _statistics)
        {
            if (statistics is not null)
            {
                return statistics;
            }
        }

        return null;
    }
}
