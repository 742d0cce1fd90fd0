namespace CoPilot.Music.Tests;

/// <summary>Real melodies and simple accompaniments, written out as notes.</summary>
internal static class Tunes
{
    /// <summary>Sequential notes from "pitch:beats" tokens ("C4:1 G4:2"); "r:1" is a rest.</summary>
    public static List<TimedNote> Line(string text, double startBeat = 0, int transpose = 0)
    {
        var notes = new List<TimedNote>();
        double beat = startBeat;
        foreach (string token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = token.Split(':');
            double length = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            if (parts[0] != "r")
            {
                Assert.True(Pitch.TryParse(parts[0], out Pitch pitch), parts[0]);
                notes.Add(new TimedNote(beat, length, pitch.Number + transpose, 0.8f));
            }

            beat += length;
        }

        return notes;
    }

    /// <summary>"Twinkle, Twinkle, Little Star" (the French "Ah ! vous dirai-je, maman"), melody only, in C.</summary>
    public static List<TimedNote> Twinkle(int transpose = 0) => Line(
        "C4:1 C4:1 G4:1 G4:1 A4:1 A4:1 G4:2 F4:1 F4:1 E4:1 E4:1 D4:1 D4:1 C4:2 " +
        "G4:1 G4:1 F4:1 F4:1 E4:1 E4:1 D4:2 G4:1 G4:1 F4:1 F4:1 E4:1 E4:1 D4:2 " +
        "C4:1 C4:1 G4:1 G4:1 A4:1 A4:1 G4:2 F4:1 F4:1 E4:1 E4:1 D4:1 D4:1 C4:2",
        transpose: transpose);

    /// <summary>Minuet in G, BWV Anh. 114 (Notebook for Anna Magdalena Bach), bars 1-8, both hands, 3/4.</summary>
    public static List<TimedNote> MinuetInG()
    {
        List<TimedNote> notes = Line(
            "D5:1 G4:0.5 A4:0.5 B4:0.5 C5:0.5 D5:1 G4:1 G4:1 " +
            "E5:1 C5:0.5 D5:0.5 E5:0.5 F#5:0.5 G5:1 G4:1 G4:1 " +
            "C5:1 D5:0.5 C5:0.5 B4:0.5 A4:0.5 B4:1 C5:0.5 B4:0.5 A4:0.5 G4:0.5 " +
            "F#4:1 G4:0.5 A4:0.5 B4:0.5 G4:0.5 A4:3");
        notes.AddRange(Line("G3:2 A3:1 B3:3 C4:3 B3:3 A3:3 G3:3 D4:2 B3:1 D4:1 D3:1 C4:1"));
        notes.Add(new TimedNote(0, 2, 59, 0.6f)); // the opening G major chord: B3 and D4 over G3
        notes.Add(new TimedNote(0, 2, 62, 0.6f));
        return notes;
    }

    /// <summary>"Greensleeves", first strain, in A minor: raised G# leading notes and the Dorian F#.</summary>
    public static List<TimedNote> Greensleeves(int transpose = 0)
    {
        List<TimedNote> notes = Line(
            "A4:1 C5:2 D5:1 E5:1.5 F5:0.5 E5:1 D5:2 B4:1 G4:1.5 A4:0.5 B4:1 C5:2 A4:1 " +
            "A4:1.5 G#4:0.5 A4:1 B4:2 G#4:1 E4:2 A4:1 C5:2 D5:1 E5:1.5 F5:0.5 E5:1 D5:2 B4:1 " +
            "G4:1.5 A4:0.5 B4:1 C5:1.5 B4:0.5 A4:1 G#4:1.5 F#4:0.5 G#4:1 A4:3",
            transpose: transpose);
        notes.AddRange(Line("r:1 A2:3 F2:3 G2:3 E2:3 A2:3 F2:3 E2:3 E2:3 A2:3 F2:3 G2:3 E2:3 A2:3 E2:3 A2:3", transpose: transpose));
        return notes;
    }

    /// <summary>
    /// Bars of I–IV–V–I in a major key, one chord per bar: bass root, the triad held, and a melody stepping
    /// up from the chord root (degrees r, r+1, r+2, r+4), so every bar has chord tones and passing notes.
    /// </summary>
    public static List<TimedNote> Cadences(PitchClass tonic, int bars, double startBeat = 0)
    {
        int[] roots = [0, 3, 4, 0];
        int[] major = [0, 2, 4, 5, 7, 9, 11];
        int Degree(int d) => major[d % 7] + (12 * (d / 7));
        var notes = new List<TimedNote>();
        int baseC = 48 + tonic.Value;
        for (int bar = 0; bar < bars; bar++)
        {
            double beat = startBeat + (bar * 4);
            int root = roots[bar % roots.Length];
            notes.Add(new TimedNote(beat, 4, baseC + Degree(root) - 12, 0.7f));
            foreach (int third in new[] { 0, 2, 4 })
            {
                notes.Add(new TimedNote(beat, 4, baseC + Degree(root + third), 0.5f));
            }

            int[] melody = [root, root + 1, root + 2, root + 4];
            for (int i = 0; i < 4; i++)
            {
                notes.Add(new TimedNote(beat + i, 1, baseC + 12 + Degree(melody[i]), 0.9f));
            }
        }

        return notes;
    }
}
