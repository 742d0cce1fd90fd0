namespace CoPilot.Core;

/// <summary>What the audio thread tells the inference thread.</summary>
public enum EngineMessageKind : byte
{
    /// <summary>The player played or released a note (learn from it).</summary>
    Note = 0,

    /// <summary>The player's phrase ended: answer it.</summary>
    PhraseEnd = 1,

    /// <summary>Drop any answer for phrases up to <see cref="EngineMessage.PhraseId"/> (the player plays again).</summary>
    Cancel = 2,

    /// <summary>Forget what was learned (state load, new session).</summary>
    Reset = 3,

    /// <summary>
    /// Accompany: choose the chord for the slot that starts at <see cref="EngineMessage.AnswerStartBeat"/> and lasts
    /// <see cref="EngineMessage.MaxBeats"/>; <see cref="EngineMessage.PhraseId"/> numbers the slots.
    /// </summary>
    ChordSlot = 4,
}

/// <summary>
/// One message on the ring from the audio thread to the inference thread. Unmanaged, fixed size.
/// </summary>
/// <param name="Kind">What this is.</param>
/// <param name="Note">The player's note (Kind = Note).</param>
/// <param name="PhraseId">Which phrase an answer belongs to; increases by one per phrase end.</param>
/// <param name="AnswerStartBeat">Engine beat where the answer should begin (Kind = PhraseEnd).</param>
/// <param name="MaxBeats">Longest answer wanted, in beats.</param>
/// <param name="Creativity">0-1, from the Creativity parameter.</param>
/// <param name="Seed">Random seed for this answer.</param>
/// <param name="Timestamp">Stopwatch timestamp when the audio thread wrote it (wake-up latency).</param>
/// <param name="Style">The style the answer should have, from the Style parameter (CoPilot.Inference.Tokens.Style order: pop, rock, folk, chorale, jazz).</param>
/// <param name="MetreNumerator">The host's time signature when the message was written (0: not known).</param>
/// <param name="MetreDenominator">Its denominator (0: not known).</param>
public readonly record struct EngineMessage(
    EngineMessageKind Kind,
    NoteEvent Note,
    int PhraseId,
    double AnswerStartBeat,
    double MaxBeats,
    float Creativity,
    ulong Seed,
    long Timestamp,
    byte Style = 0,
    byte MetreNumerator = 0,
    byte MetreDenominator = 0);

/// <summary>What a generated note belongs to.</summary>
public enum ScheduledNoteKind : byte
{
    /// <summary>An answer to a phrase (Continue); its id is the phrase's.</summary>
    Answer = 0,

    /// <summary>A chord of the accompaniment (Accompany); its id is the chord slot's.</summary>
    Chord = 1,
}

/// <summary>A generated note on its way back to the audio thread, in absolute engine beats.</summary>
public readonly record struct ScheduledNote(int PhraseId, double StartBeat, double EndBeat, byte Pitch, float Velocity, ScheduledNoteKind Kind = ScheduledNoteKind.Answer);

/// <summary>What the inference thread reports back (shown to the musician through read-only parameters).</summary>
/// <param name="LearnedNotes">Notes of the player's the style learner remembers.</param>
/// <param name="KeyIndex">The player's key as the live key tracker hears it: 0-11 major on C..B, 12-23 minor, -1 not yet known.</param>
/// <param name="Chord">The chord now sounding, packed (CoPilot.Inference.ChordCode; 0 = none).</param>
/// <param name="Next1">The most likely next chord, packed.</param>
/// <param name="Next2">The second most likely next chord, packed.</param>
/// <param name="Next3">The third most likely next chord, packed.</param>
public readonly record struct EngineStatus(int LearnedNotes, int KeyIndex = -1, int Chord = 0, int Next1 = 0, int Next2 = 0, int Next3 = 0);
