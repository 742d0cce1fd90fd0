using CoPilot.Evaluation.Baselines;
using CoPilot.Inference.Onnx;

namespace CoPilot.Evaluation.Harness;

/// <summary>
/// The exported transformer seen as an <see cref="ITokenModel"/>, so the harness scores and samples it exactly
/// as it does the n-gram baselines.
/// </summary>
/// <remarks>
/// <para>
/// The decoder keeps a KV cache, so the adapter remembers which tokens it holds: a context that extends the
/// previous one by one token costs one decode step. Any other context, or a full cache, re-reads the
/// context's tail (all of it when it fits, else the last half of the model's context), so every prediction
/// sees at least half a context of history once a sequence outgrows the window.
/// </para>
/// <para>[one thread at a time] The decoder is not thread-safe; use one adapter per thread.</para>
/// </remarks>
public sealed class OnnxTokenModel(OnnxDecoder decoder) : ITokenModel
{
    private readonly OnnxDecoder _decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
    private readonly int[] _held = new int[decoder.ContextLength];
    private readonly float[] _logits = new float[decoder.VocabSize];
    private int _heldCount;

    public int VocabularySize => _decoder.VocabSize;

    /// <summary>The window the model sees (one token less than its positions: the next token needs one).</summary>
    public int ContextLength => _decoder.ContextLength - 1;

    public void Distribution(ReadOnlySpan<int> context, Span<double> probabilities)
    {
        Read(context);
        Logits.Softmax(_logits, probabilities);
    }

    public double LogProbability(ReadOnlySpan<int> context, int token)
    {
        Read(context);
        return Logits.LogSoftmax(_logits, token);
    }

    // Leaves in _logits the prediction after the context.
    private void Read(ReadOnlySpan<int> context)
    {
        if (context.IsEmpty)
        {
            throw new ArgumentException("The transformer needs at least one token (Bos) before it predicts.", nameof(context));
        }

        int n = context.Length;
        bool extends = _heldCount > 0 && n - 1 >= _heldCount && _heldCount < _decoder.ContextLength
            && context.Slice(n - 1 - _heldCount, _heldCount).SequenceEqual(_held.AsSpan(0, _heldCount));
        if (extends)
        {
            _decoder.Step(context[n - 1]).CopyTo(_logits);
            _held[_heldCount++] = context[n - 1];
            return;
        }

        if (_heldCount == n && context.SequenceEqual(_held.AsSpan(0, _heldCount)))
        {
            return;
        }

        int keep = n <= _decoder.ContextLength ? n : _decoder.ContextLength / 2;
        ReadOnlySpan<int> tail = context[(n - keep)..];
        _decoder.Reset();
        ReadOnlySpan<float> rows = _decoder.Prefill(tail);
        rows[^_logits.Length..].CopyTo(_logits);
        tail.CopyTo(_held);
        _heldCount = keep;
    }
}
