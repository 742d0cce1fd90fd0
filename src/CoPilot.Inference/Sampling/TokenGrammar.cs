using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Sampling;

/// <summary>Where a <see cref="TokenGrammar"/> is in the canonical sequence: what kind of token comes next.</summary>
public enum GrammarPhase : byte
{
    ExpectBos,
    ExpectStyle,
    ExpectTask,
    ExpectKey,
    ExpectMetre,

    /// <summary>After the header: Bar or Eos.</summary>
    AfterHeader,

    /// <summary>After Bar (and its optional Metre and Key): another Bar, Eos, a Position, or a change token.</summary>
    BarOpen,

    /// <summary>After Position: an event must start (a chord or a note).</summary>
    AfterPosition,
    AfterChordRoot,

    /// <summary>A chord is complete unless a ChordBass follows.</summary>
    AfterChordQuality,
    AfterVoice,
    AfterPitch,
    AfterDuration,

    /// <summary>Between events: Eos, Bar, a later Position, or another note at this position.</summary>
    EventBoundary,

    /// <summary>Eos was read: only Pad may follow.</summary>
    Ended,
}

/// <summary>
/// The canonical token grammar (see <see cref="Vocabulary"/>) as an incremental state machine: after each
/// token it gives the set of tokens that may come next, exactly those after which <see cref="TokenReader"/>
/// still reads the sequence without a problem. A sampler that only draws from <see cref="Allowed"/> can never
/// write a sequence the <see cref="TokenDecoder"/> rejects.
/// </summary>
/// <remarks>
/// A plain struct of a few ints: no allocation, copied freely (a copy is a saved state). The next-token set is
/// built from whole token ranges on each call (a handful of 64-bit word operations), so no table of states is
/// needed: the state that matters (bar length, position, voice, the last note at this onset) has too many
/// combinations to tabulate, but each only moves the bounds of a range.
/// </remarks>
public struct TokenGrammar
{
    private GrammarPhase _phase;
    private bool _canChangeMetre;
    private bool _canChangeKey;
    private int _metreIndex;
    private int _barTicks;

    // Stored one above their value so that default(TokenGrammar) is a fresh grammar: -1 (none) is 0.
    private int _keyPlus1;
    private int _barPlus1;
    private int _positionPlus1;
    private int _voicePlus1;
    private bool _noteAtPosition;
    private PieceNote _lastNote;
    private int _pendingVoice;
    private int _pendingPitch;
    private int _pendingDuration;
    private int _chordRoot;
    private Chord _chord;
    private int _count;

    public readonly GrammarPhase Phase => _phase;

    private int _key
    {
        readonly get => _keyPlus1 - 1;
        set => _keyPlus1 = value + 1;
    }

    private int _bar
    {
        readonly get => _barPlus1 - 1;
        set => _barPlus1 = value + 1;
    }

    private int _position
    {
        readonly get => _positionPlus1 - 1;
        set => _positionPlus1 = value + 1;
    }

    private int _voice
    {
        readonly get => _voicePlus1 - 1;
        set => _voicePlus1 = value + 1;
    }

    /// <summary>Tokens accepted so far.</summary>
    public readonly int Count => _count;

    /// <summary>Index of the open bar, -1 before the first Bar token.</summary>
    public readonly int BarIndex => _bar;

    /// <summary>Tick of the current onset in its bar, -1 before the bar's first Position.</summary>
    public readonly int Position => _position;

    /// <summary>Length of the open bar in ticks (0 before the first bar).</summary>
    public readonly int BarTicks => _barTicks;

    /// <summary>The key in force: index 0–23 (<see cref="Key.Index"/>), -1 when unknown or before the header's key.</summary>
    public readonly int KeyIndex => _key;

    /// <summary>The chord in force: the last one written (<see cref="Chord.None"/> before any or after NoChord).</summary>
    public readonly Chord Chord => _chord;

    /// <summary>
    /// The voice a note started now belongs to: the one its Voice token named (in <see cref="GrammarPhase.AfterVoice"/>
    /// and while the note is written), else the voice of the last note, -1 before any.
    /// </summary>
    public readonly int NoteVoice => _phase is GrammarPhase.AfterVoice or GrammarPhase.AfterPitch or GrammarPhase.AfterDuration ? _pendingVoice : _voice;

    /// <summary>Pitch of the note being written (after its Pitch token, until its Velocity).</summary>
    public readonly int NotePitch => _pendingPitch;

    /// <summary>Duration bucket of the note being written (after its Duration token, until its Velocity).</summary>
    public readonly int NoteDurationBucket => _pendingDuration;

    /// <summary>True between events, where the sequence could end (Eos is allowed).</summary>
    public readonly bool IsAtEventBoundary =>
        _phase is GrammarPhase.AfterHeader or GrammarPhase.BarOpen or GrammarPhase.AfterChordQuality or GrammarPhase.EventBoundary;

    public readonly bool IsEnded => _phase == GrammarPhase.Ended;

    /// <summary>Back to the start of a sequence (as <c>default</c>: expecting Bos).</summary>
    public void Reset() => this = default;

    /// <summary>The tokens that may come next.</summary>
    public readonly TokenSet Allowed
    {
        get
        {
            var set = default(TokenSet);
            switch (_phase)
            {
                case GrammarPhase.ExpectBos:
                    set.Add(Vocabulary.Bos);
                    break;
                case GrammarPhase.ExpectStyle:
                    set.AddRange(Vocabulary.StyleBase, Vocabulary.StyleCount);
                    break;
                case GrammarPhase.ExpectTask:
                    set.AddRange(Vocabulary.TaskBase, Vocabulary.TaskCount);
                    break;
                case GrammarPhase.ExpectKey:
                    set.AddRange(Vocabulary.KeyBase, Key.MajorMinorCount + 1);
                    break;
                case GrammarPhase.ExpectMetre:
                    set.AddRange(Vocabulary.MetreBase, Vocabulary.MetreCount);
                    break;
                case GrammarPhase.AfterHeader:
                    set.Add(Vocabulary.Bar);
                    set.Add(Vocabulary.Eos);
                    break;
                case GrammarPhase.BarOpen:
                    set.Add(Vocabulary.Bar);
                    set.Add(Vocabulary.Eos);
                    set.AddRange(Vocabulary.PositionBase, _barTicks);
                    if (_canChangeMetre)
                    {
                        set.AddRange(Vocabulary.MetreBase, Vocabulary.MetreCount);
                        set.Remove(Vocabulary.MetreToken(_metreIndex));
                    }

                    if (_canChangeKey)
                    {
                        set.AddRange(Vocabulary.KeyBase, Key.MajorMinorCount + 1);
                        set.Remove(Vocabulary.KeyToken(_key));
                    }

                    break;
                case GrammarPhase.AfterPosition:
                    set.Add(Vocabulary.NoChord);
                    set.AddRange(Vocabulary.ChordRootBase, PitchClass.Count);
                    AddNoteStarts(ref set);
                    break;
                case GrammarPhase.AfterChordRoot:
                    set.AddRange(Vocabulary.ChordQualityBase, ChordQualities.Count);
                    break;
                case GrammarPhase.AfterChordQuality:
                    set.AddRange(Vocabulary.ChordBassBase, PitchClass.Count);
                    set.Remove(Vocabulary.ChordBassBase + _chordRoot);
                    AddBoundary(ref set);
                    break;
                case GrammarPhase.EventBoundary:
                    AddBoundary(ref set);
                    break;
                case GrammarPhase.AfterVoice:
                    set.AddRange(Vocabulary.PitchBase, Vocabulary.PitchCount);
                    break;
                case GrammarPhase.AfterPitch:
                    {
                        int from = RepeatsLastNote(_pendingVoice, _pendingPitch) ? DurationBuckets.IndexOf(_lastNote.Duration) : 0;
                        set.AddRange(Vocabulary.DurationBase + from, Vocabulary.DurationCount - from);
                        break;
                    }

                case GrammarPhase.AfterDuration:
                    {
                        bool same = RepeatsLastNote(_pendingVoice, _pendingPitch) && DurationBuckets.Ticks[_pendingDuration] == _lastNote.Duration;
                        int from = same ? _lastNote.Velocity : 0;
                        set.AddRange(Vocabulary.VelocityBase + from, VelocityBuckets.Count - from);
                        break;
                    }

                default:
                    set.Add(Vocabulary.Pad);
                    break;
            }

            return set;
        }
    }

    /// <summary>True when <paramref name="token"/> may come next.</summary>
    public readonly bool IsAllowed(int token) => Allowed.Contains(token);

    /// <summary>Moves past <paramref name="token"/>; false (and no change) when the grammar does not allow it here.</summary>
    public bool Accept(int token)
    {
        if (!IsAllowed(token))
        {
            return false;
        }

        _count++;
        switch (_phase)
        {
            case GrammarPhase.ExpectBos:
            case GrammarPhase.ExpectStyle:
            case GrammarPhase.ExpectTask:
                _phase++;
                return true;
            case GrammarPhase.ExpectKey:
                _key = KeyOf(token);
                _phase = GrammarPhase.ExpectMetre;
                return true;
            case GrammarPhase.ExpectMetre:
                SetMetre(token - Vocabulary.MetreBase);
                _phase = GrammarPhase.AfterHeader;
                return true;
            case GrammarPhase.Ended:
                return true;
            case GrammarPhase.AfterChordRoot:
                _chord = new Chord(new PitchClass(_chordRoot), (ChordQuality)(token - Vocabulary.ChordQualityBase));
                _phase = GrammarPhase.AfterChordQuality;
                return true;
            case GrammarPhase.AfterVoice:
                _pendingPitch = token - Vocabulary.PitchBase + Vocabulary.LowestPitch;
                _phase = GrammarPhase.AfterPitch;
                return true;
            case GrammarPhase.AfterPitch:
                _pendingDuration = token - Vocabulary.DurationBase;
                _phase = GrammarPhase.AfterDuration;
                return true;
            case GrammarPhase.AfterDuration:
                _lastNote = new PieceNote(_position, DurationBuckets.Ticks[_pendingDuration], _pendingPitch, token - Vocabulary.VelocityBase, (Voice)_pendingVoice);
                _voice = _pendingVoice;
                _noteAtPosition = true;
                _phase = GrammarPhase.EventBoundary;
                return true;
            default:
                AcceptBetweenEvents(token);
                return true;
        }
    }

    // Bar, Eos, change tokens, Position and the first token of an event.
    private void AcceptBetweenEvents(int token)
    {
        if (token == Vocabulary.Eos)
        {
            _phase = GrammarPhase.Ended;
        }
        else if (token == Vocabulary.Bar)
        {
            // The header holds the first bar's metre and key.
            _canChangeMetre = _bar >= 0;
            _canChangeKey = _bar >= 0;
            _bar++;
            _position = -1;
            _noteAtPosition = false;
            _phase = GrammarPhase.BarOpen;
        }
        else if (Vocabulary.IsMetre(token))
        {
            SetMetre(token - Vocabulary.MetreBase);
            _canChangeMetre = false;
        }
        else if (token == Vocabulary.KeyUnknown || Vocabulary.IsKey(token))
        {
            _key = KeyOf(token);
            _canChangeMetre = false;
            _canChangeKey = false;
        }
        else if (Vocabulary.IsPosition(token))
        {
            _position = token - Vocabulary.PositionBase;
            _noteAtPosition = false;
            _phase = GrammarPhase.AfterPosition;
        }
        else if (token == Vocabulary.NoChord)
        {
            _chord = Chord.None;
            _phase = GrammarPhase.EventBoundary;
        }
        else if (Vocabulary.IsChordRoot(token))
        {
            _chordRoot = token - Vocabulary.ChordRootBase;
            _phase = GrammarPhase.AfterChordRoot;
        }
        else if (Vocabulary.IsChordBass(token))
        {
            _chord = _chord.WithBass(new PitchClass(token - Vocabulary.ChordBassBase));
            _phase = GrammarPhase.EventBoundary;
        }
        else if (Vocabulary.IsPitch(token))
        {
            _pendingVoice = _voice;
            _pendingPitch = token - Vocabulary.PitchBase + Vocabulary.LowestPitch;
            _phase = GrammarPhase.AfterPitch;
        }
        else
        {
            _pendingVoice = token - Vocabulary.VoiceBase;
            _phase = GrammarPhase.AfterVoice;
        }
    }

    // Between events at an onset: no second chord; notes only in voice, pitch, duration, velocity order.
    private readonly void AddBoundary(ref TokenSet set)
    {
        set.Add(Vocabulary.Bar);
        set.Add(Vocabulary.Eos);
        set.AddRange(Vocabulary.PositionBase + _position + 1, _barTicks - _position - 1);
        if (_noteAtPosition)
        {
            set.AddRange(Vocabulary.VoiceBase + _voice + 1, Vocabulary.VoiceCount - _voice - 1);
            int from = _lastNote.Pitch - Vocabulary.LowestPitch;
            set.AddRange(Vocabulary.PitchBase + from, Vocabulary.PitchCount - from);
            return;
        }

        AddNoteStarts(ref set);
    }

    // A note first at its onset: any other voice, or the current one (its Pitch without a Voice token).
    private readonly void AddNoteStarts(ref TokenSet set)
    {
        set.AddRange(Vocabulary.VoiceBase, Vocabulary.VoiceCount);
        if (_voice >= 0)
        {
            set.Remove(Vocabulary.VoiceBase + _voice);
            set.AddRange(Vocabulary.PitchBase, Vocabulary.PitchCount);
        }
    }

    private readonly bool RepeatsLastNote(int voice, int pitch) => _noteAtPosition && (int)_lastNote.Voice == voice && _lastNote.Pitch == pitch;

    private void SetMetre(int metreIndex)
    {
        _metreIndex = metreIndex;
        _barTicks = Vocabulary.Metres[metreIndex].BarTicks;
    }

    private static int KeyOf(int token) => token == Vocabulary.KeyUnknown ? KeyChange.Unknown : token - Vocabulary.KeyBase;
}
