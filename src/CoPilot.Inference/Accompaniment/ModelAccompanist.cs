using CoPilot.Core;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Accompaniment;

/// <summary>
/// The live accompanist's chords from the model. The player's tune is written as the lead sheet the model
/// learned (task NextChords: the melody's notes, with the chords already chosen in place), and at each slot the
/// model reads it up to the slot and says whether the harmony changes there and to what.
/// </summary>
/// <remarks>
/// <para><b>Decisions.</b> At a slot the sequence ends with the slot's Position token, as a lead sheet would
/// continue there. The first slot always gets a chord; a later one changes chord when the model gives the chord
/// tokens more than half its probability there, as <see cref="Generation.ChordAccompanist"/> does offline. The
/// root is drawn from the model's root logits, then the quality after it, at a temperature set by Creativity
/// (0: the likeliest). Drawing the chord already sounding holds it: a lead sheet writes a chord only where it
/// changes, so the model asks for one where it expects a change, but when the tune so far has gone its own way
/// (the first chord struck under a pickup, say) the chord it expects may be the one playing, and forcing another
/// then would be wrong. Without a change the chord sounding is struck again.</para>
/// <para><b>Timeline.</b> Ticks count from the bar of the first note heard (bars on the engine's beat grid, as the
/// audio thread's slots are), 12 to the beat, onsets on the training grid. A pause of more than
/// <see cref="MaxEmptyBars"/> empty bars is shortened to that. Of notes struck together the top one is the tune.
/// A note still held at a slot is written as lasting to the slot: all that is known of it yet.</para>
/// <para><b>Reading.</b> The sequence is written afresh at each slot into a preallocated buffer and compared
/// with what the model has read: it rewinds to the first difference (usually the last slot's Position, or a
/// note whose end was not known then) and reads on from there, one step per token, so a slot costs a few dozen
/// steps. When the sequence outgrows the context, it starts at a later bar, keeping about half a context of
/// history, and is read again once (about 25 ms).</para>
/// <para><b>Song memory.</b> Each chord chosen is remembered with the model's hidden state at its slot
/// (<see cref="ChordMemory"/>), and later chords are drawn from the model mixed with that memory, so a tune that
/// comes round again gets its chords again, even past the context window. The memory lives across the host's
/// loops (the song goes on) and is cleared by <see cref="Reset"/> and a new metre. A model without a hidden
/// state has no memory.</para>
/// <para>[inference thread] only; everything is allocated in the constructor.</para>
/// </remarks>
public sealed class ModelAccompanist : IAccompanist
{
    public const int MaxEmptyBars = 1;

    /// <summary>How likely the model must find a chord at a slot for the harmony to change there.</summary>
    public const float ChangeThreshold = 0.5f;

    private const int NoteCapacity = 512;
    private const int ChordCapacity = 256;
    private const int NoteSearch = 32;

    private readonly ILogitsSource _model;
    private readonly int _capacity;
    private readonly int[] _build;
    private readonly int[] _fed;
    private readonly int[] _barIndex;
    private readonly float[] _logits;
    private readonly float[] _weights = new float[Math.Max(PitchClass.Count, ChordQualities.Count)];
    private readonly int[] _pitches = new int[ChordVoicing.MaxNotes];
    private readonly HeardNote[] _notes = new HeardNote[NoteCapacity];
    private readonly PieceChord[] _chords = new PieceChord[ChordCapacity];
    private readonly LiveKeyTracker _keys = LiveKeyTracker.WithPop909Model();
    private readonly TuneClock _clock = new();
    private readonly ChordMemory? _memory;
    private int _fedCount;
    private int _noteCount;
    private int _chordCount;
    private int _barsBuilt;
    private int _windowTick;
    private int _lastActivity;
    private Chord _sounding;

    public ModelAccompanist(ILogitsSource model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (model.VocabSize < Vocabulary.Size || model.ContextLength < 64)
        {
            throw new ArgumentException("The model's vocabulary or context is too small to accompany.", nameof(model));
        }

        // One position stays free to peek at the quality after a root.
        _capacity = model.ContextLength - 1;
        _build = new int[_capacity];
        _fed = new int[_capacity];
        _barIndex = new int[_capacity];
        _logits = new float[model.VocabSize];
        _memory = model.Hidden.Length > 0 ? new ChordMemory(model.Hidden.Length) : null;
    }

    private struct HeardNote
    {
        public int Onset;
        public int End; // -1 while the key is down
        public byte Pitch;
        public byte Velocity;
    }

    /// <summary>The metre bars are counted in; a change starts a new timeline.</summary>
    public Metre Metre => _clock.Metre;

    /// <summary>The chord now played, <see cref="Chord.None"/> before the first.</summary>
    public Chord Sounding => _sounding;

    /// <summary>Chord changes chosen since the timeline started.</summary>
    public int Changes { get; private set; }

    /// <summary>Chord changes in the song memory (see remarks); 0 when the model gives no hidden state.</summary>
    public int Remembered => _memory?.Count ?? 0;

    /// <summary>Tokens the model read for the last slot (the cost of the decision).</summary>
    public int LastReadTokens { get; private set; }

    /// <summary>The lead sheet as the model read it for the last slot, ending in the slot's Position token.</summary>
    public ReadOnlySpan<int> LastSequence => _fed.AsSpan(0, _fedCount);

    private int BarTicks => Metre.BarTicks;

    public void Observe(in NoteEvent e)
    {
        if (!double.IsFinite(e.Beat) || e.Pitch > 127)
        {
            return;
        }

        bool on = e.IsNoteOn && e.Velocity > 0f;
        if (on)
        {
            _keys.NoteOn(e.Pitch, e.Beat, e.Velocity);
        }
        else
        {
            _keys.NoteOff(e.Pitch, e.Beat);
        }

        if (!_clock.TryStart(e.Beat, on))
        {
            return;
        }

        if (on)
        {
            NoteOn(e.Beat, e.Pitch, e.Velocity);
        }
        else
        {
            NoteOff(_clock.Tick(e.Beat), e.Pitch);
        }
    }

    public int Accompany(in ChordSlotRequest request, Span<GeneratedNote> output)
    {
        LastReadTokens = 0;
        if (!_clock.IsStarted || _noteCount == 0 || !double.IsFinite(request.StartBeat) || !(request.SlotBeats > 0))
        {
            return 0;
        }

        int slot = _clock.Tick(request.StartBeat);
        if (slot <= (_chordCount > 0 ? _chords[_chordCount - 1].Onset : -1))
        {
            return Strike(request, output); // asked twice for one slot: the same chord again
        }

        var style = (Style)Math.Min(request.Style, (byte)(Vocabulary.StyleCount - 1));
        int count = Build(slot, style);
        if (count < 0)
        {
            return 0;
        }

        Read(count);
        // Creativity 0 takes the likeliest chord; above, draws at temperature 0.2 to 1.
        float creativity = Math.Clamp(request.Creativity, 0f, 1f);
        float temperature = creativity > 0 ? 0.2f + (0.8f * creativity) : 0f;
        if (_sounding.IsNone || ChordLogits.ChordShare(_logits) > ChangeThreshold)
        {
            var random = new SplitMix64(request.Seed);
            ReadOnlySpan<float> rootLogits = _logits.AsSpan(Vocabulary.ChordRootBase, PitchClass.Count);
            if (_memory is not null)
            {
                rootLogits = _memory.Roots(_model.Hidden, rootLogits, _sounding);
            }

            int root = ChordLogits.Draw(rootLogits, -1, temperature, _weights, ref random);
            ReadOnlySpan<float> qualityLogits = _model.Step(Vocabulary.ChordRootBase + root).Slice(Vocabulary.ChordQualityBase, ChordQualities.Count);
            if (_memory is not null)
            {
                qualityLogits = _memory.Qualities(root, qualityLogits);
            }

            var quality = (ChordQuality)ChordLogits.Draw(qualityLogits, -1, temperature, _weights, ref random);
            _model.Rewind(_fedCount);
            LastReadTokens++;
            var chord = new Chord(new PitchClass(root), quality);
            if (chord != _sounding)
            {
                _memory?.Remember(root, quality);
                Place(slot, chord);
            }
        }

        return Strike(request, output);
    }

    public void SetMetre(int numerator, int denominator)
    {
        var metre = new Metre(numerator, denominator);
        if (metre != Metre && metre.HasToken)
        {
            _clock.Metre = metre;
            _memory?.Clear();
            Restart();
        }
    }

    public void Reset()
    {
        _keys.Reset();
        _memory?.Clear();
        Restart();
    }

    private void Restart()
    {
        _noteCount = 0;
        _chordCount = 0;
        _clock.Stop();
        _windowTick = 0;
        _lastActivity = 0;
        _sounding = Chord.None;
        Changes = 0;
    }

    private int Strike(in ChordSlotRequest request, Span<GeneratedNote> output)
    {
        int n = Math.Min(ChordVoicing.Block(_sounding, _pitches), output.Length);
        for (int i = 0; i < n; i++)
        {
            output[i] = new GeneratedNote(0, request.SlotBeats, (byte)_pitches[i], i == 0 ? 0.6f : 0.5f);
        }

        return n;
    }

    private void NoteOn(double beat, byte pitch, float velocity)
    {
        int tick = _clock.Tick(beat);
        if (_noteCount > 0)
        {
            ref HeardNote last = ref _notes[_noteCount - 1];
            if (tick < last.Onset - BarTicks)
            {
                // The host's clock went back (a loop, a jump): what came before no longer leads here.
                Restart();
                _clock.StartAt(beat);
                tick = _clock.Tick(beat);
            }
            else if (tick <= last.Onset)
            {
                // Struck with the previous note: a chord, whose top note is the tune.
                if (pitch > last.Pitch)
                {
                    last.Pitch = pitch;
                    last.Velocity = (byte)VelocityBuckets.Of((int)(velocity * 127f));
                    last.End = -1;
                }

                return;
            }
        }

        if (_noteCount > 0)
        {
            tick = _clock.ShortenPause(tick, _lastActivity, MaxEmptyBars);
        }

        if (_noteCount == _notes.Length)
        {
            Drop(_notes.Length / 4);
        }

        _notes[_noteCount++] = new HeardNote { Onset = tick, End = -1, Pitch = pitch, Velocity = (byte)VelocityBuckets.Of((int)(velocity * 127f)) };
        _lastActivity = Math.Max(_lastActivity, tick);
    }

    private void NoteOff(int tick, byte pitch)
    {
        for (int i = _noteCount - 1; i >= Math.Max(0, _noteCount - NoteSearch); i--)
        {
            ref HeardNote n = ref _notes[i];
            if (n.End < 0 && n.Pitch == pitch)
            {
                n.End = Math.Max(tick, n.Onset + 1);
                _lastActivity = Math.Max(_lastActivity, n.End);
                return;
            }
        }
    }

    private void Place(int slot, Chord chord)
    {
        if (_chordCount == _chords.Length)
        {
            Array.Copy(_chords, _chords.Length / 4, _chords, 0, _chords.Length - (_chords.Length / 4));
            _chordCount -= _chords.Length / 4;
        }

        _chords[_chordCount++] = new PieceChord(slot, chord);
        _sounding = chord;
        _lastActivity = Math.Max(_lastActivity, slot);
        Changes++;
    }

    // Writes the lead sheet from the window's first bar up to the slot's Position token; moves the window on
    // when it does not fit. Returns the token count, or -1 if even one bar is more than the context holds.
    private int Build(int slot, Style style)
    {
        if (slot < _windowTick)
        {
            _windowTick = slot / BarTicks * BarTicks;
        }

        for (int attempt = 0; attempt < 16; attempt++)
        {
            int count = TryBuild(slot, style);
            if (count >= 0)
            {
                return count;
            }

            // Start at the bar that leaves about half the context of what was written, or one bar later.
            int keepFrom = _barsBuilt - 1;
            for (int b = 0; b < _barsBuilt; b++)
            {
                if (_capacity - _barIndex[b] <= _capacity / 2)
                {
                    keepFrom = b;
                    break;
                }
            }

            _windowTick += Math.Max(1, keepFrom) * BarTicks;
        }

        return -1;
    }

    private int TryBuild(int slot, Style style)
    {
        var writer = default(TokenWriter);
        Span<int> tokens = _build;
        _barsBuilt = 0;
        if (writer.WriteHeader(tokens, style, GenerationTask.NextChords, _keys.HasKey ? _keys.Key.Index : KeyChange.Unknown, Metre) != TokenStatus.Ok)
        {
            return -1;
        }

        int note = 0, chord = 0;
        while (note < _noteCount && _notes[note].Onset < _windowTick)
        {
            note++;
        }

        while (chord < _chordCount && _chords[chord].Onset < _windowTick)
        {
            chord++;
        }

        while (true)
        {
            int noteOnset = note < _noteCount && _notes[note].Onset < slot ? _notes[note].Onset : int.MaxValue;
            int chordOnset = chord < _chordCount && _chords[chord].Onset < slot ? _chords[chord].Onset : int.MaxValue;
            int onset = Math.Min(noteOnset, chordOnset);
            if (onset == int.MaxValue)
            {
                break;
            }

            if (!OpenBarsTo(ref writer, onset - _windowTick))
            {
                return -1;
            }

            TokenStatus status;
            if (chordOnset <= noteOnset)
            {
                status = writer.WriteChord(tokens, _chords[chord++] with { Onset = onset - _windowTick });
            }
            else
            {
                HeardNote n = _notes[note++];
                int end = n.End >= 0 ? n.End : slot;
                int duration = DurationBuckets.Nearest(Math.Max(1, end - n.Onset));
                status = writer.WriteNote(tokens, new PieceNote(onset - _windowTick, duration, n.Pitch, n.Velocity, Tokens.Voice.Melody));
            }

            if (status == TokenStatus.BufferFull)
            {
                return -1;
            }
        }

        int relative = slot - _windowTick;
        if (!OpenBarsTo(ref writer, relative) || writer.Count >= tokens.Length)
        {
            return -1;
        }

        int count = writer.Count;
        tokens[count++] = Vocabulary.PositionToken(relative - writer.BarStart);
        return count;
    }

    private bool OpenBarsTo(ref TokenWriter writer, int tick)
    {
        while (writer.BarIndex < 0 || tick >= writer.BarStart + BarTicks)
        {
            int before = writer.Count;
            // The header's key holds for every bar: a Key token in a bar would say the tune modulated there.
            if (writer.WriteBar(_build, Metre, writer.KeyIndex) != TokenStatus.Ok)
            {
                return false;
            }

            _barIndex[_barsBuilt++] = before;
        }

        return true;
    }

    // Reads _build[..count) through the model: rewinds to the first token that differs from what it read, then
    // steps through the rest. The logits after the last token end up in _logits.
    private void Read(int count)
    {
        int same = 0;
        int limit = Math.Min(Math.Min(_fedCount, count - 1), _model.Position);
        while (same < limit && _fed[same] == _build[same])
        {
            same++;
        }

        _model.Rewind(same);

        ReadOnlySpan<float> logits = default;
        for (int i = same; i < count; i++)
        {
            logits = _model.Step(_build[i]);
            _fed[i] = _build[i];
        }

        logits.CopyTo(_logits);
        _fedCount = count;
        LastReadTokens = count - same;
    }

    private void Drop(int count)
    {
        Array.Copy(_notes, count, _notes, 0, _noteCount - count);
        _noteCount -= count;
        _windowTick = Math.Max(_windowTick, _notes[0].Onset / BarTicks * BarTicks);
    }
}
