namespace CoPilot.Music.Tests;

public class KeySegmenterTests
{
    [Fact]
    public void EightBarsOfCThenEightBarsOfG()
    {
        List<TimedNote> music = Tunes.Cadences(PitchClass.C, 8);
        music.AddRange(Tunes.Cadences(PitchClass.G, 8, startBeat: 32));
        IReadOnlyList<KeySegment> segments = new KeySegmenter().Segment(music.ToArray());
        Assert.Equal(2, segments.Count);
        Assert.Equal(new KeySegment(Key.FromIndex(0), 0, 32, segments[0].MeanCorrelation), segments[0]);
        Assert.Equal(new KeySegment(Key.FromIndex(7), 32, 64, segments[1].MeanCorrelation), segments[1]);
        Assert.True(segments[1].MeanCorrelation > 0.7);
    }

    [Fact]
    public void ShortWindowsStillGiveTwoSegments()
    {
        List<TimedNote> music = Tunes.Cadences(PitchClass.EFlat, 16);
        music.AddRange(Tunes.Cadences(PitchClass.AFlat, 16, startBeat: 64));
        IReadOnlyList<KeySegment> segments = new KeySegmenter(windowBeats: 8).Segment(music.ToArray());
        Assert.Equal(["Eb major", "Ab major"], segments.Select(s => s.Key.ToString()));
        Assert.Equal(64, segments[1].StartBeat);
        Assert.Equal(128, segments[1].EndBeat);
    }

    [Fact]
    public void TheSwitchPenaltyIgnoresABriefTonicisation()
    {
        // Three 4-bar phrases in C, one in G (a passing lean to the dominant), three more in C.
        List<TimedNote> music = Tunes.Cadences(PitchClass.C, 12);
        music.AddRange(Tunes.Cadences(PitchClass.G, 4, startBeat: 48));
        music.AddRange(Tunes.Cadences(PitchClass.C, 12, startBeat: 64));
        TimedNote[] notes = [.. music];

        IReadOnlyList<KeySegment> greedy = new KeySegmenter(windowBeats: 16, switchPenalty: 0).Segment(notes);
        Assert.Equal(["C major", "G major", "C major"], greedy.Select(s => s.Key.ToString()));

        IReadOnlyList<KeySegment> smoothed = new KeySegmenter(windowBeats: 16, switchPenalty: 1).Segment(notes);
        KeySegment only = Assert.Single(smoothed);
        Assert.Equal("C major", only.Key.ToString());
        Assert.Equal(112, only.EndBeat);
    }

    [Fact]
    public void ViterbiTradesScoreAgainstChanges()
    {
        // Two windows, keys 0 and 1: staying on 0 costs 0.2 of score, switching costs the penalty.
        var scores = new double[48];
        scores[0] = 1.0;
        scores[24 + 0] = 0.6;
        scores[24 + 1] = 0.8;
        Assert.Equal([0, 1], KeySegmenter.Viterbi(scores, 2, 0.1));
        Assert.Equal([0, 0], KeySegmenter.Viterbi(scores, 2, 0.3));
    }

    [Fact]
    public void NoNotesNoSegments() => Assert.Empty(new KeySegmenter().Segment([]));
}
