using CoPilot.Core;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Music;

namespace CoPilot.Inference.Accompaniment;

/// <summary>
/// The accompanists' song memory: the model's hidden state at each chord chosen, with the chord, in a
/// <see cref="ContinuousCache"/> over root × quality, and the mixture the chord is then drawn from:
/// P(root, quality) = (1 − λ)·P_model(root)·P_model(quality | root) + λ·P_cache(root, quality), the root from its
/// marginal and the quality from its conditional.
/// </summary>
/// <remarks>
/// <para>Songs repeat their sections, and the model alone does not look back to see what came at the same moment
/// before (docs/evaluation/model.md: next-chord top-3 rises by 12 to 15 points with the cache). When the tune
/// comes round again the chords follow, even past the model's context window.</para>
/// <para>A decision is <see cref="Roots"/>, then <see cref="Qualities"/> for the root drawn, then
/// <see cref="Remember"/> for the chord placed. Both return scores on the log scale, which
/// <see cref="ChordLogits.Draw"/> takes as logits. [one thread] Allocation-free after the constructor.</para>
/// </remarks>
public sealed class ChordMemory
{
    private const int Labels = PitchClass.Count * ChordQualities.Count;

    private readonly ContinuousCache _cache;
    private readonly float[] _hidden;
    private readonly double[] _cached = new double[Labels];
    private readonly double[] _rootModel = new double[PitchClass.Count];
    private readonly double[] _qualityModel = new double[ChordQualities.Count];
    private readonly float[] _rootScores = new float[PitchClass.Count];
    private readonly float[] _qualityScores = new float[ChordQualities.Count];
    private bool _remembers;

    /// <param name="dim">The length of the model's hidden state.</param>
    public ChordMemory(int dim)
    {
        _cache = new ContinuousCache(dim, Labels);
        _hidden = new float[dim];
    }

    /// <summary>Chords remembered.</summary>
    public int Count => _cache.Count;

    /// <summary>Forgets the song.</summary>
    public void Clear() => _cache.Clear();

    /// <summary>
    /// Scores for the root at the moment <paramref name="hidden"/> (the model's state where it gave
    /// <paramref name="rootLogits"/>), the chord <paramref name="sounding"/> (<see cref="Chord.None"/>: none) left
    /// out of the memory's vote. Without a memory of this song yet, the model's own logits.
    /// </summary>
    public ReadOnlySpan<float> Roots(ReadOnlySpan<float> hidden, ReadOnlySpan<float> rootLogits, Chord sounding)
    {
        hidden.CopyTo(_hidden);
        Logits.Softmax(rootLogits, _rootModel);
        _remembers = _cache.Distribution(_hidden, _cached, sounding.IsNone ? -1 : Label(sounding.Root.Value, sounding.Quality));
        if (!_remembers)
        {
            return rootLogits;
        }

        float lambda = _cache.Lambda;
        for (int r = 0; r < PitchClass.Count; r++)
        {
            double remembered = 0;
            for (int q = 0; q < ChordQualities.Count; q++)
            {
                remembered += _cached[Label(r, (ChordQuality)q)];
            }

            _rootScores[r] = (float)Math.Log(((1 - lambda) * _rootModel[r]) + (lambda * remembered));
        }

        return _rootScores;
    }

    /// <summary>Scores for the quality after <paramref name="root"/>, given the model's <paramref name="qualityLogits"/> there.</summary>
    public ReadOnlySpan<float> Qualities(int root, ReadOnlySpan<float> qualityLogits)
    {
        if (!_remembers)
        {
            return qualityLogits;
        }

        Logits.Softmax(qualityLogits, _qualityModel);
        float lambda = _cache.Lambda;
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            double p = ((1 - lambda) * _rootModel[root] * _qualityModel[q]) + (lambda * _cached[Label(root, (ChordQuality)q)]);
            _qualityScores[q] = (float)Math.Log(p);
        }

        return _qualityScores;
    }

    /// <summary>Remembers the chord placed at the moment last given to <see cref="Roots"/>.</summary>
    public void Remember(int root, ChordQuality quality) => _cache.Add(_hidden, Label(root, quality));

    private static int Label(int root, ChordQuality quality) => (root * ChordQualities.Count) + (int)quality;
}
