namespace CoPilot.Music.Tests;

public class ChordNamingTests
{
    private static Key KeyOf(string text) => Key.TryParse(text, out Key key) ? key : throw new ArgumentException(text, nameof(text));

    private static Chord Make(int root, ChordQuality quality, int? bass = null) =>
        new(new PitchClass(root), quality, new PitchClass(bass ?? root));

    [Theory]
    [InlineData(0, ChordQuality.Major7, null, "Cmaj7")]
    [InlineData(6, ChordQuality.HalfDiminished7, null, "F#m7b5")]
    [InlineData(7, ChordQuality.Major, 11, "G/B")]
    [InlineData(10, ChordQuality.Minor7, null, "Bbm7")]
    [InlineData(3, ChordQuality.Major, 7, "Eb/G")]
    [InlineData(11, ChordQuality.Diminished7, null, "Bdim7")]
    [InlineData(0, ChordQuality.Dominant7Sus4, null, "C7sus4")]
    [InlineData(1, ChordQuality.Major, null, "Db")]
    [InlineData(1, ChordQuality.Minor, null, "C#m")]
    [InlineData(3, ChordQuality.Minor, null, "Ebm")]
    [InlineData(8, ChordQuality.Major, null, "Ab")]
    [InlineData(8, ChordQuality.Minor, null, "G#m")]
    [InlineData(6, ChordQuality.Major, null, "F#")]
    [InlineData(4, ChordQuality.Major, 8, "E/G#")]
    [InlineData(9, ChordQuality.Minor, 7, "Am/G")]
    [InlineData(0, ChordQuality.Major, 10, "C/Bb")]
    [InlineData(0, ChordQuality.Major, 2, "C/D")]
    [InlineData(0, ChordQuality.Augmented, 8, "Caug/G#")]
    [InlineData(11, ChordQuality.Diminished7, 8, "Bdim7/Ab")]
    [InlineData(0, ChordQuality.Minor6, null, "Cm6")]
    [InlineData(0, ChordQuality.Major6, null, "C6")]
    [InlineData(0, ChordQuality.MinorMajor7, null, "CmMaj7")]
    [InlineData(0, ChordQuality.Dominant9, null, "C9")]
    [InlineData(0, ChordQuality.Major9, 2, "Cmaj9/D")]
    [InlineData(0, ChordQuality.Minor9, null, "Cm9")]
    [InlineData(0, ChordQuality.Add9, null, "Cadd9")]
    [InlineData(0, ChordQuality.Sus2, null, "Csus2")]
    [InlineData(0, ChordQuality.Sus4, 7, "Csus4/G")]
    [InlineData(0, ChordQuality.Diminished, null, "Cdim")]
    public void DefaultNames(int root, ChordQuality quality, int? bass, string name)
    {
        Chord chord = Make(root, quality, bass);
        Assert.Equal(name, chord.ToString());
        Assert.True(Chord.TryParse(name, out Chord parsed));
        Assert.Equal(chord, parsed);
    }

    [Theory]
    [InlineData(6, ChordQuality.Minor, null, "D major", "F#m")]
    [InlineData(6, ChordQuality.Major, null, "Db major", "Gb")]
    [InlineData(6, ChordQuality.Major7, null, "Db major", "Gbmaj7")]
    [InlineData(6, ChordQuality.Dominant7, null, "B major", "F#7")]
    [InlineData(6, ChordQuality.Major, null, "Eb minor", "Gb")]
    [InlineData(10, ChordQuality.Major, null, "C major", "Bb")] // bVII
    [InlineData(2, ChordQuality.Dominant7, 6, "C major", "D7/F#")] // V7/V in first inversion
    [InlineData(8, ChordQuality.Major, 0, "C# minor", "G#/B#")] // V6 of C# minor
    [InlineData(1, ChordQuality.Major, null, "C major", "Db")] // the Neapolitan
    [InlineData(11, ChordQuality.Diminished7, null, "C minor", "Bdim7")]
    [InlineData(3, ChordQuality.Minor, null, "Gb major", "Ebm")]
    [InlineData(3, ChordQuality.Minor, null, "F# major", "D#m")]
    [InlineData(11, ChordQuality.Major, null, "Gb major", "Cb")]
    [InlineData(5, ChordQuality.Major, null, "C# major", "E#")]
    [InlineData(0, ChordQuality.Major, 4, "C major", "C/E")]
    [InlineData(9, ChordQuality.Minor7, 7, "G major", "Am7/G")]
    public void NamesSpelledForAKey(int root, ChordQuality quality, int? bass, string key, string name)
    {
        Chord chord = Make(root, quality, bass);
        Assert.Equal(name, chord.ToString(KeyOf(key)));
        Assert.True(Chord.TryParse(name, out Chord parsed));
        Assert.Equal(chord, parsed);
    }

    [Theory]
    [InlineData("Cmaj7", "C:maj7")]
    [InlineData("F#m7b5", "F#:hdim7")]
    [InlineData("G/B", "G:maj/3")]
    [InlineData("D/A", "D:maj/5")]
    [InlineData("Em/G", "E:min/b3")]
    [InlineData("C7/Bb", "C:7/b7")]
    [InlineData("Cmaj7/B", "C:maj7/7")]
    [InlineData("Bdim7/Ab", "B:dim7/bb7")]
    [InlineData("Caug/G#", "C:aug/#5")]
    [InlineData("C/D", "C:maj/2")]
    [InlineData("Cadd9", "C:maj(9)")]
    [InlineData("Cadd9/D", "C:maj(9)/9")]
    [InlineData("C7sus4", "C:sus4(b7)")]
    [InlineData("C6", "C:maj6")]
    [InlineData("Am6", "A:min6")]
    [InlineData("CmMaj7", "C:minmaj7")]
    [InlineData("Bbm9", "Bb:min9")]
    [InlineData("N.C.", "N")]
    public void HarteNames(string name, string harte)
    {
        Assert.True(Chord.TryParse(name, out Chord chord));
        Assert.Equal(harte, chord.ToHarteString());
        Assert.True(Chord.TryParseHarte(harte, out Chord parsed));
        Assert.Equal(chord, parsed);
    }

    [Fact]
    public void EveryChordRoundTripsThroughHarteAndItsName()
    {
        var wrong = new List<string>();
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            for (int root = 0; root < 12; root++)
            {
                for (int bass = 0; bass < 12; bass++)
                {
                    Chord chord = Make(root, (ChordQuality)q, bass);
                    string harte = chord.ToHarteString();
                    if (!Chord.TryParseHarte(harte, out Chord fromHarte) || fromHarte != chord)
                    {
                        wrong.Add($"{chord} → {harte} → {fromHarte}");
                    }

                    string name = chord.ToString();
                    if (!Chord.TryParse(name, out Chord fromName) || fromName != chord)
                    {
                        wrong.Add($"{chord} → {name} → {fromName}");
                    }
                }
            }
        }

        Assert.True(Chord.TryParseHarte("N", out Chord none));
        Assert.True(none.IsNone);
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("B:maj", "B")]
    [InlineData("C#:min7", "C#m7")]
    [InlineData("A:7", "A7")]
    [InlineData("G:sus4", "Gsus4")]
    [InlineData("D:maj/5", "D/A")]
    [InlineData("E:min/b3", "Em/G")]
    [InlineData("Bb:maj7/7", "Bbmaj7/A")]
    [InlineData("G:sus4(b7)", "G7sus4")]
    [InlineData("F:hdim7", "Fm7b5")]
    [InlineData("Ab:minmaj7", "G#mMaj7")] // the key-free spelling of a minor-third chord is its minor key's: G#m, not Abm
    [InlineData("Db:maj6", "Db6")]
    [InlineData("E:min7/b7", "Em7/D")]
    [InlineData("C:7/3", "C7/E")]
    [InlineData("C", "C")] // a bare root is major
    [InlineData("C:(1,b3,5)", "Cm")]
    [InlineData("C:min7(*5)", "Cm7")]
    [InlineData("C:min11", "Cm9")]
    [InlineData("C:7(#9)", "C7")]
    [InlineData("C:13", "C9")]
    [InlineData("C:5", "C")]
    [InlineData("C:1", "C")]
    [InlineData("C:5(b7)", "C7")]
    [InlineData("C:aug(b7)", "Caug")]
    [InlineData("C:maj/9", "C/D")]
    [InlineData("C:min/11", "Cm/F")]
    [InlineData("C:sus4(b7,9)", "C7sus4")]
    [InlineData("C:maj6(9)", "C6")]
    [InlineData("Fb:maj", "E")]
    public void DataSetLabelsParseToTheNearestChord(string harte, string name)
    {
        Assert.True(Chord.TryParseHarte(harte, out Chord chord));
        Assert.Equal(name, chord.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("X")] // unknown: a label, but no chord
    [InlineData("H:maj")]
    [InlineData("C:foo")]
    [InlineData("C:maj/x")]
    [InlineData("C:maj(9")]
    [InlineData("Cmaj")]
    public void MalformedHarteDoesNotParseToAChord(string text) => Assert.False(Chord.TryParseHarte(text, out _));

    [Theory]
    [InlineData("C:7(#9)")]
    [InlineData("C:maj(9)/3")]
    [InlineData("A:min7/b3")]
    [InlineData("C:min(b13)")]
    [InlineData("C:sus4(b7,9)")]
    [InlineData("D:7(b9)")]
    [InlineData("C:7(#11)")]
    [InlineData("N")]
    [InlineData("X")]
    public void HarteLabelsRoundTrip(string text)
    {
        Assert.True(HarteLabel.TryParse(text, out HarteLabel label));
        Assert.Equal(text, label.ToString());
    }

    [Fact]
    public void InversionsAreCountedFromTheChordTones()
    {
        Assert.Equal(0, Make(7, ChordQuality.Dominant7).Inversion);
        Assert.Equal(1, Make(7, ChordQuality.Dominant7, 11).Inversion);
        Assert.Equal(2, Make(7, ChordQuality.Dominant7, 2).Inversion);
        Assert.Equal(3, Make(7, ChordQuality.Dominant7, 5).Inversion);
        Assert.Equal(-1, Make(0, ChordQuality.Major, 2).Inversion);
        Assert.Equal(-1, Chord.None.Inversion);
        Assert.Equal(PitchClassSet.Of(PitchClass.G, PitchClass.B, PitchClass.D, PitchClass.F), Make(7, ChordQuality.Dominant7).PitchClasses);
        Assert.Equal("A7/C#", Make(7, ChordQuality.Dominant7, 11).Transpose(2).ToString());
    }

    [Fact]
    public void FormattingReportsShortBuffersAndDoesNotAllocate()
    {
        Chord chord = Make(6, ChordQuality.HalfDiminished7, 0);
        Span<char> small = stackalloc char[4];
        Assert.False(chord.TryFormat(small, out int written));
        Assert.Equal(0, written);
        Assert.False(chord.TryFormatHarte(small, out _));

        Span<char> buffer = stackalloc char[32];
        Key key = KeyOf("Eb minor");
        var chords = new Chord[ChordQualities.Count * 12];
        for (int i = 0; i < chords.Length; i++)
        {
            chords[i] = Make(i % 12, (ChordQuality)(i / 12), (i * 7) % 12);
        }

        int total = 0;
        long allocated = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (Chord c in chords)
            {
                c.TryFormat(buffer, out int n);
                total += n;
                c.TryFormat(buffer, out n, key);
                total += n;
                c.TryFormatHarte(buffer, out n);
                total += n;
                RomanNumeral.Analyze(c, key).TryFormat(buffer, out n, figures: true);
                total += n;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }
}
