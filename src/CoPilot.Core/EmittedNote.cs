namespace CoPilot.Core;

/// <summary>A note the plugin sent out and still owes a note-off for.</summary>
public readonly record struct EmittedNote(byte Channel, byte Pitch, int NoteId);

/// <summary>Which stream an emitted note belongs to: the player's notes passed through, or ours.</summary>
public enum NoteLayer
{
    /// <summary>The player's own notes, forwarded unchanged (MIDI thru, bypass).</summary>
    Thru = 0,

    /// <summary>Notes CoPilot generated in answer to single notes (echo), keyed by the player's key.</summary>
    Generated = 1,

    /// <summary>Notes of answers to whole phrases, keyed by the note sent (output channel and pitch).</summary>
    Answer = 2,

    /// <summary>First of the harmony voices added under a melody note (Harmonize), keyed by the player's key;
    /// voice v lives in layer <c>Harmony + v</c>.</summary>
    Harmony = 3,
}
