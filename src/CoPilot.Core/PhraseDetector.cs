namespace CoPilot.Core;

/// <summary>
/// Decides when the player's phrase has ended, so the co-pilot can answer (call and response).
/// </summary>
/// <remarks>
/// A phrase ends when every key is up and either the pause has lasted <see cref="SilenceBeats"/>, or a
/// bar line passes after at least <see cref="MinBarLineGapBeats"/> of silence (players leave the bar
/// line free for the answer). Both rules work on the engine's beat line, so they follow the tempo.
/// [audio thread] only; no allocation.
/// </remarks>
public sealed class PhraseDetector
{
    private readonly bool[] _down = new bool[NoteTracker.Channels * NoteTracker.Pitches];
    private readonly int[] _downNoteId = new int[NoteTracker.Channels * NoteTracker.Pitches];
    private int _held;
    private bool _inPhrase;
    private double _phraseStartBeat;
    private double _lastOffBeat;
    private int _notes;

    /// <summary>Pause, in beats, that ends a phrase.</summary>
    public double SilenceBeats { get; set; } = 1.0;

    /// <summary>Silence needed before a bar line also ends the phrase.</summary>
    public double MinBarLineGapBeats { get; set; } = 0.5;

    public bool InPhrase => _inPhrase;

    public int HeldKeys => _held;

    /// <summary>Note-ons in the current phrase.</summary>
    public int NoteCount => _notes;

    public double PhraseStartBeat => _phraseStartBeat;

    public void NoteOn(int channel, int pitch, double beat, int noteId = -1)
    {
        if (!NoteTracker.IsValidKey(channel, pitch))
        {
            return;
        }

        if (!_inPhrase)
        {
            _inPhrase = true;
            _phraseStartBeat = beat;
            _notes = 0;
        }

        _notes++;
        int key = (channel * NoteTracker.Pitches) + pitch;
        _downNoteId[key] = noteId;
        ref bool down = ref _down[key];
        if (!down)
        {
            down = true;
            _held++;
        }
    }

    /// <param name="noteId">A note-off carrying the ID of an earlier note on a key struck again is ignored:
    /// the key is still down.</param>
    public void NoteOff(int channel, int pitch, double beat, int noteId = -1)
    {
        if (!NoteTracker.IsValidKey(channel, pitch))
        {
            return;
        }

        int key = (channel * NoteTracker.Pitches) + pitch;
        if (noteId != -1 && _downNoteId[key] != -1 && noteId != _downNoteId[key])
        {
            return;
        }

        ref bool down = ref _down[key];
        if (down)
        {
            down = false;
            _held--;
            _lastOffBeat = beat;
        }
    }

    /// <summary>
    /// Checks whether the phrase ends before the end of the current block. If so it returns the beat at
    /// which it ended and its length, and starts waiting for the next phrase.
    /// </summary>
    public bool TryEnd(BeatClock clock, out double endBeat, out double lengthBeats)
    {
        endBeat = 0;
        lengthBeats = 0;
        if (!_inPhrase || _held > 0)
        {
            return false;
        }

        double silenceEnd = _lastOffBeat + SilenceBeats;
        double barEnd = clock.NextBarLineAfter(_lastOffBeat + MinBarLineGapBeats - 1e-9);
        double end = Math.Min(silenceEnd, barEnd);
        if (end >= clock.BlockEndBeat)
        {
            return false;
        }

        endBeat = Math.Max(end, clock.BlockStartBeat);
        lengthBeats = Math.Max(0, _lastOffBeat - _phraseStartBeat);
        _inPhrase = false;
        return true;
    }

    /// <summary>Forget the phrase in progress (transport jump or stop, state load); keys stay as they are.</summary>
    public void CancelPhrase() => _inPhrase = false;

    /// <summary>Forget everything, keys included (deactivation).</summary>
    public void Reset()
    {
        Array.Clear(_down);
        _held = 0;
        _inPhrase = false;
        _notes = 0;
    }
}
