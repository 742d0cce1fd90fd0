namespace CoPilot.Evaluation.Baselines;

/// <summary>
/// A model of token sequences: the probability of the next token given the tokens before it in its sequence.
/// </summary>
/// <remarks>
/// <para>
/// The context is the sequence so far, from its first token; callers may pass only its last
/// <see cref="ContextLength"/> tokens. A context shorter than <see cref="ContextLength"/> means the sequence
/// began there: the models pad it with a begin-of-sequence marker, so a song's opening tokens are predicted
/// as openings.
/// </para>
/// <para>
/// Probabilities are proper: over the <see cref="VocabularySize"/> tokens they sum to 1 and none is 0, so
/// every held-out token has a finite negative log-likelihood. Reading methods allocate nothing and are safe
/// to call from several threads once the model is built.
/// </para>
/// </remarks>
public interface ITokenModel
{
    /// <summary>Number of token ids V: tokens are 0 to V-1.</summary>
    int VocabularySize { get; }

    /// <summary>The most context tokens the model looks at (its order minus one).</summary>
    int ContextLength { get; }

    /// <summary>Writes P(token | context) for every token 0..V-1 into the first V slots of <paramref name="probabilities"/>.</summary>
    void Distribution(ReadOnlySpan<int> context, Span<double> probabilities);

    /// <summary>ln P(<paramref name="token"/> | <paramref name="context"/>), in nats.</summary>
    double LogProbability(ReadOnlySpan<int> context, int token);
}
