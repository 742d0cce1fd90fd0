namespace CoPilot.Music.Tests;

public sealed class ChordSuggesterTests
{
    private static readonly Key CMajor = Key.Major(new NoteName(Letter.C, 0));

    // The committed statistics (models/chord-transitions), as the plugin will embed them.
    private static ChordSuggester Shipped()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CoPilot.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.NotNull(dir);
        var suggester = new ChordSuggester();
        foreach ((ChordStyle style, string name) in new[] { (ChordStyle.Pop, "pop"), (ChordStyle.Rock, "rock"), (ChordStyle.Jazz, "jazz") })
        {
            using var reader = new StreamReader(Path.Combine(dir, "models", "chord-transitions", name + ".tsv"));
            suggester.SetStatistics(style, ChordTransitions.Load(reader));
        }

        return suggester;
    }

    private static Chord[] Chords(params string[] names) => [.. names.Select(n => Chord.TryParse(n, out Chord c) ? c : throw new ArgumentException(n))];

    private static string[] Top(ChordSuggester suggester, Key key, ChordStyle style, int k, params string[] history)
    {
        var output = new ChordSuggestion[k];
        int n = suggester.Suggest(Chords(history), key, style, output);
        return [.. output.Take(n).Select(s => s.Chord.ToString(key))];
    }

    [Theory]
    [InlineData(ChordStyle.Pop)]
    [InlineData(ChordStyle.Rock)]
    [InlineData(ChordStyle.Jazz)]
    public void After_G7_in_C_the_tonic_is_in_the_top_3(ChordStyle style)
    {
        string[] top = Top(Shipped(), CMajor, style, 3, "G7");
        Assert.True(top.Contains("C") || top.Contains("Cmaj7"), string.Join(' ', top));
    }

    [Fact]
    public void After_Dm7_G7_in_C_jazz_resolves_to_the_tonic()
    {
        string[] top = Top(Shipped(), CMajor, ChordStyle.Jazz, 3, "Dm7", "G7");
        Assert.True(top[0] is "C" or "Cmaj7", string.Join(' ', top));
    }

    [Fact]
    public void Ii_goes_to_V_in_pop()
    {
        string[] top = Top(Shipped(), CMajor, ChordStyle.Pop, 3, "C", "Am", "Dm");
        Assert.True(top.Contains("G") || top.Contains("G7"), string.Join(' ', top));
    }

    [Fact]
    public void Suggestions_are_spelled_in_the_key_and_never_repeat_the_current_chord()
    {
        Key eFlatMinor = Key.Minor(new NoteName(Letter.E, -1));
        var output = new ChordSuggestion[5];
        int n = Shipped().Suggest(Chords("Ebm", "Bb7"), eFlatMinor, ChordStyle.Pop, output);
        Assert.Equal(5, n);
        Assert.DoesNotContain(output, s => s.Chord == Chords("Bb7")[0]);
        Assert.Contains(output, s => s.Chord.ToString(eFlatMinor) == "Ebm");
        Assert.True(output[0].Score >= output[1].Score);
    }

    [Fact]
    public void A_progression_the_song_repeats_is_predicted_from_its_own_history()
    {
        // I - bVI - bVII - I twice: the third time, after bVI the song's own bVII is first.
        string[] top = Top(Shipped(), CMajor, ChordStyle.Rock, 1, "C", "Ab", "Bb", "C", "Ab", "Bb", "C", "Ab");
        Assert.Equal("Bb", top[0]);
    }

    [Fact]
    public void Suggest_allocates_nothing_after_warm_up()
    {
        ChordSuggester suggester = Shipped();
        Chord[] history = Chords("C", "Am", "F", "G7", "C", "Em", "A7", "Dm7", "G7", "C", "F", "Fm", "C", "G");
        var output = new ChordSuggestion[3];
        for (int i = 0; i < 200; i++)
        {
            suggester.Suggest(history.AsSpan(0, 1 + (i % history.Length)), CMajor, (ChordStyle)(i % 5), output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            suggester.Suggest(history.AsSpan(0, 1 + (i % history.Length)), CMajor, (ChordStyle)(i % 5), output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Statistics_round_trip_through_text_byte_identically()
    {
        var transitions = new ChordTransitions("test");
        RelativeChord[] song = [.. "I VIm IV V7 I I IIm7 V7 I".Split(' ').Select(t => RelativeChord.TryParse(t, out RelativeChord r) ? r : throw new ArgumentException(t))];
        transitions.Add(song);
        transitions.Add(song);
        string text = transitions.ToText();
        ChordTransitions loaded = ChordTransitions.Load(new StringReader(text));
        Assert.Equal(text, loaded.ToText());
        Assert.Equal(4, loaded.Bigram(RelativeChord.FromIndex(new RelativeChord(7, ChordClass.Dominant7).Index), new RelativeChord(0, ChordClass.Major)));
        Assert.Equal(0, loaded.Bigram(new RelativeChord(0, ChordClass.Major), new RelativeChord(0, ChordClass.Major)));
        Assert.Throws<FormatException>(() => ChordTransitions.Load(new StringReader("2\tI Xyz\t3\n")));
    }

    [Theory]
    [InlineData("Bb13", 10, ChordClass.Dominant7)]
    [InlineData("F#m7b5", 6, ChordClass.HalfDiminished7)]
    [InlineData("Eo7", 4, ChordClass.Diminished)]
    [InlineData("AbM7#11", 8, ChordClass.Major7)]
    [InlineData("C7alt", 0, ChordClass.Dominant7)]
    [InlineData("Dm69", 2, ChordClass.Minor)]
    [InlineData("G7sus4b9", 7, ChordClass.Suspended)]
    [InlineData("CmM7", 0, ChordClass.Minor)]
    [InlineData("C69", 0, ChordClass.Major)]
    [InlineData("Db+", 1, ChordClass.Augmented)]
    [InlineData("Eb/G", 3, ChordClass.Major)]
    [InlineData("Am11", 9, ChordClass.Minor7)]
    public void Jazz_spellings_reduce_to_classes(string symbol, int root, ChordClass expected)
    {
        Assert.True(ChordClasses.TryParseLeadSheet(symbol, out PitchClass pc, out ChordClass cls));
        Assert.Equal(root, pc.Value);
        Assert.Equal(expected, cls);
    }

    [Fact]
    public void Relative_chord_names_round_trip()
    {
        for (int i = 0; i < RelativeChord.Count; i++)
        {
            RelativeChord chord = RelativeChord.FromIndex(i);
            Assert.True(RelativeChord.TryParse(chord.ToString(), out RelativeChord back));
            Assert.Equal(chord, back);
        }
    }
}
