using CoPilot.Core;

namespace CoPilot.Core.Tests;

internal readonly record struct SentNote(bool On, int SampleOffset, int Channel, int Pitch, float Velocity, int NoteId)
{
    public static SentNote NoteOn(int channel, int pitch, int noteId, float velocity = 0.8f, int offset = 0) =>
        new(true, offset, channel, pitch, velocity, noteId);

    public static SentNote NoteOff(int channel, int pitch, int noteId, int offset = 0) =>
        new(false, offset, channel, pitch, 0f, noteId);

    public override string ToString() => $"{(On ? "on " : "off")} ch{Channel} p{Pitch} id{NoteId} @{SampleOffset}";
}

/// <summary>
/// Records what reaches the host and checks the output stays balanced: a note-off only for a note that is
/// sounding on that (channel, pitch) with that noteId. <see cref="Capacity"/> simulates a host event list
/// that fills up; <see cref="RefuseNoteOffs"/> refuses note-offs only (a test seam to prove the router
/// never sends a note-on ahead of the note-off it still owes for the same key).
/// </summary>
internal sealed class RecordingSink : INoteSink
{
    private readonly Dictionary<(int Channel, int Pitch), List<int>> _sounding = [];

    public List<SentNote> Events { get; } = [];

    /// <summary>How many more events the destination takes; negative means unlimited.</summary>
    public int Capacity { get; set; } = -1;

    public bool RefuseNoteOffs { get; set; }

    /// <summary>Note-offs that matched no sounding note (must stay 0).</summary>
    public int UnmatchedOffs { get; private set; }

    public int TotalOns { get; private set; }

    public int TotalOffs { get; private set; }

    public int SoundingCount => _sounding.Values.Sum(l => l.Count);

    public int SoundingAt(int channel, int pitch) => _sounding.TryGetValue((channel, pitch), out List<int>? l) ? l.Count : 0;

    public bool TryNoteOn(int sampleOffset, int channel, int pitch, float velocity, int noteId)
    {
        if (!Take())
        {
            return false;
        }

        Events.Add(new SentNote(true, sampleOffset, channel, pitch, velocity, noteId));
        if (!_sounding.TryGetValue((channel, pitch), out List<int>? ids))
        {
            _sounding[(channel, pitch)] = ids = [];
        }

        ids.Add(noteId);
        TotalOns++;
        return true;
    }

    public bool TryNoteOff(int sampleOffset, int channel, int pitch, float velocity, int noteId)
    {
        if (RefuseNoteOffs || !Take())
        {
            return false;
        }

        Events.Add(new SentNote(false, sampleOffset, channel, pitch, velocity, noteId));
        if (_sounding.TryGetValue((channel, pitch), out List<int>? ids) && ids.Remove(noteId))
        {
            TotalOffs++;
        }
        else
        {
            UnmatchedOffs++;
        }

        return true;
    }

    /// <summary>Returns the events recorded since the last call and forgets them.</summary>
    public SentNote[] Drain()
    {
        SentNote[] e = [.. Events];
        Events.Clear();
        return e;
    }

    private bool Take()
    {
        if (Capacity == 0)
        {
            return false;
        }

        if (Capacity > 0)
        {
            Capacity--;
        }

        return true;
    }
}
