using System.Diagnostics;

namespace CoPilot.Core;

/// <summary>
/// The audio-thread half of call and response: it feeds the player's notes to the inference thread,
/// notices when a phrase ends, takes the answer back and plays it in time, and cancels it the moment
/// the player plays again or the transport jumps.
/// </summary>
/// <remarks>[audio thread] only, except construction; no allocation, no locks.</remarks>
public sealed class CallAndResponse
{
    /// <summary>Answers start on this grid (in beats) after the phrase end, so they land on the beat.</summary>
    public const double AnswerGridBeats = 0.5;

    /// <summary>Room left for the inference thread before the first answer note (about 25 ms at 120 BPM).</summary>
    public const double ThinkingBeats = 0.05;

    public const int MaxBlockEvents = 128;

    /// <summary>
    /// Accompany asks for a chord this long before its slot starts: the inference thread needs a few milliseconds,
    /// and the melody of the last moments before the slot is still heard (125 ms at 120 BPM).
    /// </summary>
    public const double ChordLeadBeats = 0.25;

    /// <summary>Accompany stops asking for chords once the player has been silent this many bars.</summary>
    public const int AccompanyQuietBars = 2;

    private readonly SpscRing<EngineMessage> _toWorker;
    private readonly SpscRing<ScheduledNote> _fromWorker;
    private readonly AnswerScheduler _scheduler = new();
    private readonly BlockNoteEvent[] _blockEvents = new BlockNoteEvent[MaxBlockEvents];
    private readonly ulong _seed;
    private int _blockEventCount;
    private int _blockEventIndex;
    private int _phraseId;

    // One clock read per block, not per note: clock_gettime was a quarter of the audio path's time.
    private long _blockTimestamp;
    private int _cancelledUpTo;

    // Accompany: the last chord slot asked for (its id and start beat), slots whose chords are no longer wanted,
    // and when the player last played.
    private bool _accompanying;
    private int _slotId;
    private int _slotsCancelledUpTo;
    private double _lastSlotBeat = double.NegativeInfinity;
    private double _lastPlayerBeat = double.NaN;

    public CallAndResponse(SpscRing<EngineMessage> toWorker, SpscRing<ScheduledNote> fromWorker, ulong seed = 0x9E3779B97F4A7C15)
    {
        _toWorker = toWorker;
        _fromWorker = fromWorker;
        _seed = seed;
    }

    public BeatClock Clock { get; } = new();

    public PhraseDetector Phrases { get; } = new();

    public AnswerScheduler Scheduler => _scheduler;

    /// <summary>Creativity for the next answers, 0-1.</summary>
    public float Creativity { get; set; } = 0.3f;

    /// <summary>The style of the next answers (the Style parameter's index), carried to the inference thread.</summary>
    public byte Style { get; set; }

    /// <summary>Whether phrase ends are answered (Continue mode) or only learned from.</summary>
    public bool Answering { get; set; }

    /// <summary>
    /// Whether the player is accompanied (Accompany mode): chords on every slot (<see cref="SlotBeats"/>) while the
    /// player plays, which the player's notes never cancel. Turning it off drops the chords not yet played; the
    /// router's mode change releases the one sounding.
    /// </summary>
    public bool Accompanying
    {
        get => _accompanying;
        set
        {
            if (_accompanying && !value)
            {
                CancelChords();
            }

            _accompanying = value;
        }
    }

    /// <summary>
    /// How long a chord slot lasts: half a bar or a bar, by the metre (<see cref="ChordGrid"/>).
    /// </summary>
    public double SlotBeats => ChordGrid.SlotBeats(Clock.Numerator, Clock.BeatsPerBar);

    /// <summary>Chord slots asked for so far.</summary>
    public int ChordSlots => _slotId;

    /// <summary>Phrase ends so far.</summary>
    public int PhraseCount => _phraseId;

    /// <summary>Engine beat of the last phrase end, and the beat its answer was asked to start on.</summary>
    public double LastPhraseEndBeat { get; private set; } = double.NaN;

    public double LastAnswerStartBeat { get; private set; } = double.NaN;

    /// <summary>Messages the inference thread could not take (ring full).</summary>
    public long LostMessages => _toWorker.Overflows;

    /// <summary>
    /// Starts a block: advances the clock, cancels everything on a jump or stop, takes finished answers
    /// from the inference thread and works out which answer notes fall in this block.
    /// </summary>
    public void BeginBlock<TSink>(ref TSink sink, NoteRouter router, in TransportInfo transport, int numSamples)
        where TSink : INoteSink
    {
        Clock.Advance(transport, numSamples);
        _blockTimestamp = Stopwatch.GetTimestamp();
        if (Clock.Jumped || Clock.Stopped || Clock.Started)
        {
            // The musical timeline changed under the answer (a jump, a stop, or a start that leaves the
            // free-running clock for the host's position): nothing scheduled in the old one is valid.
            CancelAnswer(ref sink, router, 0);
            CancelChords();
            router.ReleaseGenerated(ref sink, 0);
            Phrases.CancelPhrase();
        }

        while (_fromWorker.TryRead(out ScheduledNote note))
        {
            bool wanted = note.Kind == ScheduledNoteKind.Chord
                ? _accompanying && note.PhraseId > _slotsCancelledUpTo
                : note.PhraseId > _cancelledUpTo && note.PhraseId == _phraseId;
            if (wanted)
            {
                _scheduler.TryAdd(note);
            }
        }

        _blockEventCount = _scheduler.CollectBlock(Clock, _blockEvents);
        _blockEventIndex = 0;
        if (_accompanying)
        {
            AskForChord();
        }
    }

    /// <summary>Sample offset of the next answer event of this block, or int.MaxValue if none is left.</summary>
    public int NextAnswerOffset => _blockEventIndex < _blockEventCount ? _blockEvents[_blockEventIndex].Offset : int.MaxValue;

    /// <summary>Plays the next answer event of this block (call in offset order, merged with input).</summary>
    public void PlayNextAnswerEvent<TSink>(ref TSink sink, NoteRouter router)
        where TSink : INoteSink
    {
        BlockNoteEvent e = _blockEvents[_blockEventIndex++];
        if (e.IsNoteOn)
        {
            router.AnswerNoteOn(ref sink, e.Offset, e.Pitch, e.Velocity);
        }
        else
        {
            router.AnswerNoteOff(ref sink, e.Offset, e.Pitch);
        }
    }

    /// <summary>The player pressed a key: learn it, and stop any answer (the player has the floor).</summary>
    public void PlayerNoteOn<TSink>(ref TSink sink, NoteRouter router, int sampleOffset, int channel, int pitch, float velocity, int noteId)
        where TSink : INoteSink
    {
        // An answer gives the floor back to the player; an accompaniment plays on under them.
        if (!_accompanying && (_scheduler.Pending > 0 || router.AnswerOpen > 0 || _phraseId > _cancelledUpTo))
        {
            CancelAnswer(ref sink, router, sampleOffset);
        }

        double beat = Clock.BeatAt(sampleOffset);
        _lastPlayerBeat = beat;
        Phrases.NoteOn(channel, pitch, beat, noteId);
        Send(EngineMessageKind.Note, new NoteEvent(beat, Clock.SamplePosition - Clock.BlockSamples + sampleOffset, noteId, NoteEventKind.NoteOn, (byte)channel, (byte)pitch, velocity));
    }

    public void PlayerNoteOff(int sampleOffset, int channel, int pitch, int noteId)
    {
        double beat = Clock.BeatAt(sampleOffset);
        if (!double.IsNaN(_lastPlayerBeat))
        {
            _lastPlayerBeat = beat;
        }

        Phrases.NoteOff(channel, pitch, beat, noteId);
        Send(EngineMessageKind.Note, new NoteEvent(beat, Clock.SamplePosition - Clock.BlockSamples + sampleOffset, noteId, NoteEventKind.NoteOff, (byte)channel, (byte)pitch, 0f));
    }

    /// <summary>Ends a block: if the player's phrase ended, asks the inference thread for an answer.</summary>
    public void EndBlock()
    {
        if (!Phrases.TryEnd(Clock, out double endBeat, out double lengthBeats))
        {
            return;
        }

        _phraseId++;
        LastPhraseEndBeat = endBeat;
        double start = Math.Ceiling((endBeat + ThinkingBeats) / AnswerGridBeats) * AnswerGridBeats;
        LastAnswerStartBeat = start;
        // Answer about as long as the call, within one to four bars. Outside Continue mode the phrase is
        // still learned, with nothing asked for (0 beats) and nothing accepted.
        double maxBeats = Answering ? Math.Clamp(Math.Ceiling(lengthBeats), Clock.BeatsPerBar, 4 * Clock.BeatsPerBar) : 0;
        if (!Answering)
        {
            _cancelledUpTo = _phraseId;
        }

        _toWorker.TryWrite(new EngineMessage(
            EngineMessageKind.PhraseEnd, default, _phraseId, start, maxBeats, Creativity, SplitMix64.At(_seed, (ulong)_phraseId), Stopwatch.GetTimestamp(), Style, (byte)Clock.Numerator, (byte)Clock.Denominator));
    }

    /// <summary>Stops the current answer: releases its notes and ignores anything still on its way.</summary>
    public void CancelAnswer<TSink>(ref TSink sink, NoteRouter router, int sampleOffset)
        where TSink : INoteSink
    {
        router.ReleaseAnswers(ref sink, sampleOffset);
        _scheduler.Clear();
        _blockEventCount = _blockEventIndex;
        if (_cancelledUpTo != _phraseId)
        {
            _cancelledUpTo = _phraseId;
            Send(EngineMessageKind.Cancel, default);
        }
    }

    /// <summary>Forgets what was learned (new state) — the inference thread resets its model.</summary>
    public void ResetLearning() => Send(EngineMessageKind.Reset, default);

    /// <summary>Activation: a new timeline, no phrase in progress.</summary>
    public void Reset()
    {
        Clock.Reset();
        Phrases.Reset();
        _scheduler.Clear();
        _blockEventCount = _blockEventIndex = 0;
        _cancelledUpTo = _phraseId;
        CancelChords();
        _lastPlayerBeat = double.NaN;
    }

    // Asks for the chord of the next slot once its start is within ChordLeadBeats of the block's end, as long as
    // the player has played in the last AccompanyQuietBars bars. Slots lie on the bar grid; one request per block.
    private void AskForChord()
    {
        if (double.IsNaN(_lastPlayerBeat))
        {
            return;
        }

        double slot = SlotBeats;
        double from = Math.Max(Clock.BlockStartBeat, _lastSlotBeat + (slot / 2));
        double next = Clock.BarStartBeat + (Math.Ceiling((from - Clock.BarStartBeat - 1e-9) / slot) * slot);
        if (next > Clock.BlockEndBeat + ChordLeadBeats || next - _lastPlayerBeat > AccompanyQuietBars * Clock.BeatsPerBar)
        {
            return;
        }

        _slotId++;
        _lastSlotBeat = next;
        _toWorker.TryWrite(new EngineMessage(
            EngineMessageKind.ChordSlot, default, _slotId, next, slot, Creativity, SplitMix64.At(_seed ^ 0xC4, (ulong)_slotId), _blockTimestamp, Style, (byte)Clock.Numerator, (byte)Clock.Denominator));
    }

    // Chords asked for and not yet played are no longer wanted (a jump, a stop, leaving Accompany): the ones on
    // their way are ignored and the next slot is asked for afresh. The scheduler's waiting notes go with CancelAnswer.
    private void CancelChords()
    {
        _slotsCancelledUpTo = _slotId;
        _lastSlotBeat = double.NegativeInfinity;
        if (_accompanying)
        {
            _scheduler.Clear();
            _blockEventCount = _blockEventIndex;
        }
    }

    private void Send(EngineMessageKind kind, in NoteEvent note) =>
        _toWorker.TryWrite(new EngineMessage(kind, note, _phraseId, 0, 0, Creativity, 0, _blockTimestamp, Style, (byte)Clock.Numerator, (byte)Clock.Denominator));

}
