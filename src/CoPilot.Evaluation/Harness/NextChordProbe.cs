using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Metrics;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Harness;

/// <summary>One point of <see cref="NextChordProbe.SweepCache"/>.</summary>
public sealed record CacheSweepPoint(float Theta, float Lambda, double Top1, double Top3);

/// <summary>Next-different-chord accuracy of the model, and of the chord n-gram on the very same chord changes.</summary>
/// <param name="Changes">Chord changes scored: a chord whose key-relative class differs from the one before, in a known key.</param>
/// <param name="CacheTop1">The model with its continuous cache over the song's earlier changes (<see cref="ContinuousCache"/>).</param>
public sealed record NextChordResult(int Songs, long Changes, double ModelTop1, double ModelTop3, double? BaselineTop1, double? BaselineTop3, double CacheTop1 = double.NaN, double CacheTop3 = double.NaN);

/// <summary>
/// Ranks the next different chord with the transformer, in the terms of the chord n-gram
/// (<see cref="ChordTransitionBaseline"/>): 108 key-relative chords, degree × <see cref="ChordClass"/>.
/// </summary>
/// <remarks>
/// <para>
/// The model reads a song's chord-view tokens up to the position where the next chord starts, so it knows
/// <em>when</em> the chord changes, as the plugin does when it asks for the chord of the coming bar. It writes a
/// chord as a root token then a quality token; the probability of a key-relative chord is the sum over the
/// roots and qualities that name it of P(root | chord here) · P(quality | root), read by peeking past each of
/// the 12 roots (<see cref="SequenceReader.Peek"/>). The chord that is already sounding is not a
/// candidate: the question is what it changes to.
/// </para>
/// <para>
/// <b>With the cache.</b> The model's final hidden state where each earlier change of the song was predicted,
/// with the chord it changed to, goes into a <see cref="ContinuousCache"/> (cleared per song); the cache's
/// distribution is mixed with the model's (the sounding chord left out of both) at weight λ, as the live
/// accompanist does. Both rankings are reported.
/// </para>
/// <para>
/// The n-gram, given, is scored on the same changes with the same exclusion, which only helps it; the report
/// also carries its own figures on its own progressions (<see cref="BaselineEvaluation"/>).
/// </para>
/// <para>[one thread at a time] The decoder is not thread-safe.</para>
/// </remarks>
public sealed class NextChordProbe(OnnxDecoder decoder)
{
    private const int Roots = PitchClass.Count;
    private const int Qualities = ChordQualities.Count;

    private readonly SequenceReader _reader = new(decoder ?? throw new ArgumentNullException(nameof(decoder)));
    private readonly double[] _model = new double[RelativeChord.Count];
    private readonly float[] _baseline = new float[RelativeChord.Count];
    private readonly double[] _baselineScores = new double[RelativeChord.Count];
    private readonly double[] _roots = new double[Roots];
    private readonly double[] _qualities = new double[Qualities];
    private readonly double[] _remembered = new double[RelativeChord.Count];
    private readonly double[] _mixed = new double[RelativeChord.Count];
    private readonly ContinuousCache _cache = new(decoder.Info.Dim, RelativeChord.Count);

    private delegate void ChangeVisitor(ReadOnlySpan<float> logits, int tonic, RelativeChord? before, RelativeChord sounding, RelativeChord target);

    public NextChordResult Run(IReadOnlyList<int[]> sequences, ChordTransitionBaseline? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var model = new TopKAccuracy(3);
        var cached = new TopKAccuracy(3);
        TopKAccuracy? reference = baseline is null ? null : new TopKAccuracy(3);
        foreach (int[] sequence in sequences)
        {
            _cache.Clear();
            Walk(sequence, (logits, tonic, before, sounding, target) =>
            {
                model.Add(RankByModel(logits, tonic, sounding, target));
                cached.Add(RankWithCache(_cache, _cache.Lambda, sounding, target));
                _cache.Add(_reader.Hidden, target.Index);
                if (baseline is not null && reference is not null)
                {
                    reference.Add(RankByBaseline(baseline, before, sounding, target));
                }
            });
        }

        return new NextChordResult(
            sequences.Count,
            model.Count,
            model.Accuracy(1).Value,
            model.Accuracy(3).Value,
            reference?.Accuracy(1).Value,
            reference?.Accuracy(3).Value,
            cached.Accuracy(1).Value,
            cached.Accuracy(3).Value);
    }

    /// <summary>
    /// Top-1 and top-3 with the cache at every θ × λ of a grid: how <see cref="ContinuousCache.DefaultTheta"/> and
    /// <see cref="ContinuousCache.DefaultLambda"/> were chosen. Give it valid songs only.
    /// </summary>
    public IReadOnlyList<CacheSweepPoint> SweepCache(IReadOnlyList<int[]> sequences, IReadOnlyList<float> thetas, IReadOnlyList<float> lambdas)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(thetas);
        ArgumentNullException.ThrowIfNull(lambdas);
        ContinuousCache[] caches = [.. thetas.Select(theta => new ContinuousCache(decoder.Info.Dim, RelativeChord.Count) { Theta = theta })];
        TopKAccuracy[,] scores = new TopKAccuracy[thetas.Count, lambdas.Count];
        for (int t = 0; t < thetas.Count; t++)
        {
            for (int l = 0; l < lambdas.Count; l++)
            {
                scores[t, l] = new TopKAccuracy(3);
            }
        }

        foreach (int[] sequence in sequences)
        {
            foreach (ContinuousCache cache in caches)
            {
                cache.Clear();
            }

            Walk(sequence, (logits, tonic, _, sounding, target) =>
            {
                RankByModel(logits, tonic, sounding, target);
                for (int t = 0; t < caches.Length; t++)
                {
                    for (int l = 0; l < lambdas.Count; l++)
                    {
                        scores[t, l].Add(RankWithCache(caches[t], lambdas[l], sounding, target));
                    }

                    caches[t].Add(_reader.Hidden, target.Index);
                }
            });
        }

        var points = new List<CacheSweepPoint>();
        for (int t = 0; t < thetas.Count; t++)
        {
            for (int l = 0; l < lambdas.Count; l++)
            {
                points.Add(new CacheSweepPoint(thetas[t], lambdas[l], scores[t, l].Accuracy(1).Value, scores[t, l].Accuracy(3).Value));
            }
        }

        return points;
    }

    // Reads one song and calls `visit` at every scored change, with the logits predicting it; the reader's hidden
    // state is the one those logits were read from.
    private void Walk(int[] sequence, ChangeVisitor visit)
    {
        _reader.Reset();
        int tonic = -1;
        (int Root, ChordClass Class)? current = null, previous = null;
        for (int j = 0; j < sequence.Length; j++)
        {
            int token = sequence[j];
            if (Vocabulary.IsKey(token))
            {
                tonic = Key.FromIndex(token - Vocabulary.KeyBase).TonicPitchClass.Value;
            }
            else if (token == Vocabulary.KeyUnknown)
            {
                tonic = -1;
            }

            if (!Vocabulary.IsChordRoot(token) || j + 1 >= sequence.Length || !Vocabulary.IsChordQuality(sequence[j + 1]))
            {
                continue;
            }

            var next = (Root: token - Vocabulary.ChordRootBase, Class: ChordClasses.Of((ChordQuality)(sequence[j + 1] - Vocabulary.ChordQualityBase)));
            if (current is { } now && next != now)
            {
                if (tonic >= 0)
                {
                    ReadOnlySpan<float> logits = _reader.ReadTo(sequence, j);
                    RelativeChord? before = previous is { } p ? Relative(p, tonic) : null;
                    visit(logits, tonic, before, Relative(now, tonic), Relative(next, tonic));
                }

                previous = now;
            }

            current = next;
        }
    }

    private int RankByModel(ReadOnlySpan<float> logits, int tonic, RelativeChord sounding, RelativeChord target)
    {
        Logits.Softmax(logits.Slice(Vocabulary.ChordRootBase, Roots), _roots);
        Array.Clear(_model);
        for (int root = 0; root < Roots; root++)
        {
            // The peek leaves the logits read so far as they were.
            Logits.Softmax(_reader.Peek(Vocabulary.ChordRootBase + root).Slice(Vocabulary.ChordQualityBase, Qualities), _qualities);
            int degree = (root - tonic + Roots) % Roots;
            for (int q = 0; q < Qualities; q++)
            {
                _model[new RelativeChord(degree, ChordClasses.Of((ChordQuality)q)).Index] += _roots[root] * _qualities[q];
            }
        }

        _model[sounding.Index] = double.NegativeInfinity;
        return Ranking.RankOf(_model, target.Index);
    }

    // The model's ranking (in _model, the sounding chord at minus infinity) mixed with the cache's at `lambda`.
    private int RankWithCache(ContinuousCache cache, float lambda, RelativeChord sounding, RelativeChord target)
    {
        if (!cache.Distribution(_reader.Hidden, _remembered, sounding.Index))
        {
            return Ranking.RankOf(_model, target.Index);
        }

        double total = 0;
        for (int c = 0; c < _model.Length; c++)
        {
            total += c == sounding.Index ? 0 : _model[c];
        }

        for (int c = 0; c < _model.Length; c++)
        {
            _mixed[c] = c == sounding.Index
                ? double.NegativeInfinity
                : ((1 - lambda) * _model[c] / total) + (lambda * _remembered[c]);
        }

        return Ranking.RankOf(_mixed, target.Index);
    }

    private int RankByBaseline(ChordTransitionBaseline baseline, RelativeChord? before, RelativeChord sounding, RelativeChord target)
    {
        baseline.Predict(before, sounding, _baseline);
        for (int c = 0; c < _baseline.Length; c++)
        {
            _baselineScores[c] = _baseline[c];
        }

        _baselineScores[sounding.Index] = double.NegativeInfinity;
        return Ranking.RankOf(_baselineScores, target.Index);
    }

    private static RelativeChord Relative((int Root, ChordClass Class) chord, int tonic) =>
        new((chord.Root - tonic + Roots) % Roots, chord.Class);
}
