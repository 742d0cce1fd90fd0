namespace CoPilot.Music.Tests;

public class KeyFinderTests
{
    public static TheoryData<string> ProfileNames => new() { "Krumhansl-Kessler", "Temperley (Kostka-Payne)", "Temperley 1999", "Albrecht-Shanahan" };

    private static KeyProfile Profile(string name) => name switch
    {
        "Krumhansl-Kessler" => KeyProfiles.KrumhanslKessler,
        "Temperley (Kostka-Payne)" => KeyProfiles.Temperley,
        "Temperley 1999" => KeyProfiles.Temperley1999,
        _ => KeyProfiles.AlbrechtShanahan,
    };

    private static List<TimedNote> Transposed(List<TimedNote> notes, int semitones) =>
        [.. notes.Select(n => n with { Pitch = n.Pitch + semitones })];

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void TwinkleInEveryKey(string profile)
    {
        var finder = new KeyFinder(Profile(profile));
        for (int t = 0; t < 12; t++)
        {
            KeyEstimate estimate = finder.FindKey(Tunes.Twinkle(t).ToArray());
            Assert.True(estimate.HasKey);
            Assert.Equal(Mode.Major, estimate.Key.Mode);
            Assert.Equal(t, estimate.Key.TonicPitchClass.Value);
        }
    }

    [Fact]
    public void TwinkleInFSharpIsNamedFSharpMajor()
    {
        KeyEstimate estimate = new KeyFinder().FindKey(Tunes.Twinkle(6).ToArray());
        Assert.Equal("F# major", estimate.Key.ToString());
        Assert.True(estimate.Margin > 0);
        Assert.True(estimate.Correlation > 0.7, $"{estimate.Correlation}");
    }

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void BachMinuetInGMajor(string profile)
    {
        KeyEstimate estimate = new KeyFinder(Profile(profile)).FindKey(Tunes.MinuetInG().ToArray());
        Assert.Equal("G major", estimate.Key.ToString());
    }

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void GreensleevesInAMinor(string profile)
    {
        var finder = new KeyFinder(Profile(profile));
        Assert.Equal("A minor", finder.FindKey(Tunes.Greensleeves().ToArray()).Key.ToString());
        Assert.Equal("E minor", finder.FindKey(Tunes.Greensleeves(7).ToArray()).Key.ToString());
        Assert.Equal("Eb minor", finder.FindKey(Tunes.Greensleeves(6).ToArray()).Key.ToString());
    }

    [Fact]
    public void HistogramAndPairInputsAgree()
    {
        List<TimedNote> minuet = Tunes.MinuetInG();
        var histogram = new double[12];
        PitchClassHistogram.Accumulate(minuet.ToArray(), histogram);
        (int, double)[] pairs = [.. minuet.Select(n => (n.Pitch, n.DurationBeats))];
        var finder = new KeyFinder(KeyProfiles.Temperley);
        KeyEstimate fromNotes = finder.FindKey(minuet.ToArray());
        Assert.Equal(fromNotes, finder.FindKey(histogram));
        Assert.Equal(fromNotes, finder.FindKey(pairs));
    }

    [Fact]
    public void ScoresAreCorrelationsAndRotateWithTransposition()
    {
        var finder = new KeyFinder(KeyProfiles.KrumhanslKessler);

        // The profile itself correlates perfectly with its own key.
        var scores = new double[24];
        finder.Score(KeyProfiles.KrumhanslKessler.Minor, scores);
        Assert.Equal(1.0, scores[12 + 0], 12);
        Assert.All(scores, s => Assert.InRange(s, -1.0, 1.0 + 1e-12));

        var random = new Random(7);
        var histogram = new double[12];
        var rotated = new double[12];
        var rotatedScores = new double[24];
        for (int trial = 0; trial < 50; trial++)
        {
            for (int i = 0; i < 12; i++)
            {
                histogram[i] = random.NextDouble();
            }

            int shift = random.Next(12);
            for (int i = 0; i < 12; i++)
            {
                rotated[(i + shift) % 12] = histogram[i];
            }

            finder.Score(histogram, scores);
            finder.Score(rotated, rotatedScores);
            for (int k = 0; k < 24; k++)
            {
                int mode = k / 12;
                int moved = (mode * 12) + ((k + shift) % 12);
                Assert.Equal(scores[k], rotatedScores[moved], 10);
            }
        }
    }

    [Fact]
    public void EmptyOrFlatHistogramsHaveNoKey()
    {
        var finder = new KeyFinder();
        Assert.False(finder.FindKey(new double[12]).HasKey);
        Assert.False(finder.FindKey(Enumerable.Repeat(3.0, 12).ToArray()).HasKey);
        Assert.False(finder.FindKey(ReadOnlySpan<TimedNote>.Empty).HasKey);
        Assert.Throws<ArgumentException>(() => finder.FindKey(new double[11]));
    }

    [Fact]
    public void PublishedProfilesAreWhatThePapersPrint()
    {
        Assert.Equal(6.35, KeyProfiles.KrumhanslKessler.Major[0]);
        Assert.Equal(5.38, KeyProfiles.KrumhanslKessler.Minor[3]);
        Assert.Equal(0.748, KeyProfiles.Temperley.Major[0]);
        Assert.Equal(0.330, KeyProfiles.Temperley.Minor[11]);
        Assert.Equal(0.238, KeyProfiles.AlbrechtShanahan.Major[0]);
        Assert.Equal(0.052, KeyProfiles.AlbrechtShanahan.Minor[11]);
        foreach (KeyProfile profile in new[] { KeyProfiles.KrumhanslKessler, KeyProfiles.Temperley, KeyProfiles.Temperley1999, KeyProfiles.AlbrechtShanahan })
        {
            // Every profile puts the tonic or the dominant on top and the minor third above the major third in minor.
            Assert.True(profile.Minor[3] > profile.Minor[4], profile.Name);
            Assert.True(profile.Major[4] > profile.Major[3], profile.Name);
        }
    }

    [Fact]
    public void KeyFindingDoesNotAllocate()
    {
        var finder = new KeyFinder();
        TimedNote[] notes = [.. Tunes.MinuetInG()];
        var histogram = new double[12];
        PitchClassHistogram.Accumulate(notes, histogram);
        var scores = new double[24];
        int wrong = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                finder.Score(histogram, scores);
                if (finder.FindKey(notes).Key.Index != 7)
                {
                    wrong++;
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (pass == 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.Equal(0, wrong);
    }
}
