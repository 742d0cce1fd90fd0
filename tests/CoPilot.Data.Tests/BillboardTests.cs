using Xunit.Abstractions;

namespace CoPilot.Data.Tests;

public class BillboardTests(ITestOutputHelper output)
{
    [Fact]
    public void Song_0003_in_six_eight()
    {
        var song = BillboardLoader.LoadSong(Path.Combine(DataRoot.Billboard, "0003"));
        Assert.Equal("0003", song.Id);
        Assert.Equal(Split.Train, song.Split);
        Assert.Equal(StyleTag.Rock, song.Style);
        Assert.Equal("I Don't mind", song.Title);
        Assert.Equal("James Brown", song.Artist);
        Assert.Equal(new TimeSignatureChange(0, 6, 8), song.Metres[0]);
        Assert.Equal("C", Assert.Single(song.Keys).Label);
        var first = song.Chords[0];
        Assert.Equal(("A:min", 0.0, 3.0), (first.Label, first.StartBeat, first.EndBeat));
        Assert.Equal(0.073469387, first.StartSeconds!.Value, 6);
        // 21 lines of 4 bars and a last line of one bar, 3 beats each.
        Assert.Equal((21 * 4 + 1) * 3.0, song.Chords[^1].EndBeat, 9);
        Assert.Equal(148.723809523, song.Chords[^1].EndSeconds!.Value, 6);
    }

    [Fact]
    public void Continuation_repeats_metre_changes_and_non_chords()
    {
        string[] lines =
        [
            "# title: T",
            "# artist: A",
            "# metre: 4/4",
            "# tonic: C",
            "",
            "0.0\tsilence",
            "1.0\tA, intro, | C:maj . G:maj . | x2, (guitar)",
            "5.0\t| (2/4) F:maj | &pause | * | N |",
            "# tonic: D",
            "# metre: 3/4",
            "10.0\tB, verse, | D:maj . . | E:min | -> ",
            "13.0\tend",
        ];
        var song = BillboardLoader.Parse(lines, "mem");
        var chords = song.Chords.Select(c => (c.Label, c.StartBeat, c.EndBeat)).ToList();
        Assert.Equal(
            [
                ("C:maj", 0, 2), ("G:maj", 2, 4), ("C:maj", 4, 6), ("G:maj", 6, 8),
                ("F:maj", 8, 10), ("&pause", 10, 14), ("*", 14, 18), ("N", 18, 22),
                ("D:maj", 22, 25), ("E:min", 25, 28),
            ],
            chords);
        // Line 1 spans 4 s for 8 beats; line 2 spans 5 s for 14 beats.
        Assert.Equal(3.0, song.Chords[2].StartSeconds!.Value, 9);
        Assert.Equal(5.0 + (5.0 * 2 / 14), song.Chords[5].StartSeconds!.Value, 9);
        Assert.Equal([("C", 0.0, 22.0), ("D", 22.0, 28.0)], song.Keys.Select(k => (k.Label, k.StartBeat, k.EndBeat)));
        Assert.Equal(
            [new TimeSignatureChange(0, 4, 4), new TimeSignatureChange(8, 2, 4), new TimeSignatureChange(10, 4, 4), new TimeSignatureChange(22, 3, 4)],
            song.Metres);
        Assert.True(ChordSymbols.IsNoChord(song.Chords[5].Label));
        Assert.True(ChordSymbols.IsNoChord(song.Chords[6].Label));
        Assert.True(ChordSymbols.IsNoChord(song.Chords[7].Label));
        Assert.False(ChordSymbols.IsNoChord(song.Chords[0].Label));
    }

    [Fact]
    public void All_songs_load_and_deduplication_drops_train_repeats()
    {
        var report = BillboardLoader.LoadAll(DataRoot.Billboard);
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure.ToString());
        }
        Assert.Equal(890, report.Loaded);
        var dedup = BillboardLoader.DeduplicateAgainstTrain(report.Items);
        var valid = (report.Items.Count(s => s.Split == Split.Valid), dedup.Count(s => s.Split == Split.Valid));
        var test = (report.Items.Count(s => s.Split == Split.Test), dedup.Count(s => s.Split == Split.Test));
        output.WriteLine($"Billboard in {report.Elapsed.TotalSeconds:F2} s; valid {valid}, test {test}");
        // The README's measured trap: 21 of 92 valid and 28 of 96 test songs repeat a train song.
        Assert.Equal((92, 92 - 21), valid);
        Assert.Equal((96, 96 - 28), test);
        Assert.All(report.Items, s => Assert.NotEmpty(s.Chords));
    }
}
