namespace CoPilot.Core;

/// <summary>A scheduled note starting or ending inside the current block.</summary>
public readonly record struct BlockNoteEvent(int Offset, bool IsNoteOn, byte Pitch, float Velocity);

/// <summary>
/// Holds the notes of an answer, in beats, and hands out the ones that fall inside each block as sample
/// offsets. Converting per block follows tempo changes during the answer.
/// </summary>
/// <remarks>
/// <para>Late policy: a note whose start has already passed when it arrives is played at the start of the
/// block if it is at most <see cref="LateToleranceBeats"/> late, and dropped otherwise (a late answer note
/// sounds like a mistake; a skipped one does not). A note-off is never dropped.</para>
/// <para>Bounded: at most <see cref="Capacity"/> notes wait, and each block hands out at most as many events
/// as its destination holds; the rest follow in the next block.</para>
/// [audio thread] only; no allocation.
/// </remarks>
public sealed class AnswerScheduler
{
    public const int Capacity = 256;

    private readonly ScheduledNote[] _notes = new ScheduledNote[Capacity];
    private readonly bool[] _sounding = new bool[Capacity];
    private int _count;

    public double LateToleranceBeats { get; set; } = 0.25;

    public int Pending => _count;

    /// <summary>Notes dropped because they arrived too late.</summary>
    public long LateDropped { get; private set; }

    /// <summary>Notes refused because the schedule was full or they were malformed.</summary>
    public long Refused { get; private set; }

    public bool TryAdd(in ScheduledNote note)
    {
        if (_count >= Capacity || !double.IsFinite(note.StartBeat) || !(note.EndBeat > note.StartBeat) || note.Pitch > 127)
        {
            Refused++;
            return false;
        }

        _notes[_count] = note;
        _sounding[_count] = false;
        _count++;
        return true;
    }

    /// <summary>Drops every waiting note. Sounding notes must be released by the caller's note tracker.</summary>
    public void Clear() => _count = 0;

    /// <summary>
    /// Collects the note-ons and note-offs that fall in the clock's current block, sorted by offset (offs
    /// first at equal offsets, so a repeated pitch is released before it sounds again).
    /// </summary>
    public int CollectBlock(BeatClock clock, Span<BlockNoteEvent> dst)
    {
        int n = 0;
        int blockSamples = clock.BlockSamples;
        if (blockSamples <= 0)
        {
            return 0;
        }

        for (int i = 0; i < _count && n < dst.Length; i++)
        {
            ref ScheduledNote note = ref _notes[i];
            if (!_sounding[i])
            {
                long on = clock.OffsetOf(note.StartBeat);
                if (on >= blockSamples)
                {
                    continue;
                }

                if (on < 0 && clock.BlockStartBeat - note.StartBeat > LateToleranceBeats)
                {
                    LateDropped++;
                    RemoveAt(i--);
                    continue;
                }

                if (n + 2 > dst.Length)
                {
                    break; // keep room for a note-off that may follow in the same block
                }

                dst[n++] = new BlockNoteEvent((int)Math.Max(0, on), true, note.Pitch, note.Velocity);
                _sounding[i] = true;
            }

            long off = clock.OffsetOf(note.EndBeat);
            if (off < blockSamples)
            {
                dst[n++] = new BlockNoteEvent((int)Math.Clamp(off, 0, blockSamples - 1), false, note.Pitch, 0f);
                RemoveAt(i--);
            }
        }

        SortByOffset(dst[..n]);
        return n;
    }

    private void RemoveAt(int i)
    {
        _count--;
        _notes[i] = _notes[_count];
        _sounding[i] = _sounding[_count];
    }

    // Insertion sort: a block holds a handful of events and they are nearly sorted already.
    private static void SortByOffset(Span<BlockNoteEvent> events)
    {
        for (int i = 1; i < events.Length; i++)
        {
            BlockNoteEvent e = events[i];
            int j = i - 1;
            while (j >= 0 && Before(e, events[j]))
            {
                events[j + 1] = events[j];
                j--;
            }

            events[j + 1] = e;
        }

        static bool Before(in BlockNoteEvent a, in BlockNoteEvent b) =>
            a.Offset < b.Offset || (a.Offset == b.Offset && !a.IsNoteOn && b.IsNoteOn);
    }
}
