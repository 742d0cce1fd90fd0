using CoPilot.Inference.Onnx;

namespace CoPilot.Inference.Sampling;

/// <summary>
/// A next-token model as the generation loop drives it: a growing sequence, one token at a time, with the
/// logits of the next token after each. Implemented by the ONNX decoder (<see cref="OnnxLogitsSource"/>) and by
/// test fakes.
/// </summary>
/// <remarks>[inference thread] <see cref="Step"/> must not allocate: the loop runs while the transport plays.</remarks>
public interface ILogitsSource
{
    /// <summary>Logits per step; the sampler needs at least <see cref="Tokens.Vocabulary.Size"/>.</summary>
    int VocabSize { get; }

    /// <summary>The most tokens the source can hold since <see cref="Reset"/>.</summary>
    int ContextLength { get; }

    /// <summary>Tokens fed since <see cref="Reset"/>.</summary>
    int Position { get; }

    /// <summary>Forgets the sequence.</summary>
    void Reset();

    /// <summary>Feeds several tokens; returns the logits after the last (valid until the next call).</summary>
    ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens);

    /// <summary>Feeds one token; returns the logits for the next (valid until the next call).</summary>
    ReadOnlySpan<float> Step(int token);

    /// <summary>
    /// The model's final hidden state after the last token fed (valid until the next call), always of the same
    /// length; empty when the source has none (a test fake), which leaves the accompanist without its song cache
    /// (<see cref="ContinuousCache"/>).
    /// </summary>
    ReadOnlySpan<float> Hidden { get; }

    /// <summary>Forgets the tokens from <paramref name="position"/> on (0 ≤ position ≤ <see cref="Position"/>): the next token takes that position.</summary>
    void Rewind(int position);
}

/// <summary>An <see cref="OnnxDecoder"/> as an <see cref="ILogitsSource"/>.</summary>
/// <remarks>
/// <see cref="OnnxDecoder.Prefill"/> runs the whole prompt at once but builds an IO binding per call (a few
/// hundred bytes of garbage); with <c>batchedPrefill</c> false the prompt goes through <see cref="OnnxDecoder.Step"/>
/// token by token instead: slower, and allocation-free, as the plugin needs while the transport plays.
/// </remarks>
public sealed class OnnxLogitsSource(OnnxDecoder decoder, bool batchedPrefill = false) : ILogitsSource
{
    private readonly OnnxDecoder _decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));

    public int VocabSize => _decoder.VocabSize;

    public int ContextLength => _decoder.ContextLength;

    public int Position => _decoder.Position;

    public void Reset() => _decoder.Reset();

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
    {
        if (batchedPrefill && tokens.Length > 1)
        {
            return _decoder.Prefill(tokens)[((tokens.Length - 1) * VocabSize)..];
        }

        ReadOnlySpan<float> logits = default;
        foreach (int token in tokens)
        {
            logits = _decoder.Step(token);
        }

        return logits;
    }

    public ReadOnlySpan<float> Step(int token) => _decoder.Step(token);

    public void Rewind(int position) => _decoder.Rewind(position);

    public ReadOnlySpan<float> Hidden => _decoder.Hidden;
}
