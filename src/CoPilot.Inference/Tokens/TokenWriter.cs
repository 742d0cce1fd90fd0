using CoPilot.Music;

namespace CoPilot.Inference.Tokens;

/// <summary>What a <see cref="TokenWriter"/> call did.</summary>
public enum TokenStatus : byte
{
    Ok,

    /// <summary>The buffer cannot hold the event's tokens; nothing was written.</summary>
    BufferFull,
    HeaderMissing,
    HeaderAlreadyWritten,

    /// <summary>Eos was written: the sequence is closed.</summary>
    Ended,

    /// <summary>The event comes before one already written (see the canonical order on <see cref="Vocabulary"/>).</summary>
    OutOfOrder,
    MetreWithoutToken,
    KeyOutOfRange,
    PitchOutOfRange,
    DurationNotABucket,
    VelocityOutOfRange,
    VoiceOutOfRange,
}

/// <summary>
/// Appends events to a token sequence one at a time, keeping the running bar, position and voice, so the
/// inference thread can extend a sequence as the player plays. Allocation-free.
/// </summary>
/// <remarks>
/// Every call takes the whole buffer and writes after <see cref="Count"/>: the writer is a plain struct kept
/// in a field next to its buffer. A call writes all of an event's tokens or none (<see cref="TokenStatus.BufferFull"/>),
/// so a full buffer never leaves half an event. Events must come in the canonical order; an event past the
/// current bar opens the bars up to it (in the current metre and key).
/// </remarks>
public struct TokenWriter
{
    private int _count;
    private bool _started;
    private bool _ended;
    private int _bar;
    private int _barStart;
    private int _barTicks;
    private Metre _metre;
    private int _key;
    private int _position;
    private bool _chordAtPosition;
    private bool _noteAtPosition;
    private PieceNote _lastNote;
    private int _voice;

    /// <summary>Tokens written so far.</summary>
    public readonly int Count => _count;

    /// <summary>Index of the open bar, -1 before the first Bar token.</summary>
    public readonly int BarIndex => _started ? _bar : -1;

    /// <summary>Tick at which the open bar starts.</summary>
    public readonly int BarStart => _barStart;

    public readonly Metre Metre => _metre;

    public readonly int KeyIndex => _key;

    public readonly bool IsStarted => _started;

    public readonly bool IsEnded => _ended;

    /// <summary>Forgets everything: the next call must be <see cref="WriteHeader"/>.</summary>
    public void Reset() => this = default;

    /// <summary>Bos, Style, Task, Key (index 0–23 or -1 unknown), Metre.</summary>
    public TokenStatus WriteHeader(Span<int> tokens, Style style, GenerationTask task, int keyIndex, Metre metre)
    {
        if (_started)
        {
            return TokenStatus.HeaderAlreadyWritten;
        }

        int metreIndex = Vocabulary.MetreIndex(metre);
        if (metreIndex < 0)
        {
            return TokenStatus.MetreWithoutToken;
        }

        if (keyIndex is < KeyChange.Unknown or >= Key.MajorMinorCount || (uint)style >= Vocabulary.StyleCount || (uint)task >= Vocabulary.TaskCount)
        {
            return TokenStatus.KeyOutOfRange;
        }

        if (_count + 5 > tokens.Length)
        {
            return TokenStatus.BufferFull;
        }

        tokens[_count++] = Vocabulary.Bos;
        tokens[_count++] = Vocabulary.StyleToken(style);
        tokens[_count++] = Vocabulary.TaskToken(task);
        tokens[_count++] = Vocabulary.KeyToken(keyIndex);
        tokens[_count++] = Vocabulary.MetreToken(metreIndex);
        _started = true;
        _bar = -1;
        _barStart = 0;
        _barTicks = 0;
        _metre = metre;
        _key = keyIndex;
        _voice = -1;
        _position = -1;
        return TokenStatus.Ok;
    }

    /// <summary>Opens the next bar in the current metre and key.</summary>
    public TokenStatus WriteBar(Span<int> tokens) => WriteBar(tokens, _metre, _key);

    /// <summary>Opens the next bar; a Metre and a Key token follow the Bar token where they change.</summary>
    public TokenStatus WriteBar(Span<int> tokens, Metre metre, int keyIndex)
    {
        TokenStatus status = CheckOpen();
        if (status != TokenStatus.Ok)
        {
            return status;
        }

        int metreIndex = Vocabulary.MetreIndex(metre);
        if (metreIndex < 0)
        {
            return TokenStatus.MetreWithoutToken;
        }

        if (keyIndex is < KeyChange.Unknown or >= Key.MajorMinorCount)
        {
            return TokenStatus.KeyOutOfRange;
        }

        int needed = 1 + (metre != _metre ? 1 : 0) + (keyIndex != _key ? 1 : 0);
        if (_count + needed > tokens.Length)
        {
            return TokenStatus.BufferFull;
        }

        tokens[_count++] = Vocabulary.Bar;
        if (metre != _metre)
        {
            tokens[_count++] = Vocabulary.MetreToken(metreIndex);
        }

        if (keyIndex != _key)
        {
            tokens[_count++] = Vocabulary.KeyToken(keyIndex);
        }

        OpenBar(metre);
        _key = keyIndex;
        return TokenStatus.Ok;
    }

    /// <summary>A chord (or NoChord) at its onset: at most one per onset, before the notes there.</summary>
    public TokenStatus WriteChord(Span<int> tokens, PieceChord chord)
    {
        TokenStatus status = CheckOpen();
        if (status != TokenStatus.Ok)
        {
            return status;
        }

        status = Locate(chord.Onset, out int bars, out int position);
        if (status != TokenStatus.Ok)
        {
            return status;
        }

        bool samePosition = bars == 0 && position == _position;
        if (samePosition && (_chordAtPosition || _noteAtPosition))
        {
            return TokenStatus.OutOfOrder;
        }

        int chordTokens = chord.Chord.IsNone ? 1 : chord.Chord.IsSlash ? 3 : 2;
        long needed = (long)bars + (samePosition ? 0 : 1) + chordTokens;
        if (_count + needed > tokens.Length)
        {
            return TokenStatus.BufferFull;
        }

        WriteBarsAndPosition(tokens, bars, position, samePosition);
        if (chord.Chord.IsNone)
        {
            tokens[_count++] = Vocabulary.NoChord;
        }
        else
        {
            tokens[_count++] = Vocabulary.ChordRootToken(chord.Chord.Root);
            tokens[_count++] = Vocabulary.ChordQualityToken(chord.Chord.Quality);
            if (chord.Chord.IsSlash)
            {
                tokens[_count++] = Vocabulary.ChordBassToken(chord.Chord.Bass);
            }
        }

        _chordAtPosition = true;
        return TokenStatus.Ok;
    }

    /// <summary>A note: [Voice] Pitch Duration Velocity, after its Position.</summary>
    public TokenStatus WriteNote(Span<int> tokens, PieceNote note)
    {
        TokenStatus status = CheckOpen();
        if (status != TokenStatus.Ok)
        {
            return status;
        }

        if (note.Pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
        {
            return TokenStatus.PitchOutOfRange;
        }

        int duration = DurationBuckets.IndexOf(note.Duration);
        if (duration < 0)
        {
            return TokenStatus.DurationNotABucket;
        }

        if ((uint)note.Velocity >= VelocityBuckets.Count)
        {
            return TokenStatus.VelocityOutOfRange;
        }

        if ((uint)note.Voice >= Vocabulary.VoiceCount)
        {
            return TokenStatus.VoiceOutOfRange;
        }

        status = Locate(note.Onset, out int bars, out int position);
        if (status != TokenStatus.Ok)
        {
            return status;
        }

        bool samePosition = bars == 0 && position == _position;
        if (samePosition && _noteAtPosition && QuantisedPiece.CompareAtOnset(_lastNote, note) > 0)
        {
            return TokenStatus.OutOfOrder;
        }

        bool voiceChanges = (int)note.Voice != _voice;
        long needed = (long)bars + (samePosition ? 0 : 1) + (voiceChanges ? 1 : 0) + 3;
        if (_count + needed > tokens.Length)
        {
            return TokenStatus.BufferFull;
        }

        WriteBarsAndPosition(tokens, bars, position, samePosition);
        if (voiceChanges)
        {
            tokens[_count++] = Vocabulary.VoiceToken(note.Voice);
            _voice = (int)note.Voice;
        }

        tokens[_count++] = Vocabulary.PitchToken(note.Pitch);
        tokens[_count++] = Vocabulary.DurationToken(duration);
        tokens[_count++] = Vocabulary.VelocityToken(note.Velocity);
        _noteAtPosition = true;
        _lastNote = note;
        return TokenStatus.Ok;
    }

    /// <summary>Eos: closes the sequence.</summary>
    public TokenStatus WriteEnd(Span<int> tokens)
    {
        TokenStatus status = CheckOpen();
        if (status != TokenStatus.Ok)
        {
            return status;
        }

        if (_count + 1 > tokens.Length)
        {
            return TokenStatus.BufferFull;
        }

        tokens[_count++] = Vocabulary.Eos;
        _ended = true;
        return TokenStatus.Ok;
    }

    private readonly TokenStatus CheckOpen() => !_started ? TokenStatus.HeaderMissing : _ended ? TokenStatus.Ended : TokenStatus.Ok;

    // How many bars to open before an event at onset, and its tick in its bar.
    private readonly TokenStatus Locate(int onset, out int bars, out int position)
    {
        bars = 0;
        position = 0;
        int openEnd = _bar < 0 ? 0 : _barStart + _barTicks;
        if (onset < _barStart)
        {
            return TokenStatus.OutOfOrder;
        }

        if (onset < openEnd)
        {
            position = onset - _barStart;
            return position < _position ? TokenStatus.OutOfOrder : TokenStatus.Ok;
        }

        int barTicks = _metre.BarTicks;
        bars = 1 + ((onset - openEnd) / barTicks);
        position = (onset - openEnd) % barTicks;
        return TokenStatus.Ok;
    }

    private void WriteBarsAndPosition(Span<int> tokens, int bars, int position, bool samePosition)
    {
        for (int i = 0; i < bars; i++)
        {
            tokens[_count++] = Vocabulary.Bar;
            OpenBar(_metre);
        }

        if (!samePosition)
        {
            tokens[_count++] = Vocabulary.PositionToken(position);
            _position = position;
            _chordAtPosition = false;
            _noteAtPosition = false;
        }
    }

    private void OpenBar(Metre metre)
    {
        _barStart = _bar < 0 ? 0 : _barStart + _barTicks;
        _bar++;
        _metre = metre;
        _barTicks = metre.BarTicks;
        _position = -1;
        _chordAtPosition = false;
        _noteAtPosition = false;
    }
}
