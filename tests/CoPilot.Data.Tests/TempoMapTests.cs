namespace CoPilot.Data.Tests;

public class TempoMapTests
{
    [Fact]
    public void No_tempo_is_120_bpm()
    {
        var map = new TempoMap([]);
        Assert.Equal(1.0, map.BeatsToSeconds(2), 9);
        Assert.Equal(4.0, map.SecondsToBeats(2), 9);
    }

    [Fact]
    public void Tempo_changes_are_piecewise_and_invert()
    {
        // 60 bpm for 4 beats (4 s), then 120 bpm.
        var map = new TempoMap([new TempoChange(4, 120), new TempoChange(0, 60)]);
        Assert.Equal(4.0, map.BeatsToSeconds(4), 9);
        Assert.Equal(5.0, map.BeatsToSeconds(6), 9);
        Assert.Equal(6.0, map.SecondsToBeats(5), 9);
        Assert.Equal(2.0, map.SecondsToBeats(2), 9);
        Assert.Equal(1.5, map.TicksToSeconds(720, 480), 9);
        foreach (var beat in new[] { 0.0, 0.5, 3.99, 4.0, 7.25, 100 })
        {
            Assert.Equal(beat, map.SecondsToBeats(map.BeatsToSeconds(beat)), 9);
        }
    }
}
