namespace CoPilot.Core;

/// <summary>
/// Remembers, for every key the player holds (channel, pitch) and every layer, exactly which note was
/// emitted for it, so the matching note-off always releases what was sent even after the transpose, the
/// output channel or the mode changed (the classic stuck-note bug of MIDI effects).
/// </summary>
/// <remarks>
/// Fixed size: 16 channels x 128 pitches x layers, allocated once. A release that the destination could
/// not take (full event list) stays pending and is retried first in the next block.
/// All methods are [audio thread] only; nothing here allocates.
/// </remarks>
public sealed class NoteTracker
{
    public const int Channels = 16;
    public const int Pitches = 128;
    private const int SourceCount = Channels * Pitches;

    private const byte Free = 0;
    private const byte Held = 1;
    private const byte ReleasePending = 2;

    private readonly Slot[] _slots;
    private readonly int _layers;
    private readonly int[] _open;
    private int _pending;

    private struct Slot
    {
        public EmittedNote Note;
        public byte State;
    }

    public NoteTracker(int layers = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        _layers = layers;
        _slots = new Slot[layers * SourceCount];
        _open = new int[layers];
    }

    /// <summary>Notes sent whose note-off has not been sent yet (held or pending), all layers.</summary>
    public int OpenCount
    {
        get
        {
            int n = 0;
            foreach (int open in _open)
            {
                n += open;
            }

            return n;
        }
    }

    /// <summary>Open notes of one layer.</summary>
    public int OpenCountOf(NoteLayer layer) => _open[(int)layer];

    /// <summary>Releases that could not be delivered yet.</summary>
    public int PendingCount => _pending;

    public static bool IsValidKey(int channel, int pitch) => (uint)channel < Channels && (uint)pitch < Pitches;

    /// <summary>True if a note emitted for this source key is still open (held or pending release).</summary>
    public bool IsOpen(NoteLayer layer, int channel, int pitch) => SlotAt(layer, channel, pitch).State != Free;

    public bool TryGetHeld(NoteLayer layer, int channel, int pitch, out EmittedNote note)
    {
        ref Slot s = ref SlotAt(layer, channel, pitch);
        note = s.Note;
        return s.State == Held;
    }

    /// <summary>Records that <paramref name="note"/> was sent for the source key. The key must be free.</summary>
    public void Hold(NoteLayer layer, int channel, int pitch, EmittedNote note)
    {
        ref Slot s = ref SlotAt(layer, channel, pitch);
        if (s.State != Free)
        {
            throw new InvalidOperationException("Source key already has an open note; release it first.");
        }

        s.Note = note;
        s.State = Held;
        _open[(int)layer]++;
    }

    /// <summary>
    /// Sends the note-off for the source key's open note (held or pending). Returns false if the sink was
    /// full: the note stays pending. Returns true if sent or if nothing was open.
    /// </summary>
    public bool Release<TSink>(ref TSink sink, NoteLayer layer, int channel, int pitch, int sampleOffset)
        where TSink : INoteSink
    {
        ref Slot s = ref SlotAt(layer, channel, pitch);
        if (s.State == Free)
        {
            return true;
        }

        if (sink.TryNoteOff(sampleOffset, s.Note.Channel, s.Note.Pitch, 0f, s.Note.NoteId))
        {
            if (s.State == ReleasePending)
            {
                _pending--;
            }

            s.State = Free;
            _open[(int)layer]--;
            return true;
        }

        if (s.State == Held)
        {
            s.State = ReleasePending;
            _pending++;
        }

        return false;
    }

    /// <summary>Releases every open note of one layer (bypass, mode change, all-notes-off, stop).</summary>
    /// <returns>False if some note-offs could not be delivered and stay pending.</returns>
    public bool ReleaseLayer<TSink>(ref TSink sink, NoteLayer layer, int sampleOffset)
        where TSink : INoteSink
    {
        bool all = true;
        if (_open[(int)layer] == 0)
        {
            return true;
        }

        int start = (int)layer * SourceCount;
        for (int i = 0; i < SourceCount; i++)
        {
            if (_slots[start + i].State != Free)
            {
                all &= Release(ref sink, layer, i / Pitches, i % Pitches, sampleOffset);
            }
        }

        return all;
    }

    /// <summary>Releases every open note of every layer.</summary>
    public bool ReleaseAll<TSink>(ref TSink sink, int sampleOffset)
        where TSink : INoteSink
    {
        bool all = true;
        for (int layer = 0; layer < _layers; layer++)
        {
            all &= ReleaseLayer(ref sink, (NoteLayer)layer, sampleOffset);
        }

        return all;
    }

    /// <summary>Retries releases that the sink could not take earlier. Cheap when none are pending.</summary>
    public bool FlushPending<TSink>(ref TSink sink, int sampleOffset)
        where TSink : INoteSink
    {
        if (_pending == 0)
        {
            return true;
        }

        for (int i = 0; i < _slots.Length && _pending > 0; i++)
        {
            if (_slots[i].State == ReleasePending)
            {
                int source = i % SourceCount;
                if (!Release(ref sink, (NoteLayer)(i / SourceCount), source / Pitches, source % Pitches, sampleOffset))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Forgets every open note without sending anything (only after the host reset the instrument).</summary>
    public void Reset()
    {
        Array.Clear(_slots);
        Array.Clear(_open);
        _pending = 0;
    }

    private ref Slot SlotAt(NoteLayer layer, int channel, int pitch)
    {
        if ((uint)layer >= (uint)_layers || !IsValidKey(channel, pitch))
        {
            throw new ArgumentOutOfRangeException(nameof(layer), "Layer, channel or pitch out of range.");
        }

        return ref _slots[((int)layer * SourceCount) + (channel * Pitches) + pitch];
    }
}
