using System.Globalization;
using System.Text;

namespace CoPilot.Music;

/// <summary>
/// Counts of key-relative chord n-grams (orders 1-3) over sequences of <em>different</em> chords (a chord is
/// never followed by itself: repeats are collapsed before counting). One instance holds one style.
/// </summary>
/// <remarks>
/// <para>
/// The text form (<see cref="Write"/>, <see cref="Load"/>) is what models/chord-transitions/*.tsv hold: '#'
/// header lines, then one n-gram per line, <c>order TAB chords TAB count</c> with the chords as
/// <see cref="RelativeChord"/> names separated by spaces ("3\tIIm7 V7 I\t812"), sorted by order and then by the
/// chords' indices, so that the same counts always give the same bytes. Trigrams seen fewer than the
/// pruning threshold times are left out to keep the files small; lower orders are complete.
/// </para>
/// <para>Lookups (<see cref="Interpolate"/>) allocate nothing: counts live in flat arrays and one dictionary.</para>
/// </remarks>
public sealed class ChordTransitions
{
    private const int V = RelativeChord.Count;

    private readonly int[] _unigram = new int[V];
    private readonly int[] _bigram = new int[V * V];
    private readonly int[] _bigramContext = new int[V];
    private readonly Dictionary<int, int> _trigram = [];
    private readonly Dictionary<int, int> _trigramContext = [];
    private long _unigramTotal;

    /// <summary>The style name written in the header ("pop", "rock", "jazz").</summary>
    public string Style { get; }

    /// <summary>Number of sequences (songs) counted.</summary>
    public int Sequences { get; private set; }

    public long ChordCount => _unigramTotal;

    public int TrigramCount => _trigram.Count;

    public ChordTransitions(string style)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(style);
        Style = style;
    }

    /// <summary>Counts one song's chords. Consecutive equal chords are collapsed first ("next different chord").</summary>
    public void Add(ReadOnlySpan<RelativeChord> sequence)
    {
        Sequences++;
        int a = -1, b = -1;
        foreach (RelativeChord chord in sequence)
        {
            int c = chord.Index;
            if (c == b)
            {
                continue;
            }

            AddUnigram(c, 1);
            if (b >= 0)
            {
                AddBigram(b, c, 1);
                if (a >= 0)
                {
                    AddTrigram(a, b, c, 1);
                }
            }

            a = b;
            b = c;
        }
    }

    public int Unigram(RelativeChord chord) => _unigram[chord.Index];

    public int Bigram(RelativeChord previous, RelativeChord next) => _bigram[(previous.Index * V) + next.Index];

    public int Trigram(RelativeChord first, RelativeChord previous, RelativeChord next) =>
        _trigram.GetValueOrDefault((((first.Index * V) + previous.Index) * V) + next.Index);

    /// <summary>
    /// Interpolated n-gram probabilities of every next chord after (<paramref name="first"/>,
    /// <paramref name="previous"/>) (indices, -1 when absent): Σ λₙ·count(context, c)/count(context) plus a
    /// uniform floor. The weight of an order whose context was never seen moves to the orders below, in
    /// proportion. The previous chord itself gets 0: the next chord differs by definition. Allocation-free.
    /// </summary>
    public void Interpolate(int first, int previous, in NgramWeights weights, Span<float> probabilities)
    {
        if (probabilities.Length < V)
        {
            throw new ArgumentException($"need {V} slots", nameof(probabilities));
        }

        float w3 = weights.Trigram, w2 = weights.Bigram, w1 = weights.Unigram, w0 = weights.Uniform;
        int trigramContext = first >= 0 && previous >= 0 ? _trigramContext.GetValueOrDefault((first * V) + previous) : 0;
        int bigramContext = previous >= 0 ? _bigramContext[previous] : 0;
        if (trigramContext == 0)
        {
            w3 = 0;
        }

        if (bigramContext == 0)
        {
            w2 = 0;
        }

        if (_unigramTotal == 0)
        {
            w1 = 0;
        }

        float sum = w3 + w2 + w1 + w0;
        if (sum <= 0)
        {
            w0 = sum = 1;
        }

        // Unigram counts include the previous chord, which can never come next: renormalise without it.
        long unigramTotal = _unigramTotal - (previous >= 0 ? _unigram[previous] : 0);
        float s3 = trigramContext > 0 ? w3 / sum / trigramContext : 0;
        float s2 = bigramContext > 0 ? w2 / sum / bigramContext : 0;
        float s1 = unigramTotal > 0 ? w1 / sum / unigramTotal : 0;
        float s0 = w0 / sum / (V - (previous >= 0 ? 1 : 0));
        int trigramBase = (((first * V) + previous) * V);
        int bigramBase = previous * V;
        for (int c = 0; c < V; c++)
        {
            if (c == previous)
            {
                probabilities[c] = 0;
                continue;
            }

            float p = s0 + (s1 * _unigram[c]);
            if (s2 > 0)
            {
                p += s2 * _bigram[bigramBase + c];
            }

            if (s3 > 0 && _trigram.TryGetValue(trigramBase + c, out int n3))
            {
                p += s3 * n3;
            }

            probabilities[c] = p;
        }
    }

    /// <summary>Writes the text form (see remarks); trigrams seen fewer than <paramref name="minTrigramCount"/> times are left out.</summary>
    public void Write(TextWriter writer, int minTrigramCount = 1)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder();
        text.Append("# CoPilot chord transitions: key-relative n-grams of the next different chord (copilot train chords)\n");
        text.Append(CultureInfo.InvariantCulture, $"# style\t{Style}\n");
        text.Append(CultureInfo.InvariantCulture, $"# sequences\t{Sequences}\n");
        text.Append(CultureInfo.InvariantCulture, $"# trigrams seen fewer than {minTrigramCount} times are left out\n");
        for (int c = 0; c < V; c++)
        {
            if (_unigram[c] > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"1\t{RelativeChord.FromIndex(c)}\t{_unigram[c]}\n");
            }
        }

        for (int i = 0; i < V * V; i++)
        {
            if (_bigram[i] > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"2\t{RelativeChord.FromIndex(i / V)} {RelativeChord.FromIndex(i % V)}\t{_bigram[i]}\n");
            }
        }

        var keys = _trigram.Where(kv => kv.Value >= minTrigramCount).Select(kv => kv.Key).ToList();
        keys.Sort();
        foreach (int key in keys)
        {
            text.Append(CultureInfo.InvariantCulture, $"3\t{RelativeChord.FromIndex(key / (V * V))} {RelativeChord.FromIndex(key / V % V)} {RelativeChord.FromIndex(key % V)}\t{_trigram[key]}\n");
        }

        writer.Write(text.ToString());
    }

    /// <summary>The text form as a string (see <see cref="Write"/>).</summary>
    public string ToText(int minTrigramCount = 1)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.NewLine = "\n";
        Write(writer, minTrigramCount);
        return writer.ToString();
    }

    /// <summary>Reads the text form (from an embedded resource, a file, a string). Throws <see cref="FormatException"/> on a malformed line.</summary>
    public static ChordTransitions Load(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ChordTransitions? result = null;
        string style = "unknown";
        int sequences = 0;
        int lineNumber = 0;
        Span<int> tokens = stackalloc int[3];
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                string[] header = line[1..].Trim().Split('\t');
                if (header.Length == 2 && header[0] == "style")
                {
                    style = header[1];
                }
                else if (header.Length == 2 && header[0] == "sequences")
                {
                    sequences = int.Parse(header[1], NumberStyles.None, CultureInfo.InvariantCulture);
                }

                continue;
            }

            result ??= new ChordTransitions(style);
            string[] parts = line.Split('\t');
            if (parts.Length != 3
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int order)
                || order is < 1 or > 3
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                throw new FormatException($"chord transitions line {lineNumber}: expected 'order TAB chords TAB count', got '{line}'");
            }

            string[] names = parts[1].Split(' ');
            if (names.Length != order)
            {
                throw new FormatException($"chord transitions line {lineNumber}: {names.Length} chords for order {order}");
            }

            for (int i = 0; i < order; i++)
            {
                if (!RelativeChord.TryParse(names[i], out RelativeChord chord))
                {
                    throw new FormatException($"chord transitions line {lineNumber}: unknown chord '{names[i]}'");
                }

                tokens[i] = chord.Index;
            }

            switch (order)
            {
                case 1:
                    result.AddUnigram(tokens[0], count);
                    break;
                case 2:
                    result.AddBigram(tokens[0], tokens[1], count);
                    break;
                default:
                    result.AddTrigram(tokens[0], tokens[1], tokens[2], count);
                    break;
            }
        }

        result ??= new ChordTransitions(style);
        result.Sequences = sequences;
        return result;
    }

    private void AddUnigram(int c, int count)
    {
        _unigram[c] += count;
        _unigramTotal += count;
    }

    private void AddBigram(int b, int c, int count)
    {
        _bigram[(b * V) + c] += count;
        _bigramContext[b] += count;
    }

    private void AddTrigram(int a, int b, int c, int count)
    {
        int key = (((a * V) + b) * V) + c;
        _trigram[key] = _trigram.GetValueOrDefault(key) + count;
        int context = (a * V) + b;
        _trigramContext[context] = _trigramContext.GetValueOrDefault(context) + count;
    }
}

/// <summary>Interpolation weights of <see cref="ChordTransitions.Interpolate"/> (they need not sum to 1).</summary>
public readonly record struct NgramWeights(float Trigram, float Bigram, float Unigram, float Uniform);
