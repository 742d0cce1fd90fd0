namespace CoPilot.Inference;

/// <summary>
/// Turns the player's note-ons and note-offs into the steps of one phrase: notes with durations, chords
/// reduced to their top note, timing quantised to <see cref="RhythmGrid"/>.
/// </summary>
/// <remarks>
/// [inference thread]. Holds at most <see cref="Capacity"/> notes, allocated in the constructor; nothing here
/// allocates afterwards.
/// </remarks>
internal sealed class PhraseAssembler
{
    private const int KeyCount = 16 * 128;

    private readonly PlayedNote[] _notes;

    /// <summary>Index + 1 of the note sounding on each channel and pitch (0 = none), to match note-offs.</summary>
    private readonly int[] _openByKey = new int[KeyCount];

    private int _count;
    private double _lastBeat = double.NegativeInfinity;

    public PhraseAssembler(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _notes = new PlayedNote[capacity];
    }

    public int Capacity => _notes.Length;

    /// <summary>Notes played so far in this phrase (including chord tones and notes still held).</summary>
    public int Count => _count;

    public bool IsFull => _count == _notes.Length;

    public void NoteOn(double beat, byte channel, byte pitch, float velocity)
    {
        Touch(beat);
        if (_count == _notes.Length)
        {
            return;
        }

        int key = (channel * 128) + pitch;
        int held = _openByKey[key] - 1;
        bool retriggered = false;
        if (held >= 0)
        {
            // The same key struck again while still held (sustain pedal tricks, a host that drops a note-off):
            // one key sounds once, so the earlier note ends where the new one begins.
            _notes[held].End = Math.Max(beat, _notes[held].Onset);
            _notes[held].IsOpen = false;
            retriggered = true;
        }

        _notes[_count] = new PlayedNote
        {
            Onset = beat,
            End = beat,
            Pitch = pitch,
            Channel = channel,
            Velocity = Math.Clamp(velocity, 0f, 1f),
            IsOpen = true,
            Retriggered = retriggered,
        };
        _count++;
        _openByKey[key] = _count;
    }

    public void NoteOff(double beat, byte channel, byte pitch)
    {
        Touch(beat);
        int key = (channel * 128) + pitch;
        int held = _openByKey[key] - 1;
        if (held < 0)
        {
            // A note-off without its note-on: the note began before we listened, or was cut off by a
            // phrase boundary that already closed it. Nothing to learn.
            return;
        }

        ref PlayedNote note = ref _notes[held];
        if (note.Retriggered && beat - note.Onset <= RhythmGrid.ChordTolerance)
        {
            // Some hosts send a retrigger's note-on before the note-off of the note it replaces, at the same
            // time. That note-off belongs to the earlier note, which the retrigger already closed.
            note.Retriggered = false;
            return;
        }

        note.End = Math.Max(beat, note.Onset);
        note.IsOpen = false;
        _openByKey[key] = 0;
    }

    /// <summary>
    /// Ends the phrase: closes notes still held at the last event's time, reduces chords and quantises.
    /// Writes the phrase's steps to <paramref name="steps"/> (at least <see cref="Capacity"/> long), returns
    /// their count and starts an empty phrase.
    /// </summary>
    public int TakePhrase(Span<LearnedStep> steps)
    {
        int n = _count;
        for (int i = 0; i < n; i++)
        {
            ref PlayedNote note = ref _notes[i];
            if (note.IsOpen)
            {
                // Still held when the phrase ended: it sounded at least until the last thing the player did.
                note.End = Math.Max(_lastBeat, note.Onset);
                note.IsOpen = false;
                _openByKey[(note.Channel * 128) + note.Pitch] = 0;
            }
        }

        SortByOnset(_notes.AsSpan(0, n));

        int stepCount = 0;
        long previousOnsetTicks = 0;
        int i0 = 0;
        while (i0 < n)
        {
            // A chord is one step, and the step is its top note: the answer is a single melodic line, and in
            // keyboard playing the top voice carries the melody. Lower chord tones are not learned.
            double groupOnset = _notes[i0].Onset;
            int top = i0;
            int j = i0 + 1;
            while (j < n && _notes[j].Onset - groupOnset <= RhythmGrid.ChordTolerance)
            {
                if (_notes[j].Pitch > _notes[top].Pitch)
                {
                    top = j;
                }

                j++;
            }

            ref readonly PlayedNote melody = ref _notes[top];
            long onsetTicks = RhythmGrid.ToTicks(groupOnset);
            short duration = RhythmGrid.ToLength(RhythmGrid.ToTicks(melody.End - melody.Onset));
            if (stepCount > 0)
            {
                // Two steps more than a chord apart may still round to one tick: the interval is at least one.
                steps[stepCount - 1] = steps[stepCount - 1] with { IoiTicks = RhythmGrid.ToLength(onsetTicks - previousOnsetTicks) };
            }

            steps[stepCount++] = new LearnedStep(melody.Pitch, duration, duration, melody.Velocity, EndsPhrase: false);
            previousOnsetTicks = onsetTicks;
            i0 = j;
        }

        if (stepCount > 0)
        {
            ref LearnedStep last = ref steps[stepCount - 1];
            short ioi = stepCount > 1 ? steps[stepCount - 2].IoiTicks : last.DurationTicks;
            last = last with { IoiTicks = ioi, EndsPhrase = true };
        }

        _count = 0;
        _lastBeat = double.NegativeInfinity;
        return stepCount;
    }

    /// <summary>Forgets the phrase in progress, held notes included.</summary>
    public void Clear()
    {
        Array.Clear(_openByKey);
        _count = 0;
        _lastBeat = double.NegativeInfinity;
    }

    private void Touch(double beat)
    {
        if (beat > _lastBeat)
        {
            _lastBeat = beat;
        }
    }

    /// <summary>Stable insertion sort: events arrive in time order, so this is one pass in practice.</summary>
    private static void SortByOnset(Span<PlayedNote> notes)
    {
        for (int i = 1; i < notes.Length; i++)
        {
            PlayedNote note = notes[i];
            int j = i - 1;
            while (j >= 0 && notes[j].Onset > note.Onset)
            {
                notes[j + 1] = notes[j];
                j--;
            }

            notes[j + 1] = note;
        }
    }

    private struct PlayedNote
    {
        public double Onset;
        public double End;
        public byte Pitch;
        public byte Channel;
        public float Velocity;
        public bool IsOpen;

        /// <summary>This note replaced a held note of the same key (see <see cref="NoteOff"/>).</summary>
        public bool Retriggered;
    }
}
