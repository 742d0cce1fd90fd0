namespace CoPilot.Inference.Generation;

/// <summary>
/// The model half of a model-or-rules pair (<see cref="ModelFallbackGenerator"/>, the plugin's accompanist):
/// the model in use, the session it runs on, and, when there is none, why.
/// </summary>
/// <remarks>
/// Threads: <see cref="Load"/>, <see cref="Use"/> and <see cref="Unload"/> on the UI thread while the inference
/// thread is stopped; <see cref="Model"/> and <see cref="Fail"/> on the inference thread; <see cref="Status"/>
/// from any.
/// </remarks>
/// <param name="setMetre">How to tell a model the host's metre; the slot tells every model it is given the last one
/// it kept (<see cref="KeepMetre"/>), so a model loaded after the host set its time signature counts bars in it.</param>
public sealed class ModelSlot<TModel>(Action<TModel, int, int> setMetre)
    where TModel : class
{
    private readonly Action<TModel, int, int> _setMetre = setMetre ?? throw new ArgumentNullException(nameof(setMetre));
    private (int Numerator, int Denominator)? _metre;
    private TModel? _model;
    private IDisposable? _resources;
    private int _status;

    /// <summary>The model in use; null when the rules play alone.</summary>
    public TModel? Model => _model;

    public ModelStatus Status => (ModelStatus)Volatile.Read(ref _status);

    /// <summary>Why the model is or is not used, in words (for logs, the CLI and the plugin's display).</summary>
    public string StatusMessage { get; private set; } = "No model requested.";

    /// <summary>
    /// [UI thread, inference thread stopped] Opens the model file (<see cref="ModelLoader.Load"/>) and builds the
    /// model on it with <paramref name="create"/>; on any problem the slot stays empty and says why.
    /// </summary>
    /// <param name="withOriginality">Whether the model needs the originality index beside it (it writes melodies).</param>
    public ModelStatus Load(string? path, string? expectedVocabularyHash, bool withOriginality, Func<ModelLoadResult, TModel> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Unload();
        ModelLoadResult result = ModelLoader.Load(path, expectedVocabularyHash, withOriginality);
        if (result.Decoder is null)
        {
            SetStatus(result.Status, result.Message);
            return result.Status;
        }

        Use(create(result), result.Decoder);
        StatusMessage = $"{result.Message}; loaded in {result.Milliseconds:F0} ms";
        return ModelStatus.Loaded;
    }

    /// <summary>[UI thread, inference thread stopped] Uses <paramref name="model"/>; <paramref name="resources"/> is disposed on unload.</summary>
    public void Use(TModel model, IDisposable? resources = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Unload();
        _model = model;
        _resources = resources;
        if (_metre is { } metre)
        {
            _setMetre(model, metre.Numerator, metre.Denominator);
        }

        SetStatus(ModelStatus.Loaded, "Model in use.");
    }

    /// <summary>
    /// [inference thread] Keeps the host's metre for any model given later; the caller tells the model in use
    /// itself (where its own error handling applies).
    /// </summary>
    public void KeepMetre(int numerator, int denominator) => _metre = (numerator, denominator);

    /// <summary>[UI thread, inference thread stopped] Frees the model and its session.</summary>
    public void Unload()
    {
        _model = null;
        _resources?.Dispose();
        _resources = null;
        SetStatus(ModelStatus.NotLoaded, "No model requested.");
    }

    /// <summary>
    /// [inference thread] The model threw while <paramref name="doing"/>: it is dropped for the session and
    /// <paramref name="instead"/> says who plays now. Its session stays allocated until <see cref="Unload"/>, on the
    /// UI thread. The message allocates, once.
    /// </summary>
    public void Fail(Exception error, string doing, string instead)
    {
        ArgumentNullException.ThrowIfNull(error);
        _model = null;
        SetStatus(ModelStatus.Failed, $"The model failed while {doing} ({error.GetType().Name}: {error.Message}); {instead}.");
    }

    private void SetStatus(ModelStatus status, string message)
    {
        StatusMessage = message;
        Volatile.Write(ref _status, (int)status);
    }
}
