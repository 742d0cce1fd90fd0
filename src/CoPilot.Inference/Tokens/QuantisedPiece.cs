using CoPilot.Music;

namespace CoPilot.Inference.Tokens;

/// <summary>The style a sequence is conditioned on: one per corpus set.</summary>
public enum Style : byte
{
    Pop,
    Rock,
    Folk,
    Chorale,
    Jazz,
}

/// <summary>What the model is asked to do with the sequence: the plugin's four modes.</summary>
public enum GenerationTask : byte
{
    ContinueMelody,
    Harmonize,
    NextChords,
    Accompany,
}

/// <summary>
/// The part a note belongs to. Within one onset notes are ordered by voice, so the order here is the order
/// in the sequence: the tune before what supports it, chorale voices top down.
/// </summary>
public enum Voice : byte
{
    Melody,

    /// <summary>A second melody (POP909 BRIDGE).</summary>
    Harmony,
    Accompaniment,
    Soprano,
    Alto,
    Tenor,
    Bass,
}

/// <summary>A note on the token grid.</summary>
/// <param name="Onset">Ticks (1/12 beat) from the start of bar 0.</param>
/// <param name="Duration">Ticks; one of the <see cref="DurationBuckets"/>.</param>
/// <param name="Velocity">Velocity bucket 0–7 (<see cref="VelocityBuckets"/>).</param>
public readonly record struct PieceNote(int Onset, int Duration, int Pitch, int Velocity, Voice Voice);

/// <summary>A chord from <see cref="Onset"/> until the next chord; <see cref="Chord.None"/> is "no chord".</summary>
public readonly record struct PieceChord(int Onset, Chord Chord);

/// <summary>The metre from <see cref="Bar"/> on.</summary>
public readonly record struct MetreChange(int Bar, Metre Metre);

/// <summary>The key from <see cref="Bar"/> on: index 0–23 as <see cref="Key.Index"/>, or -1 when unknown.</summary>
public readonly record struct KeyChange(int Bar, int KeyIndex)
{
    public const int Unknown = -1;

    public Key? Key => KeyIndex is >= 0 and < Music.Key.MajorMinorCount ? Music.Key.FromIndex(KeyIndex) : null;
}

/// <summary>Why a piece cannot be tokenized.</summary>
public enum PieceProblem : byte
{
    None,

    /// <summary>The metres do not start at bar 0, are not in increasing bars, repeat, or lie past the last bar.</summary>
    BadMetreChanges,

    /// <summary>A metre without a token (<see cref="Vocabulary.Metres"/>).</summary>
    MetreWithoutToken,
    BadKeyChanges,
    NoteOutsideBars,
    PitchOutOfRange,
    DurationNotABucket,
    VelocityOutOfRange,
    VoiceOutOfRange,
    ChordOutsideBars,

    /// <summary>Two chords at one onset.</summary>
    ChordsAtSameOnset,
}

/// <summary>
/// A piece quantised to the token grid: what <see cref="TokenEncoder"/> writes and <see cref="TokenDecoder"/>
/// reads back, exactly. Notes and chords are kept in the canonical order of the sequence: notes by onset,
/// voice, pitch, duration, velocity; chords by onset.
/// </summary>
/// <remarks>
/// Bars are explicit (<see cref="Bars"/>) so that empty bars, a silent pickup and trailing rests survive the
/// round trip; their lengths follow from <see cref="Metres"/>. Key changes, like metre changes, happen at bar
/// lines: the key of a bar is the one a musician would write at its start.
/// </remarks>
public sealed class QuantisedPiece : IEquatable<QuantisedPiece>
{
    private readonly PieceNote[] _notes;
    private readonly PieceChord[] _chords;
    private readonly MetreChange[] _metres;
    private readonly KeyChange[] _keys;

    /// <summary>Copies the lists and sorts notes and chords into the canonical order. Does not validate: see <see cref="Validate"/>.</summary>
    public QuantisedPiece(
        Style style,
        GenerationTask task,
        int bars,
        IEnumerable<MetreChange> metres,
        IEnumerable<KeyChange> keys,
        IEnumerable<PieceNote> notes,
        IEnumerable<PieceChord> chords)
    {
        Style = style;
        Task = task;
        Bars = bars;
        _metres = [.. metres];
        _keys = [.. keys];
        _notes = [.. notes];
        _chords = [.. chords];
        Array.Sort(_notes, CompareNotes);
        Array.Sort(_chords, static (a, b) => a.Onset.CompareTo(b.Onset));
    }

    public Style Style { get; }

    public GenerationTask Task { get; }

    /// <summary>Number of bars, each written as a Bar token, empty ones included.</summary>
    public int Bars { get; }

    /// <summary>The metre of bar 0, then each change.</summary>
    public ReadOnlySpan<MetreChange> Metres => _metres;

    /// <summary>The key of bar 0, then each change.</summary>
    public ReadOnlySpan<KeyChange> Keys => _keys;

    public ReadOnlySpan<PieceNote> Notes => _notes;

    public ReadOnlySpan<PieceChord> Chords => _chords;

    /// <summary>The canonical order of notes in a sequence: onset, voice, pitch, duration, velocity.</summary>
    public static int CompareNotes(PieceNote a, PieceNote b)
    {
        int c = a.Onset.CompareTo(b.Onset);
        return c != 0 ? c : CompareAtOnset(a, b);
    }

    /// <summary>The order of notes that share an onset.</summary>
    public static int CompareAtOnset(PieceNote a, PieceNote b)
    {
        int c = ((int)a.Voice).CompareTo((int)b.Voice); // on ints: Enum.CompareTo boxes
        if (c == 0)
        {
            c = a.Pitch.CompareTo(b.Pitch);
        }

        if (c == 0)
        {
            c = a.Duration.CompareTo(b.Duration);
        }

        return c != 0 ? c : a.Velocity.CompareTo(b.Velocity);
    }

    /// <summary>Ticks from the start of bar 0 to the end of the last bar; -1 when the metres are malformed.</summary>
    public int TotalTicks
    {
        get
        {
            if (_metres.Length == 0 || _metres[0].Bar != 0)
            {
                return Bars == 0 ? 0 : -1;
            }

            int ticks = 0;
            for (int i = 0; i < _metres.Length; i++)
            {
                int end = i + 1 < _metres.Length ? _metres[i + 1].Bar : Bars;
                int barTicks = _metres[i].Metre.BarTicks;
                if (end < _metres[i].Bar || barTicks <= 0)
                {
                    return -1;
                }

                ticks += (end - _metres[i].Bar) * barTicks;
            }

            return ticks;
        }
    }

    /// <summary>What keeps the piece from being tokenized, or <see cref="PieceProblem.None"/>.</summary>
    public PieceProblem Validate()
    {
        if (_metres.Length == 0 || _metres[0].Bar != 0 || Bars < 0)
        {
            return PieceProblem.BadMetreChanges;
        }

        for (int i = 0; i < _metres.Length; i++)
        {
            if (!_metres[i].Metre.HasToken)
            {
                return PieceProblem.MetreWithoutToken;
            }

            if (i > 0 && (_metres[i].Bar <= _metres[i - 1].Bar || _metres[i].Bar >= Bars || _metres[i].Metre == _metres[i - 1].Metre))
            {
                return PieceProblem.BadMetreChanges;
            }
        }

        if (_keys.Length == 0 || _keys[0].Bar != 0)
        {
            return PieceProblem.BadKeyChanges;
        }

        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i].KeyIndex is < KeyChange.Unknown or >= Key.MajorMinorCount
                || (i > 0 && (_keys[i].Bar <= _keys[i - 1].Bar || _keys[i].Bar >= Bars || _keys[i].KeyIndex == _keys[i - 1].KeyIndex)))
            {
                return PieceProblem.BadKeyChanges;
            }
        }

        int total = TotalTicks;
        foreach (PieceNote note in _notes)
        {
            if (note.Onset < 0 || note.Onset >= total)
            {
                return PieceProblem.NoteOutsideBars;
            }

            if (note.Pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
            {
                return PieceProblem.PitchOutOfRange;
            }

            if (DurationBuckets.IndexOf(note.Duration) < 0)
            {
                return PieceProblem.DurationNotABucket;
            }

            if ((uint)note.Velocity >= VelocityBuckets.Count)
            {
                return PieceProblem.VelocityOutOfRange;
            }

            if ((uint)note.Voice >= Vocabulary.VoiceCount)
            {
                return PieceProblem.VoiceOutOfRange;
            }
        }

        for (int i = 0; i < _chords.Length; i++)
        {
            if (_chords[i].Onset < 0 || _chords[i].Onset >= total)
            {
                return PieceProblem.ChordOutsideBars;
            }

            if (i > 0 && _chords[i].Onset == _chords[i - 1].Onset)
            {
                return PieceProblem.ChordsAtSameOnset;
            }
        }

        return PieceProblem.None;
    }

    /// <summary>
    /// The piece moved by <paramref name="semitones"/>: pitches, chord roots and basses, keys. False when a pitch
    /// would leave the MIDI range (the training augmentation then skips that shift).
    /// </summary>
    public bool TryTranspose(int semitones, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuantisedPiece? transposed)
    {
        transposed = null;
        var notes = new PieceNote[_notes.Length];
        for (int i = 0; i < notes.Length; i++)
        {
            int pitch = _notes[i].Pitch + semitones;
            if (pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
            {
                return false;
            }

            notes[i] = _notes[i] with { Pitch = pitch };
        }

        var keys = new KeyChange[_keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys[i] with { KeyIndex = TransposeKeyIndex(_keys[i].KeyIndex, semitones) };
        }

        var chords = new PieceChord[_chords.Length];
        for (int i = 0; i < chords.Length; i++)
        {
            chords[i] = _chords[i] with { Chord = _chords[i].Chord.Transpose(semitones) };
        }

        transposed = new QuantisedPiece(Style, Task, Bars, _metres, keys, notes, chords);
        return true;
    }

    /// <summary>A key index moved by semitones: the mode stays, unknown stays unknown.</summary>
    public static int TransposeKeyIndex(int keyIndex, int semitones)
    {
        if (keyIndex is < 0 or >= Key.MajorMinorCount)
        {
            return keyIndex;
        }

        int mode = keyIndex / PitchClass.Count;
        int tonic = ((keyIndex % PitchClass.Count) + (semitones % PitchClass.Count) + PitchClass.Count) % PitchClass.Count;
        return (mode * PitchClass.Count) + tonic;
    }

    public bool Equals(QuantisedPiece? other) =>
        other is not null
        && Style == other.Style
        && Task == other.Task
        && Bars == other.Bars
        && Metres.SequenceEqual(other.Metres)
        && Keys.SequenceEqual(other.Keys)
        && Notes.SequenceEqual(other.Notes)
        && Chords.SequenceEqual(other.Chords);

    public override bool Equals(object? obj) => Equals(obj as QuantisedPiece);

    public override int GetHashCode() => HashCode.Combine(Style, Task, Bars, _notes.Length, _chords.Length);

    public override string ToString() =>
        $"{Style} {Task}: {Bars} bars, {_notes.Length} notes, {_chords.Length} chords, {_metres.Length} metres, {_keys.Length} keys";
}
