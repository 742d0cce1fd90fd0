using CoPilot.Core;

namespace CoPilot.Inference.Tests;

/// <summary>A note as a test writes it: onset and duration in beats.</summary>
internal readonly record struct PlayedNote(double Onset, double Duration, byte Pitch, float Velocity = 0.8f);

/// <summary>Turns test phrases into the time-ordered note events a generator observes.</summary>
internal static class PhrasePlayer
{
    private const double SampleRate = 48_000;
    private const double Tempo = 120;

    /// <summary>Events for the notes, in time order; at equal times note-offs come first, as hosts send them.</summary>
    public static NoteEvent[] Events(IReadOnlyList<PlayedNote> notes, double offset = 0, byte channel = 0)
    {
        var events = new List<NoteEvent>(notes.Count * 2);
        foreach (PlayedNote n in notes)
        {
            events.Add(At(offset + n.Onset, NoteEventKind.NoteOn, channel, n.Pitch, n.Velocity));
            events.Add(At(offset + n.Onset + n.Duration, NoteEventKind.NoteOff, channel, n.Pitch, 0f));
        }

        return [.. events.OrderBy(e => e.Beat).ThenBy(e => e.IsNoteOn ? 1 : 0)];
    }

    public static NoteEvent At(double beat, NoteEventKind kind, byte channel, byte pitch, float velocity) =>
        new(beat, (long)(beat * 60 / Tempo * SampleRate), -1, kind, channel, pitch, velocity);

    public static void Play(IPhraseGenerator generator, IReadOnlyList<PlayedNote> notes, double offset = 0)
    {
        foreach (NoteEvent e in Events(notes, offset))
        {
            generator.Observe(e);
        }

        generator.EndPhrase();
    }

    /// <summary>Notes in a row, each lasting until the next (legato), from pitches and inter-onset intervals.</summary>
    public static PlayedNote[] Legato(byte[] pitches, double[] iois)
    {
        var notes = new PlayedNote[pitches.Length];
        double t = 0;
        for (int i = 0; i < pitches.Length; i++)
        {
            double ioi = iois[i % iois.Length];
            notes[i] = new PlayedNote(t, ioi, pitches[i]);
            t += ioi;
        }

        return notes;
    }

    public static GeneratedNote[] Answer(IPhraseGenerator generator, double maxBeats, int maxNotes, float creativity, ulong seed)
    {
        var output = new GeneratedNote[maxNotes];
        int n = generator.Generate(new GenerationRequest(maxBeats, maxNotes, creativity, seed), output);
        return output[..n];
    }
}
