using CoPilot.Data;
using CoPilot.Inference.Accompaniment;
using CoPilot.Music;

namespace CoPilot.Cli.Generation;

/// <summary>A chord of the accompaniment and the time it holds, in beats.</summary>
public readonly record struct TimedChord(double StartBeat, double EndBeat, Chord Chord);

/// <summary>
/// Rule-based parts under a melody: the voice-leading harmoniser's lower voices (<see cref="Harmonize"/>) and
/// block chords from them (<see cref="Accompany"/>).
/// </summary>
public static class MelodyHarmony
{
    /// <summary>The block chords' upper notes lie in this octave (G3–F#4), as the plugin's (<see cref="ChordVoicing"/>).</summary>
    public const int ChordLow = ChordVoicing.TonesLow;
    public const int ChordHigh = ChordVoicing.TonesLow + 11;

    /// <summary>The chord's bass lies in C2–B2.</summary>
    public const int BassLow = ChordVoicing.BassLow;
    public const int BassHigh = ChordVoicing.BassLow + 11;


    /// <summary>
    /// One to three harmony voices under every melody note (<see cref="Harmonizer.Harmonize"/>, beam search over
    /// the whole melody), each lasting as long as its melody note; a voice that keeps its pitch from one note
    /// to the next is held instead of struck again, as a singer would.
    /// </summary>
    public static IReadOnlyList<TrackNote> Harmonize(IReadOnlyList<Note> melody, Key key, int voices)
    {
        ArgumentNullException.ThrowIfNull(melody);
        Voicing[] voicings = Voicings(melody, key, voices);
        var notes = new List<TrackNote>();
        var held = new int?[Voicing.VoiceCount];
        for (int i = 0; i < melody.Count; i++)
        {
            Note m = melody[i];
            int velocity = Math.Clamp((int)Math.Round(m.Velocity * 0.75), 30, 127);
            bool joined = i > 0 && melody[i - 1].EndBeat >= m.StartBeat - 1e-6;
            for (int voice = 1; voice < Voicing.VoiceCount; voice++)
            {
                int pitch = voicings[i][voice];
                if (pitch < 0)
                {
                    held[voice] = null;
                    continue;
                }

                if (joined && held[voice] is int h && notes[h].Pitch == pitch)
                {
                    notes[h] = notes[h] with { DurationBeats = m.EndBeat - notes[h].StartBeat };
                    continue;
                }

                held[voice] = notes.Count;
                notes.Add(new TrackNote(m.StartBeat, m.DurationBeats, pitch, velocity));
            }
        }

        return notes;
    }

    /// <summary>
    /// Block chords for the melody: one chord per half bar (per bar in metres of odd beats or bars under four
    /// beats), recognised (<see cref="ChordSegmenter"/>, in the key) from the melody together with the
    /// harmoniser's three lower voices, so the chords are the harmoniser's diatonic choices with its preference
    /// for I, IV and V. Each chord is its root (or slash bass) in C2–B2 under its tones in G3–F#4; windows where
    /// the melody rests are silent.
    /// </summary>
    public static (IReadOnlyList<TrackNote> Notes, IReadOnlyList<TimedChord> Chords) Accompany(IReadOnlyList<Note> melody, MidiInput input, Key key)
    {
        ArgumentNullException.ThrowIfNull(melody);
        ArgumentNullException.ThrowIfNull(input);
        if (melody.Count == 0)
        {
            return ([], []);
        }

        Voicing[] voicings = Voicings(melody, key, 3);
        var timed = new List<TimedNote>();
        for (int i = 0; i < melody.Count; i++)
        {
            Note m = melody[i];
            for (int voice = 0; voice < Voicing.VoiceCount; voice++)
            {
                int pitch = voice == 0 ? m.Pitch : voicings[i][voice];
                if (pitch >= 0)
                {
                    timed.Add(new TimedNote(m.StartBeat, m.DurationBeats, pitch));
                }
            }
        }

        double[] boundaries = Windows(input, melody[^1].EndBeat);
        Chord[] chords = new ChordSegmenter().Recognize(timed.ToArray(), boundaries, [key]);
        var result = new List<TimedChord>();
        for (int w = 0; w < chords.Length; w++)
        {
            if (!chords[w].IsNone)
            {
                result.Add(new TimedChord(boundaries[w], boundaries[w + 1], chords[w]));
            }
        }

        return (BlockChords(result), result);
    }

    /// <summary>Each chord voiced as the plugin voices it (<see cref="ChordVoicing.Block"/>), held for the chord's length; the bass a little louder.</summary>
    public static IReadOnlyList<TrackNote> BlockChords(IReadOnlyList<TimedChord> chords)
    {
        ArgumentNullException.ThrowIfNull(chords);
        var notes = new List<TrackNote>();
        Span<int> pitches = stackalloc int[ChordVoicing.MaxNotes];
        foreach (TimedChord chord in chords)
        {
            double length = chord.EndBeat - chord.StartBeat;
            int count = ChordVoicing.Block(chord.Chord, pitches);
            for (int i = 0; i < count; i++)
            {
                notes.Add(new TrackNote(chord.StartBeat, length, pitches[i], i == 0 ? 80 : 64));
            }
        }

        return notes;
    }

    /// <summary>
    /// The harmoniser's voicings, one per melody note. The melody is first moved by the whole octaves that put
    /// most of its notes in the soprano range (C4–G5; the smallest move on a tie), and the voicings moved back: a
    /// tune written an octave low would otherwise leave the ranges and let the harmoniser relax them, putting
    /// voices above it. A voice that would still cross above a melody note outside the range is left out for that note (a unison,
    /// an alto doubling the tune, is kept, as in four-part writing).
    /// </summary>
    private static Voicing[] Voicings(IReadOnlyList<Note> melody, Key key, int voices)
    {
        var harmonizer = new Harmonizer(key, voices);
        int[] pitches = [.. melody.Select(n => n.Pitch)];
        int shift = 0, best = -1;
        foreach (int octaves in (int[])[0, 1, -1, 2, -2, 3, -3])
        {
            int inRange = pitches.Count(p => p + (12 * octaves) is >= Harmonizer.SopranoLow and <= Harmonizer.SopranoHigh);
            if (inRange > best)
            {
                best = inRange;
                shift = 12 * octaves;
            }
        }

        int[] shifted = [.. pitches.Select(p => Math.Clamp(p + shift, 0, Pitch.MaxNumber))];
        var voicings = new Voicing[pitches.Length];
        harmonizer.Harmonize(shifted, [], voicings);
        for (int i = 0; i < voicings.Length; i++)
        {
            Voicing v = voicings[i];
            int Back(int p) => p < 0 || p - shift < 0 || p - shift > pitches[i] ? Voicing.Absent : p - shift;
            voicings[i] = new Voicing(pitches[i], Back(v.Alto), Back(v.Tenor), Back(v.Bass));
        }

        return voicings;
    }

    // Half bars from beat 0 through the bar the melody ends in (every bar line of the metre map is a boundary).
    private static double[] Windows(MidiInput input, double end)
    {
        IReadOnlyList<double> lines = input.BarLinesThrough(end);
        var boundaries = new List<double> { lines[0] };
        for (int i = 0; i + 1 < lines.Count; i++)
        {
            double bar = lines[i + 1] - lines[i];
            if (bar >= 4 - 1e-9 && Math.Abs((bar / 2) - Math.Round(bar / 2)) < 1e-9)
            {
                boundaries.Add(lines[i] + (bar / 2));
            }

            boundaries.Add(lines[i + 1]);
        }

        if (boundaries.Count == 1)
        {
            boundaries.Add(lines[0] + input.BarBeatsAt(lines[0]));
        }

        return [.. boundaries];
    }
}
