namespace CoPilot.Core;

/// <summary>
/// Where notes leave the engine (the plugin's output event list, a MIDI file writer, a test recorder).
/// </summary>
/// <remarks>
/// Try methods never block or allocate; false means the destination is full (a host's event list has a
/// fixed capacity) and the caller keeps the note-off pending for the next block rather than losing it.
/// </remarks>
public interface INoteSink
{
    bool TryNoteOn(int sampleOffset, int channel, int pitch, float velocity, int noteId);

    bool TryNoteOff(int sampleOffset, int channel, int pitch, float velocity, int noteId);
}
