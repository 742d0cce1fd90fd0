using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Sampling;

/// <summary>Why <see cref="ContinuationGenerator.Generate"/> stopped.</summary>
public enum ContinuationEnd : byte
{
    /// <summary>The model wrote Eos (the last token written).</summary>
    Eos,

    /// <summary>The model was about to open one bar more than asked for; that Bar token was not written.</summary>
    BarLimit,
    TokenLimit,

    /// <summary>The caller's span is full.</summary>
    OutputFull,

    /// <summary>The model's context is full.</summary>
    ContextFull,

    /// <summary>The prompt is empty or not a canonical sequence prefix (see <see cref="Continuation.PromptProblemIndex"/>); nothing was generated.</summary>
    PromptRejected,
}

/// <summary>What a generation wrote.</summary>
/// <param name="Count">Tokens written into the output.</param>
/// <param name="CompleteCount">
/// The tokens up to the last event boundary (equal to <see cref="Count"/> unless a limit cut an event in two):
/// what a player can turn into notes.
/// </param>
/// <param name="PromptProblemIndex">The first prompt token the grammar refused, -1 when none.</param>
public readonly record struct Continuation(int Count, int CompleteCount, ContinuationEnd End, int PromptProblemIndex = -1);

/// <summary>
/// The live generation loop: a prompt in, a continuation out, drawn token by token from an
/// <see cref="ILogitsSource"/> through a <see cref="ConstrainedSampler"/>.
/// </summary>
/// <remarks>
/// [inference thread] Allocation-free per token when the source's <see cref="ILogitsSource.Step"/> is: the
/// output is the caller's span, the sampler's buffers are its own.
/// </remarks>
public sealed class ContinuationGenerator(ILogitsSource model, ConstrainedSampler sampler)
{
    private readonly ILogitsSource _model = model ?? throw new ArgumentNullException(nameof(model));

    public ConstrainedSampler Sampler { get; } = sampler ?? throw new ArgumentNullException(nameof(sampler));

    /// <summary>
    /// Continues <paramref name="prompt"/> (a canonical sequence without Eos, from Bos) into
    /// <paramref name="output"/>: at most <paramref name="maxTokens"/> tokens, stopping at Eos, before the Bar token
    /// that would be the continuation's <paramref name="maxBars"/> + 1st (0: no bar limit), or when the output or
    /// the model's context is full. The same prompt, settings, model and <paramref name="seed"/> give the same tokens.
    /// </summary>
    public Continuation Generate(ReadOnlySpan<int> prompt, Span<int> output, int maxTokens, int maxBars, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBars);
        Sampler.Reset(seed);
        if (prompt.IsEmpty)
        {
            return new Continuation(0, 0, ContinuationEnd.PromptRejected, 0);
        }

        for (int i = 0; i < prompt.Length; i++)
        {
            if (!Sampler.Observe(prompt[i]) || Sampler.Grammar.IsEnded)
            {
                return new Continuation(0, 0, ContinuationEnd.PromptRejected, i);
            }
        }

        if (prompt.Length >= _model.ContextLength)
        {
            return new Continuation(0, 0, ContinuationEnd.ContextFull);
        }

        _model.Reset();
        ReadOnlySpan<float> logits = _model.Prefill(prompt);
        int count = 0, complete = 0, bars = 0;
        while (true)
        {
            if (count == maxTokens)
            {
                return new Continuation(count, complete, ContinuationEnd.TokenLimit);
            }

            if (count == output.Length)
            {
                return new Continuation(count, complete, ContinuationEnd.OutputFull);
            }

            int token = Sampler.Sample(logits);
            if (token == Vocabulary.Bar && maxBars > 0 && bars == maxBars)
            {
                return new Continuation(count, complete, ContinuationEnd.BarLimit);
            }

            Sampler.Observe(token);
            output[count++] = token;
            bars += token == Vocabulary.Bar ? 1 : 0;
            if (Sampler.Grammar.IsAtEventBoundary || Sampler.Grammar.IsEnded)
            {
                complete = count;
            }

            if (token == Vocabulary.Eos)
            {
                return new Continuation(count, complete, ContinuationEnd.Eos);
            }

            if (_model.Position >= _model.ContextLength)
            {
                return new Continuation(count, complete, ContinuationEnd.ContextFull);
            }

            logits = _model.Step(token);
        }
    }
}
