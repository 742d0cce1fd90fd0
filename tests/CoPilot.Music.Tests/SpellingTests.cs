namespace CoPilot.Music.Tests;

/// <summary>Every key's scale spelled as it is printed in a theory book.</summary>
public class SpellingTests
{
    public static TheoryData<string, string, int> MajorKeys => new()
    {
        { "C", "C D E F G A B", 0 },
        { "G", "G A B C D E F#", 1 },
        { "D", "D E F# G A B C#", 2 },
        { "A", "A B C# D E F# G#", 3 },
        { "E", "E F# G# A B C# D#", 4 },
        { "B", "B C# D# E F# G# A#", 5 },
        { "F#", "F# G# A# B C# D# E#", 6 },
        { "C#", "C# D# E# F# G# A# B#", 7 },
        { "F", "F G A Bb C D E", -1 },
        { "Bb", "Bb C D Eb F G A", -2 },
        { "Eb", "Eb F G Ab Bb C D", -3 },
        { "Ab", "Ab Bb C Db Eb F G", -4 },
        { "Db", "Db Eb F Gb Ab Bb C", -5 },
        { "Gb", "Gb Ab Bb Cb Db Eb F", -6 },
        { "Cb", "Cb Db Eb Fb Gb Ab Bb", -7 },
    };

    public static TheoryData<string, string, int, string> MinorKeys => new()
    {
        // Tonic, natural minor, signature, raised seventh (harmonic minor's leading note).
        { "A", "A B C D E F G", 0, "G#" },
        { "E", "E F# G A B C D", 1, "D#" },
        { "B", "B C# D E F# G A", 2, "A#" },
        { "F#", "F# G# A B C# D E", 3, "E#" },
        { "C#", "C# D# E F# G# A B", 4, "B#" },
        { "G#", "G# A# B C# D# E F#", 5, "F##" },
        { "D#", "D# E# F# G# A# B C#", 6, "C##" },
        { "A#", "A# B# C# D# E# F# G#", 7, "G##" },
        { "D", "D E F G A Bb C", -1, "C#" },
        { "G", "G A Bb C D Eb F", -2, "F#" },
        { "C", "C D Eb F G Ab Bb", -3, "B" },
        { "F", "F G Ab Bb C Db Eb", -4, "E" },
        { "Bb", "Bb C Db Eb F Gb Ab", -5, "A" },
        { "Eb", "Eb F Gb Ab Bb Cb Db", -6, "D" },
        { "Ab", "Ab Bb Cb Db Eb Fb Gb", -7, "G" },
    };

    private static NoteName Note(string text)
    {
        Assert.True(NoteName.TryParse(text, out NoteName name), text);
        return name;
    }

    private static string Degrees(Key key) => string.Join(' ', Enumerable.Range(0, 7).Select(d => key.Degree(d).ToString()));

    private static string SpelledScale(Key key) =>
        string.Join(' ', Enumerable.Range(0, 7).Select(d => key.Spell(key.Scale.Degree(d)).ToString()));

    [Theory]
    [MemberData(nameof(MajorKeys))]
    public void MajorScalesAreSpelledFromTheSignature(string tonic, string scale, int signature)
    {
        Key key = Key.Major(Note(tonic));
        Assert.Equal(scale, Degrees(key));
        Assert.Equal(scale, SpelledScale(key));
        Assert.Equal(signature, key.Signature);
    }

    [Theory]
    [MemberData(nameof(MinorKeys))]
    public void MinorScalesAreSpelledFromTheSignature(string tonic, string scale, int signature, string leadingNote)
    {
        Key key = Key.Minor(Note(tonic));
        Assert.Equal(scale, Degrees(key));
        Assert.Equal(scale, SpelledScale(key));
        Assert.Equal(signature, key.Signature);
        Assert.Equal(leadingNote, key.Spell(key.TonicPitchClass - 1).ToString());
    }

    [Fact]
    public void IssueExamples()
    {
        Assert.Equal("F#", Key.Major(Note("D")).Spell(PitchClass.FSharp).ToString());
        Assert.Equal("Gb", Key.Minor(Note("Eb")).Spell(PitchClass.FSharp).ToString());
        Assert.Equal("Cb", Key.Major(Note("Gb")).Spell(PitchClass.B).ToString());
        Assert.Equal("E#", Key.Major(Note("C#")).Spell(PitchClass.F).ToString());
        Assert.Equal("B#", Key.Minor(Note("C#")).Spell(PitchClass.C).ToString());
    }

    [Theory]
    // C major: modal mixture and secondary dominants (bII, bIII, V/V, bVI, bVII).
    [InlineData("C", "C Db D Eb E F F# G Ab A Bb B")]
    // D major: the b7 of Mixolydian borrowing is C natural, V/V brings G#.
    [InlineData("D", "D Eb E F F# G G# A Bb B C C#")]
    [InlineData("Gb", "Gb Abb Ab Bbb Bb Cb C Db Ebb Eb Fb F")]
    // A minor: Neapolitan Bb, Picardy C#, V/V D#, melodic F#, leading note G#.
    [InlineData("Am", "A Bb B C C# D D# E F F# G G#")]
    [InlineData("C#m", "C# D D# E E# F# F## G# A A# B B#")]
    [InlineData("Ebm", "Eb Fb F Gb G Ab A Bb Cb C Db D")]
    public void ChromaticScaleFromTheTonic(string keyName, string expected)
    {
        Assert.True(Key.TryParse(keyName, out Key key));
        string actual = string.Join(' ', Enumerable.Range(0, 12).Select(i => key.Spell(key.TonicPitchClass + i).ToString()));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EverySpellingSoundsRight()
    {
        foreach (Mode mode in Enum.GetValues<Mode>())
        {
            for (int fifths = -7; fifths <= 7; fifths++)
            {
                var key = new Key(NoteName.FromFifths(fifths + mode.SignatureOffset()), mode);
                for (int pc = 0; pc < 12; pc++)
                {
                    NoteName name = key.Spell(new PitchClass(pc));
                    Assert.Equal(pc, name.PitchClass.Value);
                    Assert.InRange(name.Accidental, -2, 2);
                }

                for (int d = 0; d < 7; d++)
                {
                    Assert.Equal(key.Scale.Degree(d), key.Degree(d).PitchClass);
                }
            }
        }
    }

    [Theory]
    [InlineData("D dorian", "D E F G A B C", 0)]
    [InlineData("E phrygian", "E F G A B C D", 0)]
    [InlineData("F lydian", "F G A B C D E", 0)]
    [InlineData("G mixolydian", "G A B C D E F", 0)]
    [InlineData("B locrian", "B C D E F G A", 0)]
    [InlineData("A mixolydian", "A B C# D E F# G", 2)]
    [InlineData("C dorian", "C D Eb F G A Bb", -2)]
    [InlineData("F# phrygian", "F# G A B C# D E", 2)]
    [InlineData("Eb lydian", "Eb F G A Bb C D", -2)]
    [InlineData("C locrian", "C Db Eb F Gb Ab Bb", -5)]
    public void ChurchModes(string keyName, string scale, int signature)
    {
        Assert.True(Key.TryParse(keyName, out Key key));
        Assert.Equal(scale, Degrees(key));
        Assert.Equal(signature, key.Signature);
    }

    [Theory]
    [InlineData(0, Mode.Major, "C major")]
    [InlineData(1, Mode.Major, "Db major")]
    [InlineData(3, Mode.Major, "Eb major")]
    [InlineData(6, Mode.Major, "F# major")]
    [InlineData(8, Mode.Major, "Ab major")]
    [InlineData(10, Mode.Major, "Bb major")]
    [InlineData(11, Mode.Major, "B major")]
    [InlineData(1, Mode.Minor, "C# minor")]
    [InlineData(3, Mode.Minor, "Eb minor")]
    [InlineData(6, Mode.Minor, "F# minor")]
    [InlineData(8, Mode.Minor, "G# minor")]
    [InlineData(10, Mode.Minor, "Bb minor")]
    [InlineData(5, Mode.Locrian, "F locrian")]
    [InlineData(11, Mode.Lydian, "B lydian")]
    public void KeysFromPitchClassTakeTheSmallestSignature(int tonic, Mode mode, string expected)
    {
        Assert.Equal(expected, Key.FromPitchClass(new PitchClass(tonic), mode).ToString());
    }

    [Theory]
    [InlineData("C", "Am", "Cm", "G")]
    [InlineData("F#", "D#m", "F#m", "C#")]
    [InlineData("Gb", "Ebm", "Gbm", "Db")]
    [InlineData("Am", "C", "A", "Em")]
    [InlineData("Ebm", "Gb", "Eb", "Bbm")]
    [InlineData("C#m", "E", "C#", "G#m")]
    [InlineData("Ddor", "C", "D", "Ador")]
    public void RelatedKeys(string keyName, string relative, string parallel, string dominant)
    {
        Assert.True(Key.TryParse(keyName, out Key key));
        Assert.Equal(relative, key.Relative.ToShortString());
        Assert.Equal(parallel, key.Parallel.ToShortString());
        Assert.Equal(dominant, key.Dominant.ToShortString());
        Assert.Equal(key.Signature, key.Relative.Signature);
    }

    [Theory]
    [InlineData(60, "C# minor", "B#3")]
    [InlineData(59, "Gb major", "Cb4")]
    [InlineData(66, "D major", "F#4")]
    [InlineData(66, "Eb minor", "Gb4")]
    [InlineData(65, "C# major", "E#4")]
    [InlineData(72, "C major", "C5")]
    [InlineData(62, "G# minor", "C##4")]
    public void PitchesAreSpelledWithTheOctaveOfTheirLetter(int midi, string keyName, string expected)
    {
        Assert.True(Key.TryParse(keyName, out Key key));
        SpelledPitch spelled = key.Spell(new Pitch(midi));
        Assert.Equal(expected, spelled.ToString());
        Assert.Equal(midi, spelled.MidiNumber);
        Assert.True(Pitch.TryParse(expected, out Pitch parsed));
        Assert.Equal(midi, parsed.Number);
    }
}
