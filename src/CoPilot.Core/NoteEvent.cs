using System.Runtime.InteropServices;

namespace CoPilot.Core;

/// <summary>What happened to a note.</summary>
public enum NoteEventKind : byte
{
    NoteOn = 0,
    NoteOff = 1,
}

/// <summary>
/// A note event as the engine passes it between threads: the player's input to the inference thread,
/// and generated notes back. Unmanaged and small (32 bytes) so rings copy it without references.
/// </summary>
/// <param name="Beat">Musical time in quarter notes (the host's project time, or the free-running clock when stopped).</param>
/// <param name="Sample">Absolute time in samples on the engine's continuous clock.</param>
/// <param name="NoteId">The host's note ID, or -1.</param>
/// <param name="Kind">Note on or off.</param>
/// <param name="Channel">MIDI channel 0-15.</param>
/// <param name="Pitch">MIDI pitch 0-127.</param>
/// <param name="Velocity">0-1 as VST3 gives it.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct NoteEvent(double Beat, long Sample, int NoteId, NoteEventKind Kind, byte Channel, byte Pitch, float Velocity)
{
    public bool IsNoteOn => Kind == NoteEventKind.NoteOn;
}
