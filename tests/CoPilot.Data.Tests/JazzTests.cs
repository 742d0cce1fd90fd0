namespace CoPilot.Data.Tests;

public class JazzTests
{
    [Fact]
    public void Twelve_bar_blues()
    {
        var song = JazzLoader.LoadSong(Path.Combine(DataRoot.JazzSongDb, "Songs[#,A-G]", "12-barBlues.txt"));
        Assert.Equal("12-Bar Blues", song.Title);
        Assert.Equal("F", Assert.Single(song.Keys).Label);
        Assert.Equal(48.0, song.Chords[^1].EndBeat);
        Assert.Equal(("F13", 0.0, 4.0), (song.Chords[0].Label, song.Chords[0].StartBeat, song.Chords[0].EndBeat));
        Assert.Equal(("Bb13", 4.0, 6.0), (song.Chords[1].Label, song.Chords[1].StartBeat, song.Chords[1].EndBeat));
        Assert.Equal(16, song.Chords.Count);
    }

    [Fact]
    public void All_songs_load_with_index_splits()
    {
        var report = JazzLoader.LoadAll(DataRoot.JazzSongDb);
        Assert.Empty(report.Failures);
        Assert.Equal(2614, report.Loaded);
        Assert.Equal("Songs[#,A-G]/12-barBlues.txt", report.Items[0].Id);
        Assert.Equal(Split.Test, report.Items[0].Split);
        Assert.Equal(Split.Valid, report.Items[1].Split);
        Assert.Equal(262, report.Items.Count(s => s.Split == Split.Test));
        Assert.All(report.Items, s => Assert.Equal(StyleTag.Jazz, s.Style));
    }
}
