namespace CoPilot.Music.Tests;

public class ChordSegmenterTests
{
    /// <summary>
    /// One beat of silence, then C | Am | F | G7 | C in 4/4, as a pianist might play it: the bass holds the root
    /// for the bar, the right hand strikes two chord tones on every beat but lets a neighbour note replace one on
    /// beat 3, and the melody walks through passing notes.
    /// </summary>
    private static List<TimedNote> Progression()
    {
        var notes = new List<TimedNote>();
        notes.AddRange(Tunes.Line("C3:4 A2:4 F2:4 G2:4 C3:4", startBeat: 1));
        notes.AddRange(Tunes.Line(
            "E4:1 E4:1 E4:1 E4:1 " + // C: E G, G A (neighbour), E G
            "C4:1 C4:1 C4:1 C4:1 " +
            "A3:1 A3:1 A3:1 A3:1 " +
            "B3:1 B3:1 B3:1 B3:1 " +
            "E4:1 E4:1 E4:1 E4:1",
            startBeat: 1));
        notes.AddRange(Tunes.Line(
            "G4:1 G4:1 A4:1 G4:1 " +
            "E4:1 E4:1 F4:1 E4:1 " +
            "C4:1 C4:1 D4:1 C4:1 " +
            "F4:1 F4:1 F4:1 F4:1 " +
            "G4:1 G4:1 A4:1 G4:1",
            startBeat: 1));
        notes.AddRange(Tunes.Line(
            "C5:1 D5:1 E5:1 G5:1 " +
            "A5:1 G5:1 E5:1 C5:1 " +
            "A4:1 B4:1 C5:1 A4:1 " +
            "B4:1 D5:1 G4:1 F4:1 " +
            "E4:4",
            startBeat: 1));
        return notes;
    }

    private static string[] Expected() =>
        ["N.C.", .. Enumerable.Repeat("C", 4), .. Enumerable.Repeat("Am", 4), .. Enumerable.Repeat("F", 4), .. Enumerable.Repeat("G7", 4), .. Enumerable.Repeat("C", 4)];

    [Fact]
    public void SmoothingRemovesOneBeatDetours()
    {
        List<TimedNote> notes = Progression();
        double[] beats = ChordSegmenter.RegularBoundaries(21);
        string[] expected = Expected();

        string[] raw = [.. new ChordSegmenter(changePenalty: 0).Recognize(notes.ToArray(), beats).Select(c => c.ToString())];
        string[] smoothed = [.. new ChordSegmenter().Recognize(notes.ToArray(), beats).Select(c => c.ToString())];

        Assert.Equal(string.Join(' ', expected), string.Join(' ', smoothed));
        Assert.NotEqual(string.Join(' ', expected), string.Join(' ', raw)); // the neighbour notes fool single beats
    }

    [Fact]
    public void KeysAndWindowsOfAnyLength()
    {
        List<TimedNote> notes = Progression();
        double[] halfBars = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21];
        Key c = Key.Major(new NoteName(Letter.C, 0));
        var segmenter = new ChordSegmenter();
        string[] oneKey = [.. segmenter.Recognize(notes.ToArray(), halfBars, [c]).Select(x => x.ToString())];
        Assert.Equal("C C Am Am F F G7 G7 C C", string.Join(' ', oneKey));

        Key[] perWindow = [.. Enumerable.Repeat(c, halfBars.Length - 1)];
        Chord[] chords = new Chord[halfBars.Length - 1];
        segmenter.Recognize(notes.ToArray(), halfBars, chords, perWindow);
        Assert.Equal(oneKey, chords.Select(x => x.ToString()));

        Assert.Throws<ArgumentException>(() => segmenter.Recognize(notes.ToArray(), halfBars, [c, c]));
        Assert.Throws<ArgumentException>(() => segmenter.Recognize(notes.ToArray(), [0, 2, 2, 4]));
        Assert.Empty(segmenter.Recognize(notes.ToArray(), [0]));
    }

    [Fact]
    public void BassIsTheLowestSustainedNote()
    {
        // C major over a held E, with a quick low G grace note: C/E, not C/G.
        TimedNote[] notes =
        [
            new(0, 4, 52), new(0, 4, 60), new(0, 4, 67), new(0, 0.25, 43),
        ];
        Chord[] chords = new ChordSegmenter().Recognize(notes, [0, 4]);
        Assert.Equal("C/E", chords[0].ToString());
    }
}
