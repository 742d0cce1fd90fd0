using CoPilot.Core;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Sampling;

/// <summary>
/// Draws the next token from a model's logits under the token grammar and the musical constraints of
/// <see cref="SamplerSettings"/>: key and chord tones, a pitch range, task restrictions, a repetition guard and
/// an originality guard. Keeps the sequence's state (grammar, recent pitches per voice, the bar being written),
/// so it is fed every token of the sequence, the prompt's included, through <see cref="Observe"/>.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> [inference thread] One thread owns a sampler. Every buffer is allocated in the
/// constructor: <see cref="Sample"/> and <see cref="Observe"/> allocate nothing.</para>
/// <para><b>Masks.</b> The grammar (<see cref="TokenGrammar"/>) is hard: no drawn sequence fails to decode. The
/// other masks remove tokens in five layers; when they leave no token, layers are dropped in this order until one
/// is left: repetition guard, key/chord, pitch range, task restrictions, and last the originality guard (only
/// when every pitch the grammar allows would extend a copy, which a real index never does).</para>
/// <para><b>Guards.</b> Both watch the notes of <see cref="SamplerSettings.GuardedVoices"/>, prompt included,
/// so a continuation cannot extend a quotation the player started either. Originality: with the last eight
/// pitches of the note's voice, the pitches that would complete a nine-note run of the
/// <see cref="OriginalityIndex"/> are refused: no copy longer than eight notes. Repetition: a pitch already
/// played <see cref="SamplerSettings.MaxPitchRepeats"/> times in a row is refused, and so is the Bar token that
/// would close one identical bar too many (<see cref="SamplerSettings.MaxIdenticalBars"/>).</para>
/// <para><b>Nucleus.</b> No sort: the threshold on the scaled logits is found by bisection (24 rounds over the
/// candidates); tokens within 2^-24 of the threshold's range count as ties and are all kept. The draw then walks
/// the nucleus in id order, so a seed gives the same tokens on every machine.</para>
/// </remarks>
public sealed class ConstrainedSampler
{
    private const int History = OriginalityIndex.RunLength - 1;
    private const int Layers = 5;
    private const int RepetitionLayer = 0;
    private const int KeyLayer = 1;
    private const int RangeLayer = 2;
    private const int TaskLayer = 3;
    private const int CopyLayer = 4;
    private const int BisectionRounds = 24;

    private static readonly ushort[] KeyMasks = BuildKeyMasks();

    private readonly int[] _ids = new int[Vocabulary.Size];
    private readonly float[] _scores = new float[Vocabulary.Size];
    private readonly float[] _weights = new float[Vocabulary.Size];
    private readonly int[] _history = new int[Vocabulary.VoiceCount * History];
    private readonly int[] _historyCount = new int[Vocabulary.VoiceCount];
    private readonly int[] _historyNext = new int[Vocabulary.VoiceCount];
    private readonly int[] _repeats = new int[Vocabulary.VoiceCount];
    private SamplerSettings _settings;
    private TokenGrammar _grammar;
    private SplitMix64 _random;
    private ulong _barHash;
    private int _barNotes;
    private ulong _previousBarHash;
    private int _identicalBars;
    private int _offKeyFor = PitchClassSet.AllMask;
    private TokenSet _offKey;

    /// <param name="originality">The index of training runs, or null for no originality guard.</param>
    public ConstrainedSampler(SamplerSettings settings, ulong seed, OriginalityIndex? originality = null)
    {
        settings.Validate();
        _settings = settings;
        Originality = originality;
        Reset(seed);
    }

    /// <summary>Takes effect from the next <see cref="Sample"/>; throws when a value is out of range.</summary>
    public SamplerSettings Settings
    {
        get => _settings;
        set
        {
            value.Validate();
            _settings = value;
        }
    }

    public OriginalityIndex? Originality { get; set; }

    /// <summary>The grammar's state after the tokens observed so far.</summary>
    public TokenGrammar Grammar => _grammar;

    /// <summary>Draws (since <see cref="Reset"/>) where the originality guard refused a pitch the other masks allowed.</summary>
    public int OriginalityVetoes { get; private set; }

    /// <summary>Draws where the repetition guard refused a pitch or a Bar.</summary>
    public int RepetitionVetoes { get; private set; }

    /// <summary>Draws where the masks left nothing and some were dropped (see remarks).</summary>
    public int RelaxedDraws { get; private set; }

    /// <summary>Starts a new sequence: empty grammar and guards, the generator at <paramref name="seed"/>.</summary>
    public void Reset(ulong seed)
    {
        _grammar = default;
        _random = new SplitMix64(seed);
        Array.Clear(_historyCount);
        Array.Clear(_historyNext);
        Array.Clear(_repeats);
        _barHash = 0;
        _barNotes = 0;
        _previousBarHash = 0;
        _identicalBars = 0;
        OriginalityVetoes = 0;
        RepetitionVetoes = 0;
        RelaxedDraws = 0;
    }

    /// <summary>Appends <paramref name="token"/> to the sequence; false (and no change) when the grammar refuses it.</summary>
    public bool Observe(int token)
    {
        if (!_grammar.Accept(token))
        {
            return false;
        }

        if (Vocabulary.IsPitch(token))
        {
            int voice = _grammar.NoteVoice;
            int pitch = _grammar.NotePitch;
            _repeats[voice] = _historyCount[voice] > 0 && pitch == LastPitch(voice) ? _repeats[voice] + 1 : 1;
            _history[(voice * History) + _historyNext[voice]] = pitch;
            _historyNext[voice] = (_historyNext[voice] + 1) % History;
            _historyCount[voice] = Math.Min(_historyCount[voice] + 1, History);
        }
        else if ((uint)(token - Vocabulary.DurationBase) < Vocabulary.DurationCount && IsGuarded(_grammar.NoteVoice))
        {
            ulong note = (uint)_grammar.Position | ((ulong)(uint)_grammar.NotePitch << 8) | ((ulong)(uint)_grammar.NoteDurationBucket << 16) | ((ulong)(uint)_grammar.NoteVoice << 24);
            _barHash = Mix(_barHash ^ Mix(note + 1));
            _barNotes++;
        }
        else if (token == Vocabulary.Bar)
        {
            _identicalBars = _barNotes == 0 ? 0 : _barHash == _previousBarHash && _identicalBars > 0 ? _identicalBars + 1 : 1;
            _previousBarHash = _barHash;
            _barHash = 0;
            _barNotes = 0;
        }

        return true;
    }

    /// <summary>
    /// Draws the next token from <paramref name="logits"/> (at least <see cref="Vocabulary.Size"/> long; extra
    /// entries are ignored) without appending it: pass it to <see cref="Observe"/>. NaN counts as minus infinity;
    /// when every candidate is minus infinity the draw is uniform among them.
    /// </summary>
    public int Sample(ReadOnlySpan<float> logits)
    {
        if (logits.Length < Vocabulary.Size)
        {
            throw new ArgumentException($"Expected {Vocabulary.Size} logits, got {logits.Length}.", nameof(logits));
        }

        TokenSet allowed = _grammar.Allowed;
        Span<TokenSet> removals = stackalloc TokenSet[Layers];
        BuildRemovals(in allowed, removals);
        TokenSet candidates = default;
        int level = 0;
        for (; level <= Layers; level++)
        {
            candidates = allowed;
            for (int r = level; r < Layers; r++)
            {
                candidates.ExceptWith(removals[r]);
            }

            if (!candidates.IsEmpty)
            {
                break;
            }
        }

        CountVetoes(in allowed, removals, level);
        int n = candidates.CopyTo(_ids);
        return Draw(logits, n);
    }

    /// <summary><see cref="Sample"/> then <see cref="Observe"/>.</summary>
    public int Next(ReadOnlySpan<float> logits)
    {
        int token = Sample(logits);
        Observe(token);
        return token;
    }

    private void BuildRemovals(in TokenSet allowed, Span<TokenSet> removals)
    {
        ref TokenSet task = ref removals[TaskLayer];
        if (!_settings.AllowChords)
        {
            task.Add(Vocabulary.NoChord);
            task.AddRange(Vocabulary.ChordRootBase, PitchClass.Count);
        }

        if (!_settings.AllowMetreAndKeyChanges && _grammar.Phase == GrammarPhase.BarOpen)
        {
            task.AddRange(Vocabulary.MetreBase, Vocabulary.MetreCount);
            task.AddRange(Vocabulary.KeyBase, Key.MajorMinorCount + 1);
        }

        for (int v = 0; v < Vocabulary.VoiceCount; v++)
        {
            if ((_settings.AllowedVoices & (1 << v)) == 0)
            {
                task.Add(Vocabulary.VoiceBase + v);
            }
        }

        int voice = _grammar.NoteVoice;
        bool pitchNext = (uint)(allowed.NextAtOrAfter(Vocabulary.PitchBase) - Vocabulary.PitchBase) < Vocabulary.PitchCount;
        if (pitchNext)
        {
            if (voice >= 0 && (_settings.AllowedVoices & (1 << voice)) == 0 && _grammar.Phase != GrammarPhase.AfterVoice)
            {
                task.AddRange(Vocabulary.PitchBase, Vocabulary.PitchCount);
            }

            removals[RangeLayer].AddRange(Vocabulary.PitchBase, _settings.LowestPitch - Vocabulary.LowestPitch);
            removals[RangeLayer].AddRange(Vocabulary.PitchToken(_settings.HighestPitch + 1), Vocabulary.HighestPitch - _settings.HighestPitch);
            int pitchClasses = AllowedPitchClasses();
            if (pitchClasses != _offKeyFor)
            {
                // The key and chord change rarely: the 128 pitches are only re-scanned when they do.
                _offKeyFor = pitchClasses;
                _offKey = default;
                for (int pitch = Vocabulary.LowestPitch; pitch <= Vocabulary.HighestPitch; pitch++)
                {
                    if ((pitchClasses & (1 << (pitch % PitchClass.Count))) == 0)
                    {
                        _offKey.Add(Vocabulary.PitchToken(pitch));
                    }
                }
            }

            removals[KeyLayer] = _offKey;

            if (IsGuarded(voice))
            {
                int count = _historyCount[voice];
                if (_settings.MaxPitchRepeats > 0 && count > 0 && _repeats[voice] >= _settings.MaxPitchRepeats)
                {
                    removals[RepetitionLayer].Add(Vocabulary.PitchToken(LastPitch(voice)));
                }

                if (Originality is not null && count >= History)
                {
                    Span<int> previous = stackalloc int[History];
                    // The ring is full: its oldest pitch sits where the next one will be written.
                    for (int i = 0; i < History; i++)
                    {
                        previous[i] = _history[(voice * History) + ((_historyNext[voice] + i) % History)];
                    }

                    Originality.AddCopiedContinuations(previous, ref removals[CopyLayer]);
                }
            }
        }

        if (_settings.MaxIdenticalBars > 0 && allowed.Contains(Vocabulary.Bar) && _barNotes > 0
            && _identicalBars >= _settings.MaxIdenticalBars && _barHash == _previousBarHash)
        {
            removals[RepetitionLayer].Add(Vocabulary.Bar);
        }
    }

    private void CountVetoes(in TokenSet allowed, Span<TokenSet> removals, int level)
    {
        if (level > 0)
        {
            RelaxedDraws++;
        }

        if (level < Layers)
        {
            TokenSet beforeCopy = allowed;
            for (int r = level; r < CopyLayer; r++)
            {
                beforeCopy.ExceptWith(removals[r]);
            }

            if (beforeCopy.Overlaps(removals[CopyLayer]))
            {
                OriginalityVetoes++;
            }
        }

        if (level == 0)
        {
            TokenSet beforeRepetition = allowed;
            for (int r = RepetitionLayer + 1; r < Layers; r++)
            {
                beforeRepetition.ExceptWith(removals[r]);
            }

            if (beforeRepetition.Overlaps(removals[RepetitionLayer]))
            {
                RepetitionVetoes++;
            }
        }
    }

    // The key's scale and/or the chord's tones, as strictness asks; all twelve where there is nothing to follow.
    private int AllowedPitchClasses()
    {
        int key = _grammar.KeyIndex;
        int scale = key >= 0 ? KeyMasks[key] : PitchClassSet.AllMask;
        Chord chord = _grammar.Chord;
        int chordTones = chord.IsNone ? 0 : chord.PitchClasses.Mask;
        return _settings.Strictness switch
        {
            PitchStrictness.ScaleTones => scale,
            PitchStrictness.ScaleAndChordTones => scale | chordTones,
            PitchStrictness.ChordTones => chordTones != 0 ? chordTones : scale,
            _ => PitchClassSet.AllMask,
        };
    }

    private int Draw(ReadOnlySpan<float> logits, int n)
    {
        float max = float.NegativeInfinity;
        int argmax = _ids[0];
        for (int i = 0; i < n; i++)
        {
            float logit = logits[_ids[i]];
            if (logit > max)
            {
                max = logit;
                argmax = _ids[i];
            }
        }

        if (n == 1 || _settings.Temperature == 0)
        {
            return argmax;
        }

        float inverse = 1f / _settings.Temperature;
        bool uniform = float.IsNegativeInfinity(max);
        double total = 0;
        float lowest = 0;
        for (int i = 0; i < n; i++)
        {
            float logit = logits[_ids[i]];
            float score = uniform ? 0 : float.IsNaN(logit) ? float.NegativeInfinity : (logit - max) * inverse;
            float weight = MathF.Exp(score);
            _scores[i] = score;
            _weights[i] = weight;
            total += weight;
            if (weight > 0 && score < lowest)
            {
                lowest = score;
            }
        }

        float threshold = float.NegativeInfinity;
        if (_settings.TopP < 1)
        {
            threshold = NucleusThreshold(n, lowest, _settings.TopP * total, out total);
        }

        double u = _random.NextFloat() * total;
        int chosen = argmax;
        for (int i = 0; i < n; i++)
        {
            if (_scores[i] < threshold || _weights[i] <= 0)
            {
                continue;
            }

            chosen = _ids[i];
            u -= _weights[i];
            if (u < 0)
            {
                break;
            }
        }

        // Rounding can leave u a hair above 0 after the last token: the last one kept is taken.
        return chosen;
    }

    // The highest score threshold whose tokens hold at least `target` of the mass (bisection on [lowest, 0]).
    private float NucleusThreshold(int n, float lowest, double target, out double mass)
    {
        float lo = lowest, hi = 0;
        mass = Mass(n, hi);
        if (mass >= target)
        {
            return hi;
        }

        double loMass = Mass(n, lo);
        for (int round = 0; round < BisectionRounds; round++)
        {
            float mid = lo + ((hi - lo) * 0.5f);
            double midMass = Mass(n, mid);
            if (midMass >= target)
            {
                lo = mid;
                loMass = midMass;
            }
            else
            {
                hi = mid;
            }
        }

        mass = loMass;
        return lo;
    }

    private double Mass(int n, float threshold)
    {
        double mass = 0;
        for (int i = 0; i < n; i++)
        {
            if (_scores[i] >= threshold)
            {
                mass += _weights[i];
            }
        }

        return mass;
    }

    private int LastPitch(int voice) => _history[(voice * History) + ((_historyNext[voice] + History - 1) % History)];

    private bool IsGuarded(int voice) => voice >= 0 && (_settings.GuardedVoices & (1 << voice)) != 0;

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ushort[] BuildKeyMasks()
    {
        var masks = new ushort[Key.MajorMinorCount];
        for (int i = 0; i < masks.Length; i++)
        {
            Key key = Key.FromIndex(i);
            PitchClassSet scale = key.PitchClasses;
            if (key.Mode == Mode.Minor)
            {
                int tonic = key.TonicPitchClass.Value;
                scale = scale.Union(Scale.HarmonicMinorIntervals.Transpose(tonic)).Union(Scale.MelodicMinorIntervals.Transpose(tonic));
            }

            masks[i] = (ushort)scale.Mask;
        }

        return masks;
    }
}
