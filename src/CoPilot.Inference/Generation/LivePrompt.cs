using CoPilot.Core;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Generation;

/// <summary>
/// What the player played, kept as the token sequence the model continues: a ContinueMelody header (style, the
/// live key, the metre), then the player's notes bar by bar on the 12-ticks-a-beat grid, extended note by note
/// as the player plays, so the model can read it a few tokens at a time instead of all at once when a phrase ends.
/// </summary>
/// <remarks>
/// <para><b>Timeline.</b> Bars count from the bar (in engine beats) of the first note heard. A pause longer
/// than <see cref="MaxEmptyBars"/> empty bars is shortened to that many: the model reads bars, and twenty silent
/// bars would fill its context with nothing. Onsets snap to the grid the training data was snapped to: straight
/// 16ths, or triplet points when they are clearly closer; lengths to the nearest duration bucket.</para>
/// <para><b>Melody.</b> The task is a melody continuation, trained on melody voices alone: of notes struck
/// together only the top one is kept (as the style learner does), and a note enters the sequence once it has
/// ended and every earlier note has. A note held longer than <see cref="MaxHeldBars"/> bars after later notes
/// began is ended there, so a stuck key cannot hold the sequence back.</para>
/// <para><b>Window.</b> When the sequence reaches <see cref="SlideAt"/> tokens, it is written again from a later
/// bar so that about half of it remains, and <see cref="Revision"/> changes: a model that read the old tokens
/// must read them again.</para>
/// <para>[inference thread]. Everything is allocated in the constructor; nothing after.</para>
/// </remarks>
public sealed class LivePrompt
{
    public const int MaxEmptyBars = 1;
    public const int MaxHeldBars = 2;

    private const int NoteSearch = 32;

    // The header is Bos Style Task Key Metre: the style is the second token.
    private const int StyleTokenIndex = 1;

    private readonly int[] _tokens;
    private Style _style;
    private readonly HeardNote[] _notes;
    private readonly int[] _barTokenIndex;
    private readonly int[] _barStartTick;
    private readonly LiveKeyTracker _keys = LiveKeyTracker.WithPop909Model();
    private readonly TuneClock _clock = new();
    private TokenWriter _writer;
    private int _noteCount;
    private int _written;
    private int _bars;
    private int _windowStart;
    private int _latestTick;

    /// <param name="capacity">Most tokens the sequence may hold (the model's context less what an answer needs).</param>
    public LivePrompt(int capacity, Style style = Style.Pop, int noteCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(noteCapacity, 16);
        SlideAt = capacity;
        Style = style;
        _tokens = new int[capacity];
        _notes = new HeardNote[noteCapacity];
        _barTokenIndex = new int[capacity];
        _barStartTick = new int[capacity];
    }

    private struct HeardNote
    {
        public int Onset;
        public int End; // -1 while the key is down
        public byte Pitch;
        public byte Channel;
        public byte Velocity;
    }

    /// <summary>Token count at which the window slides (the capacity).</summary>
    public int SlideAt { get; }

    /// <summary>
    /// The style token of the header. A change rewrites the header of the tokens already written and changes
    /// <see cref="Revision"/>, so a model reads the player's notes again under the new style.
    /// </summary>
    public Style Style
    {
        get => _style;
        set
        {
            if (value == _style)
            {
                return;
            }

            _style = value;
            if (_writer.IsStarted)
            {
                _tokens[StyleTokenIndex] = Vocabulary.StyleToken(value);
                Revision++;
            }
        }
    }

    /// <summary>The metre bars are counted in (4/4 unless the host says otherwise); changing it starts a new timeline.</summary>
    public Metre Metre => _clock.Metre;

    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, _writer.Count);

    public int Count => _writer.Count;

    /// <summary>Changes whenever tokens already handed out changed (a slide or a reset); appending keeps it.</summary>
    public int Revision { get; private set; }

    /// <summary>Notes written into the sequence.</summary>
    public int NoteCount => _written;

    /// <summary>Start of the last open bar, in ticks from the window's first bar.</summary>
    public int OpenBarStart => _writer.BarStart;

    public int BarTicks => Metre.BarTicks;

    /// <summary>Onset of the last note written, in ticks from the window's first bar (0 before any).</summary>
    public int LastOnset { get; private set; }

    /// <summary>The live key (0–23) or -1 while unsure.</summary>
    public int KeyIndex => _keys.HasKey ? _keys.Key.Index : KeyChange.Unknown;

    /// <summary>Sets the metre; a different one forgets the notes (their bars no longer hold). Ignored without a token.</summary>
    public void SetMetre(Metre metre)
    {
        if (metre != Metre && metre.HasToken)
        {
            _clock.Metre = metre;
            Restart();
        }
    }

    /// <summary>One of the player's note events, in time order.</summary>
    public void Observe(in NoteEvent e)
    {
        if (!double.IsFinite(e.Beat) || e.Pitch > 127 || e.Channel > 15)
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
            NoteOn(e.Beat, e.Pitch, e.Channel, e.Velocity);
        }
        else
        {
            NoteOff(_clock.Tick(e.Beat), e.Pitch, e.Channel);
        }

        Settle();
    }

    /// <summary>The phrase ended: notes still held end at the latest moment heard, and enter the sequence.</summary>
    public void CloseHeld()
    {
        for (int i = _written; i < _noteCount; i++)
        {
            ref HeardNote n = ref _notes[i];
            if (n.End < 0)
            {
                n.End = Math.Max(_latestTick, n.Onset + 1);
            }
        }

        Settle();
    }

    /// <summary>The pitch range of the last <paramref name="notes"/> notes written; false when none.</summary>
    public bool TryGetRegister(int notes, out int lowest, out int highest)
    {
        lowest = 127;
        highest = 0;
        for (int i = Math.Max(0, _written - notes); i < _written; i++)
        {
            lowest = Math.Min(lowest, _notes[i].Pitch);
            highest = Math.Max(highest, _notes[i].Pitch);
        }

        return _written > 0;
    }

    /// <summary>Forgets the notes and the key (a new song).</summary>
    public void Reset()
    {
        _keys.Reset();
        Restart();
    }

    private void Restart()
    {
        _writer.Reset();
        _noteCount = 0;
        _written = 0;
        _bars = 0;
        _clock.Stop();
        _windowStart = 0;
        _latestTick = 0;
        LastOnset = 0;
        Revision++;
    }

    private void NoteOn(double beat, byte pitch, byte channel, float velocity)
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
                // Struck with the previous note (or a hair before it on the grid): a chord; its top note is the melody.
                if (_written < _noteCount && pitch > last.Pitch)
                {
                    last.Pitch = pitch;
                    last.Channel = channel;
                    last.Velocity = (byte)VelocityBuckets.Of((int)(velocity * 127f));
                    last.End = -1;
                }

                return;
            }
            else
            {
                tick = _clock.ShortenPause(tick, Math.Max(last.Onset, last.End), MaxEmptyBars);
            }
        }

        if (_noteCount == _notes.Length)
        {
            return; // only when over a thousand notes wait behind a held one; MaxHeldBars prevents that
        }

        _latestTick = Math.Max(_latestTick, tick);
        _notes[_noteCount++] = new HeardNote
        {
            Onset = tick,
            End = -1,
            Pitch = pitch,
            Channel = channel,
            Velocity = (byte)VelocityBuckets.Of((int)(velocity * 127f)),
        };
    }

    private void NoteOff(int tick, byte pitch, byte channel)
    {
        _latestTick = Math.Max(_latestTick, tick);
        for (int i = _noteCount - 1; i >= Math.Max(_written, _noteCount - NoteSearch); i--)
        {
            ref HeardNote n = ref _notes[i];
            if (n.End < 0 && n.Pitch == pitch && n.Channel == channel)
            {
                n.End = Math.Max(tick, n.Onset + 1);
                return;
            }
        }
    }

    // Writes every note that has ended and has no held note before it.
    private void Settle()
    {
        int latestOnset = _noteCount > 0 ? _notes[_noteCount - 1].Onset : 0;
        while (_written < _noteCount)
        {
            ref HeardNote n = ref _notes[_written];
            if (n.End < 0)
            {
                if (latestOnset - n.Onset < MaxHeldBars * BarTicks)
                {
                    return;
                }

                n.End = latestOnset;
            }

            if (!Write(n))
            {
                Slide();
                if (!Write(n))
                {
                    // A single bar holds more than the window: drop this note rather than stall.
                    Forget(_written + 1);
                    continue;
                }
            }

            _written++;
        }
    }

    private bool Write(in HeardNote n)
    {
        if (!_writer.IsStarted)
        {
            _writer.WriteHeader(_tokens, Style, GenerationTask.ContinueMelody, KeyIndex, Metre);
            _bars = 0;
        }

        int onset = n.Onset - _windowStart;
        while (_writer.BarIndex < 0 || onset >= _writer.BarStart + BarTicks)
        {
            int before = _writer.Count;
            if (_writer.WriteBar(_tokens, Metre, KeyIndex) != TokenStatus.Ok)
            {
                return false;
            }

            _barTokenIndex[_bars] = before;
            _barStartTick[_bars] = _writer.BarStart;
            _bars++;
        }

        int duration = DurationBuckets.Nearest(n.End - n.Onset);
        var note = new PieceNote(onset, duration, n.Pitch, n.Velocity, Voice.Melody);
        if (_writer.Count >= SlideAt - 4 || _writer.WriteNote(_tokens, note) != TokenStatus.Ok)
        {
            return false;
        }

        LastOnset = onset;
        return true;
    }

    // Writes the sequence again from the first bar that leaves about half of it, or from the last bar.
    private void Slide()
    {
        int keep = SlideAt / 2;
        int from = _bars - 1;
        for (int b = 0; b < _bars; b++)
        {
            if (_writer.Count - _barTokenIndex[b] <= keep)
            {
                from = b;
                break;
            }
        }

        int newStart = _windowStart + _barStartTick[Math.Max(from, 0)];
        int first = 0;
        while (first < _written && _notes[first].Onset < newStart)
        {
            first++;
        }

        _windowStart = newStart;
        _writer.Reset();
        _bars = 0;
        Revision++;
        Forget(first);
        int rewrite = _written;
        _written = 0;
        while (_written < rewrite && Write(_notes[_written]))
        {
            _written++;
        }

        if (_written < rewrite)
        {
            Forget(rewrite); // cannot happen with keep ≤ half the window, but never loop on it
        }
    }

    // Drops the first `count` notes from the array (they are out of the window).
    private void Forget(int count)
    {
        count = Math.Min(count, _noteCount);
        if (count <= 0)
        {
            return;
        }

        Array.Copy(_notes, count, _notes, 0, _noteCount - count);
        _noteCount -= count;
        _written = Math.Max(0, _written - count);
    }
}
