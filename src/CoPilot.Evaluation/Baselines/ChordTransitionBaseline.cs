using CoPilot.Evaluation.Metrics;
using CoPilot.Music;

namespace CoPilot.Evaluation.Baselines;

/// <summary>A song's chords with the key in force at each (the same length).</summary>
public sealed record ChordProgression(IReadOnlyList<Chord> Chords, IReadOnlyList<Key> Keys);

/// <summary>
/// The chord-transition baseline: an interpolated trigram over key-relative chords predicting the next
/// <em>different</em> chord (<see cref="ChordTransitions.Interpolate"/>, the statistics issue 5 ships), with
/// weights tuned on valid by top-1 plus top-3 accuracy.
/// </summary>
/// <remarks>
/// A prediction at chord i relativises chords i−1, i and i+1 to the key in force at chord i, as
/// CoPilot.Cli's NextChordEvaluation does, so the figures are comparable; it is right when the next chord's
/// degree and <see cref="ChordClass"/> are ranked first (top-1) or among the first three (top-3).
/// </remarks>
public sealed class ChordTransitionBaseline(ChordTransitions transitions, NgramWeights weights)
{
    private const int V = RelativeChord.Count;

    public ChordTransitions Transitions { get; } = transitions ?? throw new ArgumentNullException(nameof(transitions));

    public NgramWeights Weights { get; } = weights;

    /// <summary>Counts the train songs' transitions (repeats collapsed) under the key in force at each chord.</summary>
    public static ChordTransitions Train(IEnumerable<ChordProgression> songs, string style)
    {
        ArgumentNullException.ThrowIfNull(songs);
        var transitions = new ChordTransitions(style);
        var relative = new List<RelativeChord>();
        foreach (ChordProgression song in songs)
        {
            relative.Clear();
            for (int i = 0; i < song.Chords.Count; i++)
            {
                if (RelativeChord.TryFrom(song.Chords[i], song.Keys[i].TonicPitchClass, out RelativeChord chord))
                {
                    relative.Add(chord);
                }
            }

            transitions.Add(relative.ToArray());
        }

        return transitions;
    }

    /// <summary>The weight grid searched on valid: trigram and bigram in tenths (the rest to the unigram), three uniform floors.</summary>
    public static IEnumerable<NgramWeights> Grid()
    {
        for (int t = 0; t <= 10; t++)
        {
            for (int b = 0; t + b <= 10; b++)
            {
                foreach (float uniform in (float[])[0.001f, 0.01f, 0.05f])
                {
                    yield return new NgramWeights(t / 10f, b / 10f, (10 - t - b) / 10f, uniform);
                }
            }
        }
    }

    /// <summary>The grid's weights with the best top-1 + top-3 accuracy on <paramref name="valid"/> (the first best on ties).</summary>
    public static ChordTransitionBaseline Tune(ChordTransitions transitions, IReadOnlyList<ChordProgression> valid)
    {
        ChordTransitionBaseline? best = null;
        double bestObjective = double.NegativeInfinity;
        foreach (NgramWeights weights in Grid())
        {
            var candidate = new ChordTransitionBaseline(transitions, weights);
            TopKAccuracy accuracy = candidate.Evaluate(valid);
            double objective = accuracy.Accuracy(1).Value + accuracy.Accuracy(3).Value;
            if (objective > bestObjective + 1e-12)
            {
                best = candidate;
                bestObjective = objective;
            }
        }

        return best ?? new ChordTransitionBaseline(transitions, Grid().First());
    }

    /// <summary>P(next different chord | previous, current) for all 108 key-relative chords; <paramref name="previous"/> may be null.</summary>
    public void Predict(RelativeChord? previous, RelativeChord current, Span<float> probabilities) =>
        Transitions.Interpolate(previous?.Index ?? -1, current.Index, Weights, probabilities);

    /// <summary>The best <c>best.Length</c> next chords, best first (ties to the lower index).</summary>
    public int TopK(RelativeChord? previous, RelativeChord current, Span<RelativeChord> best)
    {
        Span<float> p = stackalloc float[V];
        Span<double> scores = stackalloc double[V];
        Span<int> indices = stackalloc int[Math.Min(best.Length, V)];
        Predict(previous, current, p);
        for (int c = 0; c < V; c++)
        {
            scores[c] = p[c];
        }

        int n = Ranking.TopK(scores, indices);
        for (int i = 0; i < n; i++)
        {
            best[i] = RelativeChord.FromIndex(indices[i]);
        }

        return n;
    }

    /// <summary>Top-1 to top-5 accuracy of the next different chord over every chord change of <paramref name="songs"/>.</summary>
    public TopKAccuracy Evaluate(IEnumerable<ChordProgression> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        var accuracy = new TopKAccuracy(5);
        Span<float> p = stackalloc float[V];
        foreach (ChordProgression song in songs)
        {
            for (int i = 0; i + 1 < song.Chords.Count; i++)
            {
                PitchClass tonic = song.Keys[i].TonicPitchClass;
                if (!RelativeChord.TryFrom(song.Chords[i], tonic, out RelativeChord current)
                    || !RelativeChord.TryFrom(song.Chords[i + 1], tonic, out RelativeChord next)
                    || next == current)
                {
                    continue;
                }

                RelativeChord? previous = null;
                for (int j = i - 1; j >= 0; j--)
                {
                    if (RelativeChord.TryFrom(song.Chords[j], tonic, out RelativeChord before) && before != current)
                    {
                        previous = before;
                        break;
                    }
                }

                Predict(previous, current, p);
                accuracy.Add(Ranking.RankOf(p, next.Index));
            }
        }

        return accuracy;
    }
}
