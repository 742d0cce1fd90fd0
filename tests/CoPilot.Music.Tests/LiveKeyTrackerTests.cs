using System.Diagnostics;
using Xunit.Abstractions;

namespace CoPilot.Music.Tests;

public class LiveKeyTrackerTests(ITestOutputHelper output)
{
    private readonly record struct Event(double Beat, bool On, int Pitch, float Velocity);

    /// <summary>Note-ons and note-offs in time order; at equal times note-offs first, as a sequencer sends them.</summary>
    private static Event[] Events(IEnumerable<TimedNote> notes) =>
    [
        .. notes
            .SelectMany(n => new[] { new Event(n.StartBeat, true, n.Pitch, n.Velocity), new Event(n.EndBeat, false, n.Pitch, 0) })
            .OrderBy(e => e.Beat)
            .ThenBy(e => e.On),
    ];

    private static void Play(LiveKeyTracker tracker, Event[] events, List<(double Beat, Key Key)>? changes = null)
    {
        foreach (Event e in events)
        {
            bool changed = e.On ? tracker.NoteOn(e.Pitch, e.Beat, e.Velocity) : tracker.NoteOff(e.Pitch, e.Beat);
            if (changed)
            {
                changes?.Add((e.Beat, tracker.Key));
            }
        }
    }

    [Fact]
    public void ConvergesOnTheKeyAndStaysThere()
    {
        var tracker = new LiveKeyTracker();
        var changes = new List<(double Beat, Key Key)>();
        Play(tracker, Events(Tunes.Cadences(PitchClass.D, 8)), changes);
        Assert.True(tracker.HasKey);
        Assert.Equal("D major", tracker.Key.ToString());
        Assert.Single(changes);
        Assert.True(changes[0].Beat <= 8, $"first key only at beat {changes[0].Beat}");
    }

    [Fact]
    public void FollowsAModulationWithoutFlickering()
    {
        List<TimedNote> music = Tunes.Cadences(PitchClass.C, 16);
        music.AddRange(Tunes.Cadences(PitchClass.G, 16, startBeat: 64));
        var tracker = new LiveKeyTracker();
        var changes = new List<(double Beat, Key Key)>();
        Play(tracker, Events(music), changes);
        foreach ((double beat, Key key) in changes)
        {
            output.WriteLine($"{beat,6:F1} {key}");
        }

        Assert.Equal(["C major", "G major"], changes.Select(c => c.Key.ToString()));
        Assert.InRange(changes[1].Beat, 64, 64 + 32);
    }

    [Theory]
    [InlineData(0, "C major")]
    [InlineData(6, "F# major")]
    [InlineData(-2, "Bb major")]
    public void TwinkleLive(int transpose, string expected)
    {
        var tracker = new LiveKeyTracker();
        Play(tracker, Events(Tunes.Twinkle(transpose)));
        Assert.Equal(expected, tracker.Key.ToString());
    }

    [Fact]
    public void GreensleevesLiveIsMinor()
    {
        var tracker = new LiveKeyTracker();
        var changes = new List<(double Beat, Key Key)>();
        Play(tracker, Events(Tunes.Greensleeves()), changes);
        Assert.Equal("A minor", tracker.Key.ToString());
        Assert.True(changes.Count <= 2, string.Join(", ", changes));
    }

    [Fact]
    public void NothingHeardNoKey()
    {
        var tracker = new LiveKeyTracker();
        Assert.False(tracker.HasKey);
        tracker.NoteOn(60, 0, 1f);
        Assert.False(tracker.HasKey);
        tracker.Advance(0.5);
        Assert.False(tracker.HasKey); // half a beat of one note is not enough to name a key
        Assert.Equal(0, tracker.KeyChanges);
    }

    [Fact]
    public void BadInputIsIgnored()
    {
        var tracker = new LiveKeyTracker();
        Assert.False(tracker.NoteOn(-1, 0, 1f));
        Assert.False(tracker.NoteOn(128, 0, 1f));
        Assert.False(tracker.NoteOff(64, 0)); // never pressed
        Play(tracker, Events(Tunes.Cadences(PitchClass.A, 4)));
        Key before = tracker.Key;
        double[] histogram = tracker.Histogram.ToArray();

        // Time going backwards (a loop) restarts the clock: nothing decays or grows.
        tracker.NoteOff(30, 2);
        Assert.Equal(histogram, tracker.Histogram.ToArray());
        Assert.Equal(before, tracker.Key);

        // Unmatched note-offs never drive a pitch class negative.
        for (int i = 0; i < 10; i++)
        {
            tracker.NoteOff(57, 3 + i);
        }

        Assert.All(tracker.Histogram.ToArray(), h => Assert.True(h >= 0));
        tracker.Reset();
        Assert.False(tracker.HasKey);
        Assert.All(tracker.Histogram.ToArray(), h => Assert.Equal(0, h));
    }

    [Fact]
    public void HeldNotesKeepCountingAndOldOnesFade()
    {
        var tracker = new LiveKeyTracker(halfLifeBeats: 4);
        tracker.NoteOn(60, 0, 1f);
        tracker.NoteOff(60, 4);
        double afterFour = tracker.Histogram[0];

        // ∫0..4 e^(−λ(4−t)) dt = (1 − 2^−1)/λ with λ = ln2/4.
        Assert.Equal(0.5 * 4 / Math.Log(2), afterFour, 9);
        tracker.Advance(8);
        Assert.Equal(afterFour / 2, tracker.Histogram[0], 9);
    }

    [Fact]
    public void LiveUpdatesDoNotAllocate()
    {
        var tracker = new LiveKeyTracker();
        List<TimedNote> music = Tunes.Cadences(PitchClass.C, 16);
        music.AddRange(Tunes.Cadences(PitchClass.E, 16, startBeat: 64));
        Event[] events = Events(music);
        const int Rounds = 200;
        int failures = 0;
        long allocated = 0;
        var stopwatch = new Stopwatch();
        for (int pass = 0; pass < 2; pass++)
        {
            // Each round plays the piece further along the timeline, so time only moves forward.
            tracker.Reset();
            stopwatch.Restart();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < Rounds; round++)
            {
                double offset = round * 128.0;
                foreach (Event e in events)
                {
                    if (e.On)
                    {
                        tracker.NoteOn(e.Pitch, e.Beat + offset, e.Velocity);
                    }
                    else
                    {
                        tracker.NoteOff(e.Pitch, e.Beat + offset);
                    }
                }

                if (tracker.Key.Index != 4)
                {
                    failures++;
                }
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            stopwatch.Stop();
        }

        double perEvent = stopwatch.Elapsed.TotalNanoseconds / (Rounds * events.Length);
        output.WriteLine($"{perEvent:F0} ns per event over {Rounds * events.Length} events (not asserted: see the benchmarks)");
        Assert.Equal(0, allocated);
        Assert.Equal(0, failures);
    }
}
