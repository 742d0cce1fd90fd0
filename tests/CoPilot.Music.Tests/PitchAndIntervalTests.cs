namespace CoPilot.Music.Tests;

public class PitchAndIntervalTests
{
    private static NoteName Note(string text)
    {
        Assert.True(NoteName.TryParse(text, out NoteName name), text);
        return name;
    }

    [Fact]
    public void PitchClassArithmeticWraps()
    {
        Assert.Equal(PitchClass.B, PitchClass.C - 1);
        Assert.Equal(PitchClass.D, PitchClass.B + 3);
        Assert.Equal(PitchClass.C, new PitchClass(-12));
        Assert.Equal(7, PitchClass.G - PitchClass.C);
        Assert.Equal(5, PitchClass.C - PitchClass.G);
        Assert.Equal("Eb", PitchClass.EFlat.ToString());
        Assert.Equal("F#", new PitchClass(6).ToString());
    }

    [Theory]
    [InlineData(60, "C4", 4)]
    [InlineData(61, "C#4", 4)]
    [InlineData(69, "A4", 4)]
    [InlineData(59, "B3", 3)]
    [InlineData(21, "A0", 0)]
    [InlineData(0, "C-1", -1)]
    [InlineData(127, "G9", 9)]
    public void MidiNumbersFollowScientificPitchNotation(int midi, string name, int octave)
    {
        var pitch = new Pitch(midi);
        Assert.Equal(name, pitch.ToString());
        Assert.Equal(octave, pitch.Octave);
        Assert.True(Pitch.TryParse(name, out Pitch parsed));
        Assert.Equal(pitch, parsed);
    }

    [Fact]
    public void PitchBasics()
    {
        Assert.Equal(440.0, new Pitch(69).Frequency, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pitch(128));
        Assert.False(new Pitch(120).TryTranspose(8, out _));
        Assert.Equal(12, new Pitch(72) - Pitch.MiddleC);
        Assert.True(Pitch.TryParse("Cb4", out Pitch cFlat));
        Assert.Equal(59, cFlat.Number);
        Assert.False(Pitch.TryParse("H4", out _));
        Assert.False(Pitch.TryParse("C", out _));
    }

    [Theory]
    [InlineData("C", "F#", "A4", 6)]
    [InlineData("C", "Gb", "d5", 6)]
    [InlineData("B", "F", "d5", 6)]
    [InlineData("F", "B", "A4", 6)]
    [InlineData("E", "G#", "M3", 4)]
    [InlineData("E", "G", "m3", 3)]
    [InlineData("C", "Eb", "m3", 3)]
    [InlineData("C", "D#", "A2", 3)]
    [InlineData("B", "C", "m2", 1)]
    [InlineData("B#", "C", "d2", 0)]
    [InlineData("C#", "Bb", "d7", 9)]
    [InlineData("C", "B", "M7", 11)]
    [InlineData("G", "D", "P5", 7)]
    [InlineData("D", "G", "P4", 5)]
    [InlineData("Cb", "B#", "AA7", 13)]
    [InlineData("A", "A", "P1", 0)]
    public void IntervalsBetweenNoteNames(string lower, string upper, string name, int semitones)
    {
        Interval interval = Interval.Between(Note(lower), Note(upper));
        Assert.Equal(name, interval.ToString());
        Assert.Equal(semitones, interval.Semitones);
        Assert.Equal(Note(upper), Note(lower).Transpose(interval));
    }

    [Fact]
    public void SameSizeDifferentInterval()
    {
        Assert.NotEqual(Interval.AugmentedFourth, Interval.DiminishedFifth);
        Assert.Equal(Interval.AugmentedFourth.Semitones, Interval.DiminishedFifth.Semitones);
        Assert.Equal("F#", Note("C").Transpose(Interval.AugmentedFourth).ToString());
        Assert.Equal("Gb", Note("C").Transpose(Interval.DiminishedFifth).ToString());
        Assert.Equal(IntervalQuality.Augmented, Interval.AugmentedFourth.Quality);
        Assert.Equal(IntervalQuality.Diminished, Interval.DiminishedFifth.Quality);
        Assert.Equal(Interval.DiminishedFifth, Interval.AugmentedFourth.Invert());
        Assert.Equal(Interval.MinorSixth, Interval.MajorThird.Invert());
        Assert.Equal(Interval.PerfectOctave, Interval.PerfectUnison.Invert());
    }

    [Theory]
    [InlineData(6, "A4")]
    [InlineData(7, "P5")]
    [InlineData(10, "m7")]
    [InlineData(12, "P8")]
    [InlineData(14, "M9")]
    [InlineData(19, "P12")]
    public void DefaultIntervalNames(int semitones, string name)
    {
        Assert.Equal(name, Interval.FromSemitones(semitones).ToString());
    }

    [Fact]
    public void CompoundIntervalsBetweenSpelledPitches()
    {
        var c4 = new SpelledPitch(Note("C"), 4);
        var e5 = new SpelledPitch(Note("E"), 5);
        var bSharp3 = new SpelledPitch(Note("B#"), 3);
        Assert.Equal("M10", Interval.Between(c4, e5).ToString());
        Assert.Equal("d2", Interval.Between(bSharp3, c4).ToString());
        Assert.Equal(0, Interval.Between(bSharp3, c4).Semitones);
    }

    [Theory]
    [InlineData("F#", Letter.F, 1)]
    [InlineData("bb", Letter.B, -1)]
    [InlineData("Ebb", Letter.E, -2)]
    [InlineData("Fx", Letter.F, 2)]
    [InlineData("C♯", Letter.C, 1)]
    [InlineData("G", Letter.G, 0)]
    public void NoteNamesParse(string text, Letter letter, int accidental)
    {
        Assert.True(NoteName.TryParse(text, out NoteName name));
        Assert.Equal(letter, name.Letter);
        Assert.Equal(accidental, name.Accidental);
    }

    [Fact]
    public void LineOfFifths()
    {
        string[] names = ["Fb", "Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#", "E#", "B#"];
        for (int i = 0; i < names.Length; i++)
        {
            NoteName name = NoteName.FromFifths(i - 8);
            Assert.Equal(names[i], name.ToString());
            Assert.Equal(i - 8, name.Fifths);
        }
    }

    [Fact]
    public void PitchClassSets()
    {
        PitchClassSet cMajor = Scale.Major(PitchClass.C).PitchClasses;
        Assert.Equal(0b1010_1011_0101, cMajor.Mask);
        Assert.Equal(7, cMajor.Count);
        Assert.Equal("{C D E F G A B}", cMajor.ToString());
        Assert.Equal(Scale.Major(PitchClass.G).PitchClasses, cMajor.Transpose(7));
        Assert.Equal(cMajor, Scale.NaturalMinor(PitchClass.A).PitchClasses);
        Assert.True(PitchClassSet.Of(PitchClass.C, PitchClass.E, PitchClass.G).IsSubsetOf(cMajor));
        Assert.False(cMajor.Contains(PitchClass.FSharp));
        Assert.Equal(8, cMajor.With(PitchClass.FSharp).Count);
    }

    [Fact]
    public void ScaleDegrees()
    {
        Scale aHarmonic = Scale.HarmonicMinor(PitchClass.A);
        Assert.Equal(PitchClass.AFlat, aHarmonic.Degree(6));
        Assert.Equal(PitchClass.A, aHarmonic.Degree(7));
        Assert.Equal(2, aHarmonic.DegreeOf(PitchClass.C));
        Assert.Equal(-1, aHarmonic.DegreeOf(PitchClass.G));
        Scale gMajorPentatonic = Scale.MajorPentatonic(PitchClass.G);
        Assert.Equal("{D E G A B}", gMajorPentatonic.PitchClasses.ToString());
        Assert.Equal(4, gMajorPentatonic.DegreeOf(PitchClass.E));
        Assert.Equal(new Pitch(60), Scale.Major(PitchClass.C).Snap(new Pitch(61)));
        Assert.Equal(new Pitch(67), Scale.Major(PitchClass.G).Snap(new Pitch(68)));
        Assert.Equal("0 2 3 5 7 8 10", string.Join(' ', Enumerable.Range(0, 7).Select(d => Mode.Minor.DegreeSemitones(d))));
        Assert.Equal("0 1 3 5 6 8 10", string.Join(' ', Enumerable.Range(0, 7).Select(d => Mode.Locrian.DegreeSemitones(d))));
    }
}
