using CoPilot.Evaluation.Metrics;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Harness;

/// <summary>How well the model predicts a song's chord roots the first and the second time it reads them.</summary>
/// <param name="Roots">Chord roots predicted in each reading.</param>
public sealed record RepeatResult(int Songs, long Roots, double FirstTop1, double SecondTop1, double FirstProbability, double SecondProbability)
{
    /// <summary>How much of what it missed the first time the model gets right the second: 0 remembers nothing, 1 everything.</summary>
    public double Recall => FirstTop1 >= 1 ? 1 : (SecondTop1 - FirstTop1) / (1 - FirstTop1);
}

/// <summary>
/// Measures whether the model remembers what it has read: each song's opening (at most
/// <see cref="MaxSectionTokens"/> tokens, cut at a bar line) is written twice, as a repeat sign would have it,
/// and the model predicts every chord root of both readings.
/// </summary>
/// <remarks>
/// Songs come round to their progressions again: verses, choruses, the A sections of a standard. The chord
/// n-gram gains 15 to 25 points of next-chord top-3 from a memory of the song's own transitions (music.md), so a
/// model that reads the whole song should gain at least as much. A model that remembers predicts the second
/// reading almost perfectly; one that only knows what usually follows does as well as the first time.
/// [one thread at a time] The decoder is not thread-safe.
/// </remarks>
public sealed class RepeatProbe(OnnxDecoder decoder)
{
    /// <summary>The longest opening repeated: both readings fit a context of 256 tokens.</summary>
    public const int MaxSectionTokens = 120;

    private readonly SequenceReader _reader = new(decoder ?? throw new ArgumentNullException(nameof(decoder)));
    private readonly double[] _roots = new double[PitchClass.Count];

    /// <summary>Probes every sequence (header, then bars) that has a chord and a bar line to cut at.</summary>
    public RepeatResult Run(IReadOnlyList<int[]> sequences, int headerLength = TokenTrack.HeaderLength)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int songs = 0;
        long roots = 0;
        Span<long> top1 = stackalloc long[2];
        Span<double> probability = stackalloc double[2];
        foreach (int[] sequence in sequences)
        {
            int[]? repeated = Repeated(sequence, headerLength, out int second);
            if (repeated is null)
            {
                continue;
            }

            songs++;
            _reader.Reset();
            for (int j = headerLength + 1; j < repeated.Length; j++)
            {
                if (!Vocabulary.IsChordRoot(repeated[j]))
                {
                    continue;
                }

                int reading = j >= second ? 1 : 0;
                roots += 1 - reading;
                Logits.Softmax(_reader.ReadTo(repeated, j).Slice(Vocabulary.ChordRootBase, _roots.Length), _roots);
                int target = repeated[j] - Vocabulary.ChordRootBase;
                probability[reading] += _roots[target];
                top1[reading] += Ranking.RankOf(_roots, target) == 0 ? 1 : 0;
            }
        }

        return roots == 0
            ? new RepeatResult(songs, 0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new RepeatResult(songs, roots, (double)top1[0] / roots, (double)top1[1] / roots, probability[0] / roots, probability[1] / roots);
    }

    /// <summary>Header, opening, opening again; null when the opening has no chord or no bar line to end at.</summary>
    public static int[]? Repeated(ReadOnlySpan<int> sequence, int headerLength, out int secondReadingStart)
    {
        secondReadingStart = -1;
        int end = Math.Min(sequence.Length, headerLength + MaxSectionTokens);
        int cut = -1;
        for (int i = end - 1; i > headerLength; i--)
        {
            if (sequence[i] == Vocabulary.Bar)
            {
                cut = i;
                break;
            }
        }

        if (cut < 0 || sequence[headerLength] != Vocabulary.Bar || !HasChord(sequence[headerLength..cut]))
        {
            return null;
        }

        ReadOnlySpan<int> header = sequence[..headerLength], opening = sequence[headerLength..cut];
        secondReadingStart = headerLength + opening.Length;
        return [.. header, .. opening, .. opening];
    }

    private static bool HasChord(ReadOnlySpan<int> tokens)
    {
        foreach (int token in tokens)
        {
            if (Vocabulary.IsChordRoot(token))
            {
                return true;
            }
        }

        return false;
    }
}
