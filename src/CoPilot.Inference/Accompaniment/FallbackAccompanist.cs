using CoPilot.Core;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Sampling;
using CoPilot.Music;

namespace CoPilot.Inference.Accompaniment;

/// <summary>
/// The plugin's accompanist: the model's chords (<see cref="ModelAccompanist"/>) when it loaded, the rules'
/// (<see cref="RuleAccompanist"/>) when it did not, when it fails while playing, and when it has nothing to say.
/// </summary>
/// <remarks>
/// <para>Both listen to every note, so the rules can take over at any slot in the player's key. An exception
/// from the model is caught (it must not leave the inference thread), the model is dropped for the session and
/// <see cref="Status"/> says so; that one exception allocates, nothing else here does.</para>
/// <para>Threads: <see cref="Load"/>, <see cref="Use"/> and <see cref="Unload"/> on the UI thread while the inference
/// thread is stopped; the <see cref="IAccompanist"/> methods on the inference thread; <see cref="Status"/> from any.
/// Not IDisposable: it lives as long as the plugin instance, whose terminate calls <see cref="Unload"/>.</para>
/// </remarks>
public sealed class FallbackAccompanist(RuleAccompanist rules) : IAccompanist
{
    private readonly RuleAccompanist _rules = rules ?? throw new ArgumentNullException(nameof(rules));
    private readonly ModelSlot<ModelAccompanist> _slot = new(static (model, numerator, denominator) => model.SetMetre(numerator, denominator));
    private long _modelChords;
    private long _ruleChords;

    public ModelStatus Status => _slot.Status;

    /// <summary>Why the model is or is not used, in words.</summary>
    public string StatusMessage => _slot.StatusMessage;

    /// <summary>The model's accompanist, null when the rules play alone.</summary>
    public ModelAccompanist? Model => _slot.Model;

    /// <summary>The chord of the last slot, from whichever played it.</summary>
    public Chord Sounding { get; private set; } = Chord.None;

    /// <summary>Slots whose chord came from the model.</summary>
    public long ModelChords => Interlocked.Read(ref _modelChords);

    /// <summary>Slots whose chord came from the rules.</summary>
    public long RuleChords => Interlocked.Read(ref _ruleChords);

    /// <summary>
    /// [UI thread, inference thread stopped] Opens its own session of the model (<see cref="ModelLoader.Load"/>),
    /// without the originality index: chords quote no melody. On any problem the rules play alone.
    /// </summary>
    public ModelStatus Load(string? path, string? expectedVocabularyHash = null)
    {
        ModelStatus status = _slot.Load(path, expectedVocabularyHash, withOriginality: false, static result => new ModelAccompanist(new OnnxLogitsSource(result.Decoder!)));
        return status;
    }

    /// <summary>[UI thread, inference thread stopped] Accompanies with <paramref name="model"/>; <paramref name="resources"/> is disposed on unload.</summary>
    public void Use(ModelAccompanist model, IDisposable? resources = null)
    {
        _slot.Use(model, resources);
    }

    /// <summary>[UI thread, inference thread stopped] Frees the model; the rules play from now on.</summary>
    public void Unload() => _slot.Unload();

    public void Observe(in NoteEvent e)
    {
        _rules.Observe(e);
        _slot.Model?.Observe(e);
    }

    public int Accompany(in ChordSlotRequest request, Span<GeneratedNote> output)
    {
        if (_slot.Model is { } model)
        {
            try
            {
                int n = model.Accompany(request, output);
                if (n > 0)
                {
                    Interlocked.Increment(ref _modelChords);
                    Sounding = model.Sounding;
                    return n;
                }
            }
#pragma warning disable CA1031 // Nothing may leave the inference thread: the rules take over instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _slot.Fail(ex, "accompanying", "the rules play");
            }
        }

        int count = _rules.Accompany(request, output);
        if (count > 0)
        {
            Interlocked.Increment(ref _ruleChords);
            Sounding = _rules.Sounding;
        }

        return count;
    }

    public void SetMetre(int numerator, int denominator)
    {
        _slot.KeepMetre(numerator, denominator);
        _rules.SetMetre(numerator, denominator);
        _slot.Model?.SetMetre(numerator, denominator);
    }

    public void Reset()
    {
        Sounding = Chord.None;
        _rules.Reset();
        _slot.Model?.Reset();
    }
}
