using CoPilot.Core;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Sampling;

/// <summary>
/// A model double over the full vocabulary: counts positions as a decoder does and asks the subclass for the
/// logits after each read (which may depend on <see cref="Position"/>). Allocation-free when the subclass is.
/// </summary>
internal abstract class FakeLogitsSource(int contextLength = 4096) : ILogitsSource
{
    public int VocabSize => Vocabulary.Size;

    public int ContextLength => contextLength;

    public int Position { get; private set; }

    public ReadOnlySpan<float> Hidden => [];

    public void Reset() => Position = 0;

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
    {
        Position += tokens.Length;
        return Logits();
    }

    public ReadOnlySpan<float> Step(int token)
    {
        Position++;
        return Logits();
    }

    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    /// <summary>The logits after the tokens read so far (<see cref="Position"/> of them).</summary>
    protected abstract ReadOnlySpan<float> Logits();
}

/// <summary>Random logits (uniform in [-4, 4)) from a seeded generator: a model with no opinion. Allocation-free.</summary>
internal sealed class RandomLogits(ulong seed, int contextLength = 4096) : FakeLogitsSource(contextLength)
{
    private readonly float[] _logits = new float[Vocabulary.Size];
    private SplitMix64 _random = new(seed);

    protected override ReadOnlySpan<float> Logits()
    {
        for (int i = 0; i < _logits.Length; i++)
        {
            _logits[i] = (_random.NextFloat() * 8) - 4;
        }

        return _logits;
    }
}

/// <summary>
/// A model that memorised one sequence: at position i it wants token i of it (logit 10); every other token
/// scores lower the further its id is from that one, so when the wanted token is refused the sampler falls back
/// to its neighbour (the next pitch up or down, for a pitch).
/// </summary>
internal sealed class MemorisingLogits(int[] memorised) : FakeLogitsSource
{
    private readonly float[] _logits = new float[Vocabulary.Size];

    protected override ReadOnlySpan<float> Logits()
    {
        int wanted = Position < memorised.Length ? memorised[Position] : Vocabulary.Eos;
        for (int i = 0; i < _logits.Length; i++)
        {
            // Ties (one id above and one below) go to the lower pitch through the small id term.
            _logits[i] = i == wanted ? 10 : (-0.01f * Math.Abs(i - wanted)) - (0.0001f * i);
        }

        return _logits;
    }
}
