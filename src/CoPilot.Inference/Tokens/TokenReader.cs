using CoPilot.Music;

namespace CoPilot.Inference.Tokens;

/// <summary>Why a token sequence is not a canonical sequence (see <see cref="Vocabulary"/>).</summary>
public enum DecodeProblem : byte
{
    None,

    /// <summary>The input ends before Eos, between events (a live sequence that is still growing).</summary>
    MissingEos,

    /// <summary>The input ends inside the header or inside an event.</summary>
    Truncated,

    /// <summary>An id outside [0, <see cref="Vocabulary.Size"/>).</summary>
    TokenOutOfRange,

    /// <summary>A token the grammar does not allow here.</summary>
    UnexpectedToken,
    PositionNotIncreasing,
    PositionBeyondBar,

    /// <summary>A chord, voice or note right after a Bar token, without a Position.</summary>
    MissingPosition,

    /// <summary>A Position followed by no event.</summary>
    EmptyPosition,

    /// <summary>A second chord at one position, or a chord after a note there.</summary>
    ChordOutOfOrder,

    /// <summary>Notes at one position not in voice, pitch, duration, velocity order.</summary>
    NotesOutOfOrder,

    /// <summary>A Voice token naming the voice already current.</summary>
    RedundantVoice,

    /// <summary>A note before any Voice token.</summary>
    NoteWithoutVoice,

    /// <summary>A Metre or Key token after Bar that repeats the current one, or after the first Bar (the header holds those).</summary>
    RedundantChange,

    /// <summary>A ChordBass equal to the root (root position has no bass token).</summary>
    RedundantBass,

    /// <summary>Something other than Pad after Eos.</summary>
    TokensAfterEos,
}

/// <summary>The kind of a <see cref="TokenEvent"/>.</summary>
public enum TokenEventKind : byte
{
    Header,
    Bar,
    Chord,
    Note,
}

/// <summary>
/// One event read from a sequence. Header: Style, Task, KeyIndex, Metre. Bar: BarIndex, BarStart, Metre and
/// KeyIndex in force. Chord and Note: the event with its onset in ticks from bar 0.
/// </summary>
public readonly record struct TokenEvent(
    TokenEventKind Kind,
    Style Style,
    GenerationTask Task,
    int BarIndex,
    int BarStart,
    Metre Metre,
    int KeyIndex,
    PieceNote Note,
    PieceChord Chord);

/// <summary>What <see cref="TokenReader.Read"/> found.</summary>
public enum ReadOutcome : byte
{
    Event,

    /// <summary>Eos was read (and only Pad after it).</summary>
    End,

    /// <summary>See <see cref="TokenReader.Problem"/> and <see cref="TokenReader.ProblemIndex"/>.</summary>
    Error,
}

/// <summary>
/// Reads a token sequence event by event and checks that it is canonical. Never throws on any input and
/// allocates nothing, so the inference thread can read what the model wrote.
/// </summary>
public ref struct TokenReader
{
    private readonly ReadOnlySpan<int> _tokens;
    private int _index;
    private bool _started;
    private bool _ended;
    private Style _style;
    private GenerationTask _task;
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

    public TokenReader(ReadOnlySpan<int> tokens)
    {
        _tokens = tokens;
        _bar = -1;
        _voice = -1;
        _position = -1;
    }

    public DecodeProblem Problem { get; private set; }

    /// <summary>Index of the token where the problem was found.</summary>
    public int ProblemIndex { get; private set; }

    /// <summary>Tokens consumed so far.</summary>
    public readonly int Index => _index;

    public ReadOutcome Read(out TokenEvent result)
    {
        result = default;
        if (Problem != DecodeProblem.None)
        {
            return ReadOutcome.Error;
        }

        if (_ended)
        {
            return ReadOutcome.End;
        }

        if (!_started)
        {
            return ReadHeader(out result);
        }

        if (_index >= _tokens.Length)
        {
            return Fail(DecodeProblem.MissingEos, _index);
        }

        int token = _tokens[_index];
        if ((uint)token >= Vocabulary.Size)
        {
            return Fail(DecodeProblem.TokenOutOfRange, _index);
        }

        if (token == Vocabulary.Eos)
        {
            for (int i = _index + 1; i < _tokens.Length; i++)
            {
                if (_tokens[i] != Vocabulary.Pad)
                {
                    return Fail(DecodeProblem.TokensAfterEos, i);
                }
            }

            _index = _tokens.Length;
            _ended = true;
            return ReadOutcome.End;
        }

        if (token == Vocabulary.Bar)
        {
            return ReadBar(out result);
        }

        int position = _position;
        bool newPosition = false;
        if (Vocabulary.IsPosition(token))
        {
            if (_bar < 0)
            {
                return Fail(DecodeProblem.UnexpectedToken, _index);
            }

            position = token - Vocabulary.PositionBase;
            if (position <= _position)
            {
                return Fail(DecodeProblem.PositionNotIncreasing, _index);
            }

            if (position >= _barTicks)
            {
                return Fail(DecodeProblem.PositionBeyondBar, _index);
            }

            newPosition = true;
            _index++;
            if (_index >= _tokens.Length)
            {
                return Fail(DecodeProblem.Truncated, _index);
            }

            token = _tokens[_index];
            if ((uint)token >= Vocabulary.Size)
            {
                return Fail(DecodeProblem.TokenOutOfRange, _index);
            }
        }

        bool startsEvent = token == Vocabulary.NoChord || Vocabulary.IsChordRoot(token)
            || (uint)(token - Vocabulary.VoiceBase) < Vocabulary.VoiceCount || Vocabulary.IsPitch(token);
        if (!startsEvent)
        {
            return Fail(newPosition ? DecodeProblem.EmptyPosition : DecodeProblem.UnexpectedToken, _index);
        }

        if (!newPosition && _position < 0)
        {
            return Fail(_bar < 0 ? DecodeProblem.UnexpectedToken : DecodeProblem.MissingPosition, _index);
        }

        if (newPosition)
        {
            _position = position;
            _chordAtPosition = false;
            _noteAtPosition = false;
        }

        return token == Vocabulary.NoChord || Vocabulary.IsChordRoot(token) ? ReadChord(token, out result) : ReadNote(token, out result);
    }

    private ReadOutcome ReadHeader(out TokenEvent result)
    {
        result = default;
        if (_tokens.Length < 5)
        {
            for (int i = 0; i < _tokens.Length; i++)
            {
                if ((uint)_tokens[i] >= Vocabulary.Size)
                {
                    return Fail(DecodeProblem.TokenOutOfRange, i);
                }
            }

            return Fail(DecodeProblem.Truncated, _tokens.Length);
        }

        if (_tokens[0] != Vocabulary.Bos)
        {
            return Fail(Kind(_tokens[0]), 0);
        }

        int style = _tokens[1] - Vocabulary.StyleBase;
        if ((uint)style >= Vocabulary.StyleCount)
        {
            return Fail(Kind(_tokens[1]), 1);
        }

        int task = _tokens[2] - Vocabulary.TaskBase;
        if ((uint)task >= Vocabulary.TaskCount)
        {
            return Fail(Kind(_tokens[2]), 2);
        }

        if (!TryKey(_tokens[3], out int key))
        {
            return Fail(Kind(_tokens[3]), 3);
        }

        int metre = _tokens[4] - Vocabulary.MetreBase;
        if ((uint)metre >= Vocabulary.MetreCount)
        {
            return Fail(Kind(_tokens[4]), 4);
        }

        _started = true;
        _index = 5;
        _style = (Style)style;
        _task = (GenerationTask)task;
        _key = key;
        _metre = Vocabulary.Metres[metre];
        result = new TokenEvent(TokenEventKind.Header, _style, _task, -1, 0, _metre, _key, default, default);
        return ReadOutcome.Event;
    }

    private ReadOutcome ReadBar(out TokenEvent result)
    {
        result = default;
        int index = _index + 1;
        Metre metre = _metre;
        int key = _key;
        if (index < _tokens.Length && Vocabulary.IsMetre(_tokens[index]))
        {
            metre = Vocabulary.Metres[_tokens[index] - Vocabulary.MetreBase];
            if (metre == _metre || _bar < 0)
            {
                return Fail(DecodeProblem.RedundantChange, index);
            }

            index++;
        }

        if (index < _tokens.Length && TryKey(_tokens[index], out int newKey))
        {
            if (newKey == _key || _bar < 0)
            {
                return Fail(DecodeProblem.RedundantChange, index);
            }

            key = newKey;
            index++;
        }

        _index = index;
        _barStart = _bar < 0 ? 0 : _barStart + _barTicks;
        _bar++;
        _metre = metre;
        _barTicks = metre.BarTicks;
        _key = key;
        _position = -1;
        _chordAtPosition = false;
        _noteAtPosition = false;
        result = new TokenEvent(TokenEventKind.Bar, _style, _task, _bar, _barStart, _metre, _key, default, default);
        return ReadOutcome.Event;
    }

    private ReadOutcome ReadChord(int token, out TokenEvent result)
    {
        result = default;
        if (_chordAtPosition || _noteAtPosition)
        {
            return Fail(DecodeProblem.ChordOutOfOrder, _index);
        }

        Chord chord = Chord.None;
        if (token != Vocabulary.NoChord)
        {
            if (_index + 1 >= _tokens.Length)
            {
                return Fail(DecodeProblem.Truncated, _index + 1);
            }

            int quality = _tokens[_index + 1] - Vocabulary.ChordQualityBase;
            if ((uint)quality >= ChordQualities.Count)
            {
                return Fail(Kind(_tokens[_index + 1]), _index + 1);
            }

            var root = new PitchClass(token - Vocabulary.ChordRootBase);
            PitchClass bass = root;
            _index += 2;
            if (_index < _tokens.Length && Vocabulary.IsChordBass(_tokens[_index]))
            {
                bass = new PitchClass(_tokens[_index] - Vocabulary.ChordBassBase);
                if (bass == root)
                {
                    return Fail(DecodeProblem.RedundantBass, _index);
                }

                _index++;
            }

            chord = new Chord(root, (ChordQuality)quality, bass);
        }
        else
        {
            _index++;
        }

        _chordAtPosition = true;
        result = new TokenEvent(TokenEventKind.Chord, _style, _task, _bar, _barStart, _metre, _key, default, new PieceChord(_barStart + _position, chord));
        return ReadOutcome.Event;
    }

    private ReadOutcome ReadNote(int token, out TokenEvent result)
    {
        result = default;
        int index = _index;
        int voice = _voice;
        if (!Vocabulary.IsPitch(token))
        {
            voice = token - Vocabulary.VoiceBase;
            if (voice == _voice)
            {
                return Fail(DecodeProblem.RedundantVoice, index);
            }

            index++;
            if (index >= _tokens.Length)
            {
                return Fail(DecodeProblem.Truncated, index);
            }

            if (!Vocabulary.IsPitch(_tokens[index]))
            {
                return Fail(Kind(_tokens[index]), index);
            }
        }
        else if (voice < 0)
        {
            return Fail(DecodeProblem.NoteWithoutVoice, index);
        }

        if (index + 2 >= _tokens.Length)
        {
            return Fail(DecodeProblem.Truncated, _tokens.Length);
        }

        int duration = _tokens[index + 1] - Vocabulary.DurationBase;
        if ((uint)duration >= Vocabulary.DurationCount)
        {
            return Fail(Kind(_tokens[index + 1]), index + 1);
        }

        int velocity = _tokens[index + 2] - Vocabulary.VelocityBase;
        if ((uint)velocity >= VelocityBuckets.Count)
        {
            return Fail(Kind(_tokens[index + 2]), index + 2);
        }

        var note = new PieceNote(
            _barStart + _position,
            DurationBuckets.Ticks[duration],
            _tokens[index] - Vocabulary.PitchBase + Vocabulary.LowestPitch,
            velocity,
            (Voice)voice);
        if (_noteAtPosition && QuantisedPiece.CompareAtOnset(_lastNote, note) > 0)
        {
            return Fail(DecodeProblem.NotesOutOfOrder, _index);
        }

        _index = index + 3;
        _voice = voice;
        _noteAtPosition = true;
        _lastNote = note;
        result = new TokenEvent(TokenEventKind.Note, _style, _task, _bar, _barStart, _metre, _key, note, default);
        return ReadOutcome.Event;
    }

    private static bool TryKey(int token, out int keyIndex)
    {
        keyIndex = token == Vocabulary.KeyUnknown ? KeyChange.Unknown : token - Vocabulary.KeyBase;
        return token == Vocabulary.KeyUnknown || Vocabulary.IsKey(token);
    }

    private static DecodeProblem Kind(int token) => (uint)token >= Vocabulary.Size ? DecodeProblem.TokenOutOfRange : DecodeProblem.UnexpectedToken;

    private ReadOutcome Fail(DecodeProblem problem, int index)
    {
        Problem = problem;
        ProblemIndex = index;
        return ReadOutcome.Error;
    }
}
