namespace CoPilot.Music.Tests;

public class RomanNumeralTests
{
    private static Key KeyOf(string text) => Key.TryParse(text, out Key key) ? key : throw new ArgumentException(text, nameof(text));

    private static Chord[] Chords(string names) =>
        [.. names.Split(' ').Select(n => Chord.TryParse(n, out Chord c) ? c : throw new ArgumentException(n, nameof(names)))];

    [Theory]
    [InlineData("C major", "Dm7 G7 Cmaj7", "ii7-V7-Imaj7")]
    [InlineData("C major", "C Am F G", "I-vi-IV-V")]
    [InlineData("G major", "G Em C D7 G", "I-vi-IV-V7-I")]
    [InlineData("Bb major", "Cm7 F7 Bbmaj7", "ii7-V7-Imaj7")]
    [InlineData("Db major", "Db Gb Ab Db", "I-IV-V-I")]
    [InlineData("C major", "C D7 G", "I-V7/V-V")]
    [InlineData("C major", "C A7 Dm G7 C", "I-V7/ii-ii-V7-I")]
    [InlineData("C major", "C E7 Am", "I-V7/vi-vi")]
    [InlineData("C major", "C C7 F", "I-V7/IV-IV")]
    [InlineData("C major", "C F#dim7 G", "I-vii°7/V-V")]
    [InlineData("C major", "C F#m7b5 G", "I-viiø7/V-V")]
    [InlineData("C major", "C Bb F C", "I-bVII-IV-I")] // the Mixolydian rock cadence
    [InlineData("C major", "C Ab Bb C", "I-bVI-bVII-I")] // the Aeolian cadence
    [InlineData("C major", "C F Fm C", "I-IV-iv-I")] // minor iv borrowed from C minor
    [InlineData("C major", "C Eb F C", "I-bIII-IV-I")]
    [InlineData("C major", "Db G7 C", "bII-V7-I")] // Neapolitan
    [InlineData("C major", "Em Bdim Bm7b5 Bdim7", "iii-vii°-viiø7-vii°7")]
    [InlineData("C major", "Caug Csus4 Cadd9 C6 G9 G7sus4", "I+-Isus4-Iadd9-I6-V9-V7sus4")]
    [InlineData("C major", "C7sus4 C9 F", "V7sus4/IV-V9/IV-IV")] // a chromatic dominant of any colour points to its target
    [InlineData("A minor", "Am Dm E7 Am", "i-iv-V7-i")]
    [InlineData("A minor", "Am G F E", "i-VII-VI-V")] // the Andalusian cadence
    [InlineData("A minor", "Bm7b5 E7 Am", "iiø7-V7-i")]
    [InlineData("A minor", "G#dim7 Am", "vii°7-i")]
    [InlineData("A minor", "Bb E Am", "bII-V-i")] // Neapolitan in minor
    [InlineData("A minor", "Am A7 Dm", "i-V7/iv-iv")]
    [InlineData("A minor", "C G7 C", "III-VII7-III")] // diatonic chords are never secondaries
    [InlineData("C# minor", "C#m F#m G#7 C#m", "i-iv-V7-i")]
    public void Progressions(string key, string chords, string numerals) =>
        Assert.Equal(numerals, RomanNumeral.FormatProgression(Chords(chords), KeyOf(key)));

    [Theory]
    [InlineData("C major", "C C/E C/G", "I-I6-I64")]
    [InlineData("C major", "G7 G7/B G7/D G7/F C/E", "V7-V65-V43-V42-I6")]
    [InlineData("C major", "Bm7b5/F Dm7/C D7/F# G", "viiø43-ii42-V65/V-V")]
    [InlineData("C major", "C/D Cadd9/E", "I-Iadd9")] // foreign basses and added-note chords take no figures
    public void InversionFigures(string key, string chords, string numerals) =>
        Assert.Equal(numerals, RomanNumeral.FormatProgression(Chords(chords), KeyOf(key), figures: true));

    [Fact]
    public void Properties()
    {
        RomanNumeral secondary = RomanNumeral.Analyze(Chords("D7")[0], KeyOf("C major"));
        Assert.True(secondary.IsSecondary);
        Assert.Equal(5, secondary.Degree);
        Assert.Equal(5, secondary.TargetDegree);
        Assert.False(secondary.TargetIsMinor);
        RomanNumeral borrowed = RomanNumeral.Analyze(Chords("Bb")[0], KeyOf("C major"));
        Assert.False(borrowed.IsSecondary);
        Assert.Equal(7, borrowed.Degree);
        Assert.Equal(-1, borrowed.Accidental);
        Assert.Equal("N.C.", RomanNumeral.Analyze(Chord.None, KeyOf("C major")).ToString());
        Span<char> tiny = stackalloc char[3];
        Assert.False(secondary.TryFormat(tiny, out int n));
        Assert.Equal(0, n);
    }
}
