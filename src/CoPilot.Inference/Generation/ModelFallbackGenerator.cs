using CoPilot.Core;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Generation;

/// <summary>
/// The plugin's answerer: the model when it loaded, the live style learner (<see cref="ContinuatorGenerator"/>)
/// when it did not, when it fails while playing, and whenever it has nothing to say.
/// </summary>
/// <remarks>
/// <para>Both learn from every note, so the style learner can take over at any moment with everything the
/// player played. An exception from the model (ONNX Runtime failing mid-session) must not leave the inference
/// thread, where it would end the host's process: it is caught, the model is dropped for the rest of the
/// session, and <see cref="Status"/> says so. That one exception allocates; nothing else here does.</para>
/// <para>Threads: <see cref="Load"/>, <see cref="Use"/> and <see cref="Unload"/> on the UI thread while the
/// inference thread is stopped; the <see cref="IPhraseGenerator"/> methods on the inference thread;
/// <see cref="Status"/> from any thread.</para>
/// </remarks>
public sealed class ModelFallbackGenerator(ContinuatorGenerator rules) : IPhraseGenerator, IDisposable
{
    private readonly ContinuatorGenerator _rules = rules ?? throw new ArgumentNullException(nameof(rules));
    private readonly Action<ModelPhraseGenerator, NoteEvent> _observeCall = static (model, e) => model.Observe(e);
    private readonly Action<ModelPhraseGenerator, int> _endPhraseCall = static (model, _) => model.EndPhrase();
    private readonly Action<ModelPhraseGenerator, int> _resetCall = static (model, _) => model.Reset();
    private readonly Action<ModelPhraseGenerator, (int Numerator, int Denominator)> _setMetreCall =
        static (model, metre) => model.SetMetre(metre.Numerator, metre.Denominator);

    private readonly ModelSlot<ModelPhraseGenerator> _slot = new(static (model, numerator, denominator) => model.SetMetre(numerator, denominator));

    private long _modelAnswers;
    private long _rulesAnswers;

    public ModelStatus Status => _slot.Status;

    /// <summary>The model in use, null when the style learner answers alone. [inference thread] for its counters.</summary>
    public ModelPhraseGenerator? Model => _slot.Model;

    /// <summary>Why the model is or is not used, in words (for logs and the CLI).</summary>
    public string StatusMessage => _slot.StatusMessage;

    /// <summary>Answers that came from the model.</summary>
    public long ModelAnswers => Interlocked.Read(ref _modelAnswers);

    /// <summary>Answers that came from the style learner.</summary>
    public long RulesAnswers => Interlocked.Read(ref _rulesAnswers);

    public int LearnedNotes => _rules.LearnedNotes;

    /// <summary>
    /// [UI thread, inference thread stopped] Loads the model file and the originality index beside it
    /// (<see cref="ModelLoader.Load"/>); on any problem the style learner answers alone.
    /// </summary>
    public ModelStatus Load(string? path, Style style = Style.Pop, string? expectedVocabularyHash = null)
    {
        ModelStatus status = _slot.Load(path, expectedVocabularyHash, withOriginality: true, result => new ModelPhraseGenerator(new OnnxLogitsSource(result.Decoder!), style, result.Originality));
        return status;
    }

    /// <summary>[UI thread, inference thread stopped] Answers with <paramref name="model"/>; <paramref name="resources"/> is disposed on unload.</summary>
    public void Use(ModelPhraseGenerator model, IDisposable? resources = null)
    {
        _slot.Use(model, resources);
    }

    /// <summary>[UI thread, inference thread stopped] Frees the model; the style learner answers from now on.</summary>
    public void Unload() => _slot.Unload();

    public void Dispose() => Unload();

    /// <inheritdoc/>
    public void Observe(in NoteEvent e)
    {
        _rules.Observe(e);
        OnModel(_observeCall, e);
    }

    /// <inheritdoc/>
    public void SetMetre(int numerator, int denominator)
    {
        _slot.KeepMetre(numerator, denominator);
        OnModel(_setMetreCall, (numerator, denominator));
    }

    /// <inheritdoc/>
    public void EndPhrase()
    {
        _rules.EndPhrase();
        OnModel(_endPhraseCall, 0);
    }

    /// <inheritdoc/>
    public int Generate(in GenerationRequest request, Span<GeneratedNote> output)
    {
        if (_slot.Model is { } model)
        {
            try
            {
                int n = model.Generate(request, output);
                if (n > 0)
                {
                    Interlocked.Increment(ref _modelAnswers);
                    return n;
                }
            }
#pragma warning disable CA1031 // Nothing may leave the inference thread: the style learner takes over instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(ex);
            }
        }

        // The model stayed silent (or is absent): the player still gets an answer in their own style.
        int count = _rules.Generate(request, output);
        if (count > 0)
        {
            Interlocked.Increment(ref _rulesAnswers);
        }

        return count;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _rules.Reset();
        OnModel(_resetCall, 0);
    }

    // Passes a call to the model, if any; an exception takes the model out and the style learner on. The calls
    // are delegates made in the constructor, on the UI thread (a lambda's cached delegate would otherwise be made
    // at its first call, which for Reset can come long after the inference thread's allocation check has started),
    // and take their argument by value: nothing is allocated.
    private void OnModel<T>(Action<ModelPhraseGenerator, T> call, T argument)
    {
        if (_slot.Model is { } model)
        {
            try
            {
                call(model, argument);
            }
#pragma warning disable CA1031 // Nothing may leave the inference thread: the style learner takes over instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(ex);
            }
        }
    }

    private void Fail(Exception e) => _slot.Fail(e, "answering", "the style learner answers");
}
