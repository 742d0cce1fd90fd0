using System.Diagnostics;
using Xunit.Abstractions;

namespace CoPilot.Music.Tests;

public class ChordRecognitionTests(ITestOutputHelper output)
{
    private static readonly ChordRecognizer Recognizer = new();

    /// <summary>A voicing of a chord: the bass in octave 2, the other tones once each in octave 4 (ninths above).</summary>
    private static int[] Voicing(Chord chord)
    {
        var pitches = new List<int> { 36 + chord.Bass.Value };
        foreach (Interval tone in chord.Quality.Tones())
        {
            int pc = (chord.Root.Value + tone.Semitones) % 12;
            if (pc != chord.Bass.Value)
            {
                pitches.Add(60 + chord.Root.Value + tone.Semitones);
            }
        }

        return [.. pitches];
    }

    /// <summary>
    /// What the recogniser names a chord's notes over a given bass: the chord itself, except where the same notes
    /// spell another chord of the vocabulary and the bass or the priors decide (see <see cref="ChordRecognizer"/>).
    /// </summary>
    private static Chord Expected(Chord chord)
    {
        PitchClass root = chord.Root;
        PitchClass bass = chord.Bass;
        int bassTone = bass - root;
        return chord.Quality switch
        {
            // Symmetric chords: the bass is the root.
            ChordQuality.Diminished7 or ChordQuality.Augmented => new Chord(bass, chord.Quality),

            // C6 = Am7: over C it is C6, over A Am7, over E or G the commoner Am7/E, Am7/G.
            ChordQuality.Major6 when bassTone != 0 => new Chord(root + 9, ChordQuality.Minor7, bass),
            ChordQuality.Minor7 when bassTone == 3 => new Chord(bass, ChordQuality.Major6),

            // Cm6 = Am7b5: over C it is Cm6, otherwise Am7b5 (commoner than a minor sixth chord in inversion).
            ChordQuality.Minor6 when bassTone != 0 => new Chord(root + 9, ChordQuality.HalfDiminished7, bass),
            ChordQuality.HalfDiminished7 when bassTone == 3 => new Chord(bass, ChordQuality.Minor6),

            // Csus2 = Gsus4: over C Csus2, over G Gsus4, over D Gsus4/D (sus4 is the commoner).
            ChordQuality.Sus2 when bassTone == 7 => new Chord(bass, ChordQuality.Sus4),
            ChordQuality.Sus2 when bassTone == 2 => new Chord(root + 7, ChordQuality.Sus4, bass),
            ChordQuality.Sus4 when bassTone == 5 => new Chord(bass, ChordQuality.Sus2),
            _ => chord,
        };
    }

    internal static int[] Pitches(string notes) =>
        [.. notes.Split(' ').Select(n => Pitch.TryParse(n, out Pitch p) ? p.Number : throw new ArgumentException(n, nameof(notes)))];

    public static TheoryData<ChordQuality> Qualities()
    {
        var data = new TheoryData<ChordQuality>();
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            data.Add((ChordQuality)q);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Qualities))]
    public void EveryQualityInEveryInversionOnEveryRootIsRecognised(ChordQuality quality)
    {
        var wrong = new List<string>();
        for (int root = 0; root < 12; root++)
        {
            foreach (Interval tone in quality.Tones())
            {
                var chord = new Chord(new PitchClass(root), quality, new PitchClass(root + tone.Semitones));
                Chord expected = Expected(chord);
                Chord found = Recognizer.Recognize(Voicing(chord)).Chord;
                if (found != expected)
                {
                    wrong.Add($"{chord}: {found} (expected {expected})");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Theory]
    [InlineData("C4 E4 G4", "C")]
    [InlineData("E3 G3 C4", "C/E")]
    [InlineData("G3 C4 E4", "C/G")]
    [InlineData("B3 D4 F4 A4", "Bm7b5")]
    [InlineData("G2 B3 D4 F4", "G7")]
    [InlineData("B2 D4 F4 G4", "G7/B")]
    [InlineData("D3 F3 A3 C4", "Dm7")] // not F6/D
    [InlineData("F3 A3 C4 D4", "F6")] // not Dm7/F
    [InlineData("C3 E3 G3 A3", "C6")] // not Am7/C
    [InlineData("A2 C4 E4 G4", "Am7")]
    [InlineData("D3 F#3 A3 C4", "D7")]
    [InlineData("F#3 A3 C4 E4", "F#m7b5")]
    [InlineData("B2 D3 F3 Ab3", "Bdim7")]
    [InlineData("C3 F3 G3 Bb3", "C7sus4")]
    [InlineData("Eb3 G3 Bb3 D4", "Ebmaj7")]
    [InlineData("Bb2 Db4 F4 Ab4", "Bbm7")]
    [InlineData("G2 Eb4 Bb4", "Eb/G")]
    [InlineData("C3 E4 G4 D5", "Cadd9")]
    [InlineData("C3 E3 Bb3 D4", "C9")] // the fifth left out, as pianists do
    [InlineData("C3 E3 Bb3", "C7")] // shell voicing: root, third, seventh
    [InlineData("C3 G3 C4", "C")] // power chord: the simplest chord with a root and fifth
    [InlineData("C3 E3", "C")] // a bare third over the root
    [InlineData("A2 C4 E4", "Am")]
    [InlineData("C3 Eb3 G3 B3", "CmMaj7")]
    [InlineData("D3 F#3 A3 C#4 E4", "Dmaj9")]
    [InlineData("A2 G3 C4 E4 B4", "Am9")]
    public void NamedVoicings(string notes, string expected)
    {
        ChordEstimate estimate = Recognizer.Recognize(Pitches(notes));
        Assert.Equal(expected, estimate.Chord.ToString());
    }

    [Fact]
    public void FewerThanTwoPitchClassesIsNoChord()
    {
        Assert.True(Recognizer.Recognize([]).Chord.IsNone);
        Assert.True(Recognizer.Recognize([60]).Chord.IsNone);
        Assert.True(Recognizer.Recognize([48, 60, 72]).Chord.IsNone);
    }

    [Fact]
    public void WeightsOutvoteAPassingNote()
    {
        // C E G held (weight 1) with a quiet passing D: still C, not Cadd9.
        ChordEstimate estimate = Recognizer.Recognize([48, 64, 67, 74], [1f, 1f, 1f, 0.1f]);
        Assert.Equal("C", estimate.Chord.ToString());
        // Zero weight removes a note, and the lowest weighted note is the bass.
        estimate = Recognizer.Recognize([40, 48, 55, 64], [0f, 1f, 1f, 1f]);
        Assert.Equal("C", estimate.Chord.ToString());
    }

    [Fact]
    public void ABareFifthTakesTheThirdOfTheKey()
    {
        int[] fifth = Pitches("E3 B3 E4");
        Assert.Equal("E", Recognizer.Recognize(fifth).Chord.ToString()); // no key: the simplest chord, major
        Assert.Equal("Em", Recognizer.Recognize(fifth, [], Key.Major(new NoteName(Letter.C, 0))).Chord.ToString());
        Assert.Equal("E", Recognizer.Recognize(fifth, [], Key.Major(new NoteName(Letter.A, 0))).Chord.ToString());
    }

    [Fact]
    public void RecognitionIsAllocationFreeAndFast()
    {
        var voicings = new List<int[]>();
        var expected = new List<Chord>();
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            for (int root = 0; root < 12; root++)
            {
                var chord = new Chord(new PitchClass(root), (ChordQuality)q);
                voicings.Add(Voicing(chord));
                expected.Add(Expected(chord));
            }
        }

        int[][] all = [.. voicings];
        Chord[] answers = [.. expected];
        float[] weights = [1f, 0.9f, 0.8f, 0.7f, 0.6f];
        Key key = Key.Major(new NoteName(Letter.C, 0));
        const int Rounds = 200;
        long allocated = 0;
        int failures = 0;
        var stopwatch = new Stopwatch();
        for (int pass = 0; pass < 2; pass++)
        {
            failures = 0;
            stopwatch.Restart();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < Rounds; round++)
            {
                for (int i = 0; i < all.Length; i++)
                {
                    if (Recognizer.Recognize(all[i]).Chord != answers[i])
                    {
                        failures++;
                    }

                    Recognizer.Recognize(all[i], weights.AsSpan(0, all[i].Length), key);
                }
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            stopwatch.Stop();
        }

        double perCall = stopwatch.Elapsed.TotalNanoseconds / (2.0 * Rounds * all.Length);
        output.WriteLine($"{perCall:F0} ns per recognition over {2 * Rounds * all.Length} calls");
        Assert.Equal(0, allocated);
        Assert.Equal(0, failures);
        Assert.True(perCall < 50_000, $"{perCall} ns per call"); // a loose bound for a shared machine; the benchmark measures
    }
}
