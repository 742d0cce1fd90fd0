using CoPilot.Core;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Generation;

/// <summary>
/// Answers the player's phrases with the trained model: the player's notes become a ContinueMelody token
/// sequence (<see cref="LivePrompt"/>), the model reads it while the player plays, and when a phrase ends the
/// continuation is drawn token by token under the key, range and repetition constraints of
/// <see cref="ConstrainedSampler"/> and turned back into notes.
/// </summary>
/// <remarks>
/// <para><b>Bounded work per answer.</b> The model reads the sequence incrementally: up to
/// <see cref="TokensPerEvent"/> tokens after each of the player's events, the rest when asked for an answer, so
/// the answer itself costs only the tokens not read yet plus the tokens drawn. After an answer the model's cache
/// holds the answer's tokens, which did not happen in the player's sequence: it reads the sequence again from
/// the start, again a bounded share per event. The sequence is at most half the context
/// (<see cref="LivePrompt.SlideAt"/>), the other half is room for the answer.</para>
/// <para><b>Time.</b> The model writes bars and positions; the answer starts where its first note starts, moved
/// back to the half-beat grid the engine starts answers on (CallAndResponse.AnswerGridBeats), so the answer's
/// offbeats stay offbeats. A melody is one voice: each note ends where the next begins, and of notes the model
/// puts at one onset only the top one is kept.</para>
/// <para><b>Creativity</b> sets the temperature (0.7 to 1.3) and the nucleus (0.9 to 0.98).</para>
/// <para>[inference thread]. Everything is allocated in the constructor: <see cref="Observe"/>,
/// <see cref="EndPhrase"/>, <see cref="Generate"/> and <see cref="Reset"/> allocate nothing when the
/// <see cref="ILogitsSource"/>'s <c>Step</c> does not (the ONNX decoder's does not).</para>
/// </remarks>
public sealed class ModelPhraseGenerator : IPhraseGenerator
{
    /// <summary>Tokens the model reads after each of the player's events: about 15 ms of a 4-layer model.</summary>
    public const int TokensPerEvent = 64;

    /// <summary>Onsets of an answer are shifted by a multiple of this many ticks (half a beat).</summary>
    public const int AnswerGridTicks = Vocabulary.TicksPerBeat / 2;

    /// <summary>The model may open this many bars before its first note; then it is taken to stay silent.</summary>
    public const int MaxLeadingBars = 2;

    /// <summary>Notes of the player's whose range sets the answer's pitch range.</summary>
    private const int RegisterNotes = 32;

    /// <summary>The answer may leave the player's range by a fifth either way, and spans at least an octave and a half.</summary>
    private const int RegisterMargin = 7;
    private const int MinimumRegister = 19;

    private readonly ILogitsSource _model;
    private readonly ConstrainedSampler _sampler;
    private readonly LivePrompt _prompt;
    private readonly float[] _logits;
    private int _read;
    private int _readRevision = -1;
    private bool _cacheHasAnswer;

    /// <param name="model">The decoder (or a test double), owned by the caller.</param>
    /// <param name="originality">Runs of the training melodies the answer must not extend past eight notes, or null.</param>
    public ModelPhraseGenerator(ILogitsSource model, Style style = Style.Pop, OriginalityIndex? originality = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (model.VocabSize < Vocabulary.Size)
        {
            throw new ArgumentException($"The model has {model.VocabSize} logits; the vocabulary needs {Vocabulary.Size}.", nameof(model));
        }

        _prompt = new LivePrompt(Math.Max(32, model.ContextLength / 2), style);
        _logits = new float[model.VocabSize];
        _sampler = new ConstrainedSampler(
            new SamplerSettings
            {
                Strictness = PitchStrictness.ScaleTones,
                AllowChords = false,
                AllowMetreAndKeyChanges = false,
                AllowedVoices = 1 << (int)Voice.Melody,
            },
            seed: 0,
            originality);
        WarmUp();
    }

    /// <summary>The style the sequence asks for (a setting of the musician's).</summary>
    public Style Style
    {
        get => _prompt.Style;
        set => _prompt.Style = value;
    }

    /// <summary>The player's sequence as the model reads it.</summary>
    public LivePrompt Prompt => _prompt;

    /// <summary>Tokens the model read of the current sequence.</summary>
    public int TokensRead => _cacheHasAnswer ? 0 : _read;

    /// <summary>Tokens drawn for the last answer.</summary>
    public int LastAnswerTokens { get; private set; }

    /// <summary>Tokens the model read when the last answer was asked for (the sequence's unread tail).</summary>
    public int LastCatchUpTokens { get; private set; }

    public int LearnedNotes => _prompt.NoteCount;

    /// <inheritdoc/>
    public void Observe(in NoteEvent e)
    {
        _prompt.Observe(e);
        Read(TokensPerEvent);
    }

    /// <inheritdoc/>
    public void EndPhrase() => _prompt.CloseHeld();

    /// <inheritdoc/>
    /// <remarks>A new metre starts the sequence over (its bars no longer hold); one without a token is ignored.</remarks>
    public void SetMetre(int numerator, int denominator) => _prompt.SetMetre(new Metre(numerator, denominator));

    /// <inheritdoc/>
    public int Generate(in GenerationRequest request, Span<GeneratedNote> output)
    {
        LastAnswerTokens = 0;
        LastCatchUpTokens = 0;
        int maxNotes = Math.Min(request.MaxNotes, output.Length);
        _prompt.CloseHeld();
        if (_prompt.NoteCount == 0 || maxNotes <= 0 || !(request.MaxBeats > 0))
        {
            return 0;
        }

        if (request.Style <= (byte)Style.Jazz)
        {
            // A new style rewrites the header, and the model reads the sequence again under it.
            _prompt.Style = (Style)request.Style;
        }

        LastCatchUpTokens = Read(int.MaxValue);
        _sampler.Settings = SettingsFor(request.Creativity);
        _sampler.Reset(request.Seed);
        ReadOnlySpan<int> prompt = _prompt.Tokens;
        for (int i = 0; i < prompt.Length; i++)
        {
            if (!_sampler.Observe(prompt[i]))
            {
                return 0; // the sequence is not canonical: a bug, and silence is the safe answer
            }
        }

        _cacheHasAnswer = true;
        return Draw(request, output[..maxNotes]);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _prompt.Reset();
        _cacheHasAnswer = true; // read again from the start
    }

    // Tables built on first use (the sampler's key masks, the key tracker's) are built here, on the constructing
    // thread: built later, on the inference thread the first time the player's key is known, they would be
    // garbage-collected allocation in the middle of a session (found by the inference-thread test: 72 B).
    private void WarmUp()
    {
        ReadOnlySpan<byte> scale = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 67];
        for (int i = 0; i < scale.Length; i++)
        {
            _prompt.Observe(new NoteEvent(i * 0.5, 0, -1, NoteEventKind.NoteOn, 0, scale[i], 0.7f));
            _prompt.Observe(new NoteEvent((i * 0.5) + 0.4, 0, -1, NoteEventKind.NoteOff, 0, scale[i], 0f));
        }

        _prompt.CloseHeld();
        _sampler.Settings = SettingsFor(0.5f);
        _sampler.Reset(0);
        foreach (int token in _prompt.Tokens)
        {
            _sampler.Observe(token);
        }

        for (int i = 0; i < 16 && !_sampler.Grammar.IsEnded; i++)
        {
            _sampler.Observe(_sampler.Sample(_logits));
        }

        _prompt.Reset();
        _sampler.Reset(0);
    }

    private int Draw(in GenerationRequest request, Span<GeneratedNote> output)
    {
        double maxTicks = Math.Min(request.MaxBeats, 1e6) * Vocabulary.TicksPerBeat;
        int barTicks = _prompt.BarTicks;
        int barStart = _prompt.OpenBarStart;
        int onset = _prompt.LastOnset; // a note may join the player's last onset without a Position token
        int shift = -1;
        int pitch = 0;
        int duration = 0;
        int leadingBars = 0;
        int written = 0;
        ReadOnlySpan<float> logits = _logits;
        int budget = _model.ContextLength - _model.Position;
        for (int drawn = 0; drawn < budget; drawn++)
        {
            int token = _sampler.Sample(logits);
            if (token == Vocabulary.Eos)
            {
                break;
            }

            if (token == Vocabulary.Bar)
            {
                if ((shift >= 0 && barStart + barTicks - shift >= maxTicks) || (shift < 0 && ++leadingBars > MaxLeadingBars))
                {
                    break;
                }

                barStart += barTicks;
            }
            else if (Vocabulary.IsPosition(token))
            {
                onset = barStart + token - Vocabulary.PositionBase;
                if (shift >= 0 && onset - shift >= maxTicks)
                {
                    break;
                }
            }
            else if (Vocabulary.IsPitch(token))
            {
                pitch = token - Vocabulary.PitchBase + Vocabulary.LowestPitch;
            }
            else if ((uint)(token - Vocabulary.DurationBase) < Vocabulary.DurationCount)
            {
                duration = DurationBuckets.Ticks[token - Vocabulary.DurationBase];
            }
            else if ((uint)(token - Vocabulary.VelocityBase) < VelocityBuckets.Count)
            {
                if (shift < 0)
                {
                    shift = onset / AnswerGridTicks * AnswerGridTicks;
                }

                written = Add(output, written, onset - shift, duration, pitch, token - Vocabulary.VelocityBase);
                if (written == output.Length)
                {
                    break;
                }
            }

            _sampler.Observe(token);
            LastAnswerTokens++;
            if (_model.Position >= _model.ContextLength)
            {
                break;
            }

            logits = _model.Step(token);
        }

        if (written > 0)
        {
            ref GeneratedNote last = ref output[written - 1];
            last = last with { DurationBeats = Math.Min(last.DurationBeats, request.MaxBeats - last.StartBeat) };
        }

        return written;
    }

    // One melodic voice: the previous note ends where this one begins; at a shared onset the higher pitch stays.
    private static int Add(Span<GeneratedNote> output, int written, int startTicks, int durationTicks, int pitch, int velocityBucket)
    {
        double start = startTicks / (double)Vocabulary.TicksPerBeat;
        var note = new GeneratedNote(start, durationTicks / (double)Vocabulary.TicksPerBeat, (byte)pitch, VelocityBuckets.Representative(velocityBucket) / 127f);
        if (written > 0)
        {
            ref GeneratedNote previous = ref output[written - 1];
            if (previous.StartBeat >= start)
            {
                if (pitch > previous.Pitch)
                {
                    previous = note;
                }

                return written;
            }

            previous = previous with { DurationBeats = Math.Min(previous.DurationBeats, start - previous.StartBeat) };
        }

        output[written] = note;
        return written + 1;
    }

    // Feeds the model up to `limit` tokens of the sequence it has not read; returns how many it read.
    private int Read(int limit)
    {
        if (_cacheHasAnswer || _readRevision != _prompt.Revision)
        {
            _model.Reset();
            _read = 0;
            _readRevision = _prompt.Revision;
            _cacheHasAnswer = false;
        }

        ReadOnlySpan<int> tokens = _prompt.Tokens;
        int end = (int)Math.Min(tokens.Length, (long)_read + limit);
        int start = _read;
        ReadOnlySpan<float> logits = default;
        for (; _read < end; _read++)
        {
            logits = _model.Step(tokens[_read]);
        }

        if (_read > start)
        {
            logits[.._logits.Length].CopyTo(_logits);
        }

        return _read - start;
    }

    private SamplerSettings SettingsFor(float creativity)
    {
        float c = creativity >= 0f ? Math.Min(creativity, 1f) : 0f; // NaN counts as 0
        int lowest = 0, highest = 127;
        if (_prompt.TryGetRegister(RegisterNotes, out int low, out int high))
        {
            lowest = low - RegisterMargin;
            highest = high + RegisterMargin;
            int missing = MinimumRegister - (highest - lowest);
            if (missing > 0)
            {
                lowest -= missing / 2;
                highest += missing - (missing / 2);
            }

            lowest = Math.Clamp(lowest, 0, 127);
            highest = Math.Clamp(highest, lowest, 127);
        }

        return _sampler.Settings with
        {
            Temperature = 0.7f + (0.6f * c),
            TopP = 0.9f + (0.08f * c),
            LowestPitch = lowest,
            HighestPitch = highest,
        };
    }
}
