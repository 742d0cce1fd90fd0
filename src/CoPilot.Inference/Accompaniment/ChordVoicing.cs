using CoPilot.Music;

namespace CoPilot.Inference.Accompaniment;

/// <summary>
/// How an accompaniment chord is played: its bass (the root, or a slash chord's bass) in C2–B2 under its tones in
/// G3–F#4, the middle of a piano below most melodies, so chords never cover the tune.
/// </summary>
public static class ChordVoicing
{
    /// <summary>The upper notes lie in this octave (G3–F#4).</summary>
    public const int TonesLow = 55;

    /// <summary>The bass lies in C2–B2.</summary>
    public const int BassLow = 36;

    /// <summary>The most notes a voicing has: the bass and up to six tones (a 13th's pitch classes).</summary>
    public const int MaxNotes = 8;

    /// <summary>Writes the bass, then the tones from low to high, as MIDI pitches; returns the count (0 for no chord).</summary>
    public static int Block(Chord chord, Span<int> pitches)
    {
        if (chord.IsNone || pitches.Length == 0)
        {
            return 0;
        }

        int n = 0;
        pitches[n++] = InOctave(chord.Bass.Value, BassLow);
        int first = n;
        foreach (PitchClass pc in chord.PitchClasses)
        {
            if (n == pitches.Length)
            {
                break;
            }

            int pitch = InOctave(pc.Value, TonesLow);
            int i = n++;
            while (i > first && pitches[i - 1] > pitch)
            {
                pitches[i] = pitches[i - 1];
                i--;
            }

            pitches[i] = pitch;
        }

        return n;
    }

    /// <summary>The pitch of <paramref name="pitchClass"/> in the octave that starts at <paramref name="low"/>.</summary>
    public static int InOctave(int pitchClass, int low) => low + ((((pitchClass - low) % PitchClass.Count) + PitchClass.Count) % PitchClass.Count);
}
