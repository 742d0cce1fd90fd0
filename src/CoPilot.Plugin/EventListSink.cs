using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>
/// Writes notes into the host's output event list for one block: offsets clamped inside the block and
/// never decreasing, so the list stays sorted whatever order the engine produced them in.
/// </summary>
/// <remarks>[audio thread] A block of 0 samples (parameter flush) or a host without an output list takes
/// nothing: note-offs then stay pending in the tracker until a block can carry them.</remarks>
internal unsafe struct EventListSink(IEventListPtr list, int numSamples) : INoteSink
{
    private int _lastOffset;

    public int Added { get; private set; }

    public readonly bool CanWrite => !list.IsNull && numSamples > 0;

    public bool TryNoteOn(int sampleOffset, int channel, int pitch, float velocity, int noteId)
    {
        Event e = default;
        e.type = Event.kNoteOnEvent;
        e.noteOn.channel = (short)channel;
        e.noteOn.pitch = (short)pitch;
        e.noteOn.velocity = velocity;
        e.noteOn.noteId = noteId;
        return TryAdd(ref e, sampleOffset);
    }

    public bool TryNoteOff(int sampleOffset, int channel, int pitch, float velocity, int noteId)
    {
        Event e = default;
        e.type = Event.kNoteOffEvent;
        e.noteOff.channel = (short)channel;
        e.noteOff.pitch = (short)pitch;
        e.noteOff.velocity = velocity;
        e.noteOff.noteId = noteId;
        return TryAdd(ref e, sampleOffset);
    }

    /// <summary>A MIDI controller as LegacyMIDICCOutEvent (the only way a VST3 plugin can send CCs).</summary>
    public bool TryControlChange(int sampleOffset, int channel, short controller, int value, int value2)
    {
        Event e = default;
        e.type = Event.kLegacyMIDICCOutEvent;
        e.midiCCOut.controlNumber = (byte)controller;
        e.midiCCOut.channel = (sbyte)channel;
        e.midiCCOut.value = (sbyte)Math.Clamp(value, 0, 127);
        e.midiCCOut.value2 = (sbyte)Math.Clamp(value2, 0, 127);
        return TryAdd(ref e, sampleOffset);
    }

    /// <summary>Passes an event the engine does not interpret (poly pressure, sysex, expression) through.</summary>
    public bool TryForward(Event e) => TryAdd(ref e, e.sampleOffset);

    private bool TryAdd(ref Event e, int sampleOffset)
    {
        if (!CanWrite)
        {
            return false;
        }

        int offset = Math.Clamp(sampleOffset, _lastOffset, numSamples - 1);
        e.busIndex = 0;
        e.sampleOffset = offset;
        fixed (Event* p = &e)
        {
            if (list.AddEvent(p) != Result.kResultOk)
            {
                return false;
            }
        }

        _lastOffset = offset;
        Added++;
        return true;
    }
}
