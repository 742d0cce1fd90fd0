using System.Diagnostics;
using Xunit.Abstractions;

namespace CoPilot.Music.Tests;

public class KeyModelTests(ITestOutputHelper output)
{
    /// <summary>One chord per bar: the root in the bass (octave 2), the triad held above it (octave 4).</summary>
    private static List<TimedNote> Chords(string symbols, double startBeat = 0, int transpose = 0)
    {
        var notes = new List<TimedNote>();
        double beat = startBeat;
        foreach (string symbol in symbols.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            bool minor = symbol.EndsWith('m');
            Assert.True(Pitch.TryParse((minor ? symbol[..^1] : symbol) + "2", out Pitch root), symbol);
            int bass = root.Number + transpose;
            notes.Add(new TimedNote(beat, 4, bass, 0.7f));
            foreach (int interval in new[] { 0, minor ? 3 : 4, 7 })
            {
                notes.Add(new TimedNote(beat, 4, bass + 24 + interval, 0.5f));
            }

            beat += 4;
        }

        return notes;
    }

    /// <summary>Note-ons and note-offs in time order (offs first at equal times); returns the reported key.</summary>
    private static Key? Play(LiveKeyTracker tracker, IEnumerable<TimedNote> notes, List<Key>? changes = null)
    {
        foreach ((double beat, bool on, int pitch, float velocity) in notes
            .SelectMany(n => new[] { (n.StartBeat, true, n.Pitch, n.Velocity), (n.EndBeat, false, n.Pitch, 0f) })
            .OrderBy(e => e.Item1).ThenBy(e => e.Item2))
        {
            bool changed = on ? tracker.NoteOn(pitch, beat, velocity) : tracker.NoteOff(pitch, beat);
            if (changed)
            {
                changes?.Add(tracker.Key);
            }
        }

        return tracker.HasKey ? tracker.Key : null;
    }

    private static LiveKeyTracker ModelTracker() => new(KeyModels.Pop909, KeyModels.Pop909SwitchMargin);

    [Theory]
    [InlineData("Am G F G Am G F Am", "A minor", "C major")] // i-VII-VI-VII, the pop Aeolian loop
    [InlineData("Dm C Bb C Dm C Bb Dm", "D minor", "F major")]
    [InlineData("Em D C D Em D C Em", "E minor", "G major")]
    public void AeolianProgressionsAreMinorWhereTheHistogramHearsTheRelativeMajor(string chords, string expected, string histogramSays)
    {
        // Natural minor uses exactly its relative major's pitch classes, so a histogram can only lean on their
        // proportions; the bass and the triads (the tonic chord starts and ends the loop) say which is home.
        Assert.Equal(histogramSays, Play(new LiveKeyTracker(KeyProfiles.Pop909, 128, 0), Chords(chords))?.ToString());
        Assert.Equal(expected, Play(ModelTracker(), Chords(chords))?.ToString());
    }

    [Theory]
    [InlineData("C F G C C F G C", "C major")]
    [InlineData("Am Dm Em Am Am Dm Em Am", "A minor")]
    [InlineData("Am F C G Am F C G", "C major")] // vi-IV-I-V: the loop of a major-key pop song
    public void CadencesNameTheirKey(string chords, string expected) =>
        Assert.Equal(expected, Play(ModelTracker(), Chords(chords))?.ToString());

    [Fact]
    public void EveryTonicIsTreatedAlike()
    {
        for (int transpose = 0; transpose < PitchClass.Count; transpose++)
        {
            Key? key = Play(ModelTracker(), Chords("Am G F G Am G F Am", transpose: transpose));
            Assert.Equal(Key.FromPitchClass(new PitchClass((9 + transpose) % 12), Mode.Minor).Index, key?.Index);
        }
    }

    [Fact]
    public void FollowsAModulationWithoutFlickering()
    {
        List<TimedNote> music = Tunes.Cadences(PitchClass.C, 16);
        music.AddRange(Tunes.Cadences(PitchClass.G, 16, startBeat: 64));
        var changes = new List<Key>();
        LiveKeyTracker tracker = ModelTracker();
        Play(tracker, music, changes);
        Assert.Equal(["C major", "G major"], changes.Select(k => k.ToString()));
    }

    [Fact]
    public void BassIsTheLowestSoundingPitch()
    {
        LiveKeyTracker tracker = ModelTracker();
        tracker.NoteOn(64, 0, 1f); // E4 alone: it is the bass
        tracker.NoteOn(48, 2, 1f); // C3 below it takes over
        tracker.NoteOff(48, 6);
        tracker.Advance(7);
        double lambda = Math.Log(2) / KeyModels.Pop909.HalfLifeBeats;
        double Integral(double from, double to, double now) => (Math.Exp(-lambda * (now - to)) - Math.Exp(-lambda * (now - from))) / lambda;
        Assert.Equal(Integral(0, 2, 7) + Integral(6, 7, 7), tracker.BassHistogram[4], 9);
        Assert.Equal(Integral(2, 6, 7), tracker.BassHistogram[0], 9);

        // Onsets count once at full velocity and fade with the same half-life.
        Assert.Equal(Math.Exp(-lambda * 7), tracker.OnsetHistogram[4], 9);
        Assert.Equal(Math.Exp(-lambda * 5), tracker.OnsetHistogram[0], 9);
    }

    [Fact]
    public void OpeningBassIsTheLowestNoteOfTheFirstChordAndStaysUntilReset()
    {
        LiveKeyTracker tracker = ModelTracker();
        Assert.Equal(0, tracker.OpeningBass.ToArray().Sum());
        tracker.NoteOn(64, 0, 1f); // E4 first
        tracker.NoteOn(55, 0.05, 1f); // G3 struck with it (a strummed chord): it becomes the opening bass
        tracker.NoteOn(60, 0.1, 1f);
        tracker.NoteOn(45, 1, 1f); // A2 a beat later: a new event, not the opening
        tracker.ReleaseAll(2);
        tracker.NoteOn(40, 3, 1f);
        double faded = Math.Pow(0.5, 3 / LiveKeyTracker.OpeningHalfLifeBeats);
        Assert.Equal(faded, tracker.OpeningBass[7], 9);
        Assert.Equal(faded, tracker.OpeningBass.ToArray().Sum(), 9);

        tracker.Reset();
        Assert.Equal(0, tracker.OpeningBass.ToArray().Sum());
        tracker.NoteOn(50, 8, 1f);
        Assert.Equal(1, tracker.OpeningBass[2]);
    }

    [Fact]
    public void TheFirstChordLeansTowardsItsKey()
    {
        // The same four chords in two rotations: the histograms hold the same notes (up to the slight decay);
        // the opening bass differs, and songs tend to start on their tonic.
        double MinorOverMajor(string chords)
        {
            LiveKeyTracker tracker = ModelTracker();
            Play(tracker, Chords(chords));
            Assert.True(Key.TryParse("A minor", out Key aMinor));
            Assert.True(Key.TryParse("C major", out Key cMajor));
            return tracker.Scores[aMinor.Index] / tracker.Scores[cMajor.Index];
        }

        double startingOnC = MinorOverMajor("C Am F G C Am F G");
        double startingOnA = MinorOverMajor("Am F G C Am F G C");
        output.WriteLine($"P(A minor) / P(C major): starting on C {startingOnC:F3}, on Am {startingOnA:F3}");
        Assert.True(startingOnA > 1.5 * startingOnC, $"{startingOnA} against {startingOnC}");
    }

    [Fact]
    public void TriadsShareTheirTime()
    {
        LiveKeyTracker tracker = ModelTracker();
        foreach (int pitch in new[] { 60, 64, 67 })
        {
            tracker.NoteOn(pitch, 0, 1f);
        }

        tracker.Advance(2); // C major alone for 2 beats
        tracker.NoteOn(69, 2, 1f); // C-E-G-A holds both C major and A minor
        tracker.Advance(4);
        double lambda = Math.Log(2) / KeyModels.Pop909.HalfLifeBeats;
        double Integral(double from, double to, double now) => (Math.Exp(-lambda * (now - to)) - Math.Exp(-lambda * (now - from))) / lambda;
        Assert.Equal(Integral(0, 2, 4) + (0.5 * Integral(2, 4, 4)), tracker.TriadHistogram[0], 9);
        Assert.Equal(0.5 * Integral(2, 4, 4), tracker.TriadHistogram[Key.MajorMinorCount / 2 + 9], 9);
        Assert.Equal(tracker.TriadHistogram[0] + tracker.TriadHistogram[21], tracker.TriadHistogram.ToArray().Sum(), 9);
    }

    [Fact]
    public void TrainerLearnsModeFromHeldOutTonics()
    {
        // Major I-IV-V-I and Aeolian i-VII-VI-VII loops on six tonics; the other six are held out.
        var blank = new KeyModel("features", KeyProfiles.Pop909, 32, new double[KeyModel.WeightCount], new double[KeyModel.WeightCount]);
        var tracker = new LiveKeyTracker(blank);
        var trainer = new KeyModelTrainer();
        var heldOut = new List<(List<TimedNote> Notes, Key Key)>();
        double[] features = new double[Key.MajorMinorCount * KeyModel.FeatureCount];
        for (int t = 0; t < PitchClass.Count; t++)
        {
            foreach ((string chords, int tonic, Mode mode) in new[] { ("C F G C C G F C", 0, Mode.Major), ("Am G F G Am G F Am", 9, Mode.Minor) })
            {
                List<TimedNote> notes = Chords(chords, transpose: t);
                Key key = Key.FromPitchClass(new PitchClass((tonic + t) % 12), mode);
                if (t % 2 == 0)
                {
                    tracker.Reset();
                    Play(tracker, notes);
                    blank.Features(tracker.Histogram, tracker.BassHistogram, tracker.OnsetHistogram, tracker.TriadHistogram, tracker.OpeningBass, features);
                    trainer.Add(features, key.Index);
                }
                else
                {
                    heldOut.Add((notes, key));
                }
            }
        }

        double[] weights = trainer.Fit(1e-3, 300);
        Assert.Equal(weights, trainer.Fit(1e-3, 300)); // deterministic
        var model = new KeyModel("toy", KeyProfiles.Pop909, 32, weights.AsSpan(0, KeyModel.WeightCount), weights.AsSpan(KeyModel.WeightCount));
        foreach ((List<TimedNote> notes, Key key) in heldOut)
        {
            Assert.Equal(key.Index, Play(new LiveKeyTracker(model, 0), notes)?.Index);
        }
    }

    [Fact]
    public void ProbabilitiesSumToOne()
    {
        LiveKeyTracker tracker = ModelTracker();
        Play(tracker, Tunes.Greensleeves());
        Assert.Equal(1, tracker.Scores.ToArray().Sum(), 9);
        Assert.All(tracker.Scores.ToArray(), p => Assert.InRange(p, 0, 1));
        Assert.Equal("A minor", tracker.Key.ToString());
    }

    [Fact]
    public void LiveUpdatesDoNotAllocate()
    {
        LiveKeyTracker tracker = ModelTracker();
        List<TimedNote> music = Chords("C F G C Am F C G");
        music.AddRange(Tunes.Line("E5:1 D5:1 C5:2 E5:1 F5:1 A5:2 G5:1 F5:1 E5:1 D5:1 C5:4 C5:1 A4:1 C5:2 B4:2 D5:2", transpose: 0));
        var events = music
            .SelectMany(n => new[] { (Beat: n.StartBeat, On: true, n.Pitch, n.Velocity), (Beat: n.EndBeat, On: false, n.Pitch, Velocity: 0f) })
            .OrderBy(e => e.Beat).ThenBy(e => e.On).ToArray();
        const int Rounds = 100;
        long allocated = 0;
        var stopwatch = new Stopwatch();
        for (int pass = 0; pass < 2; pass++)
        {
            tracker.Reset();
            stopwatch.Restart();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < Rounds; round++)
            {
                double offset = round * 32.0;
                foreach ((double beat, bool on, int pitch, float velocity) in events)
                {
                    if (on)
                    {
                        tracker.NoteOn(pitch, beat + offset, velocity);
                    }
                    else
                    {
                        tracker.NoteOff(pitch, beat + offset);
                    }
                }
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            stopwatch.Stop();
        }

        output.WriteLine($"{stopwatch.Elapsed.TotalNanoseconds / (Rounds * events.Length):F0} ns per event (not asserted: see the benchmarks)");
        Assert.Equal(0, allocated);
        Assert.Equal("C major", tracker.Key.ToString());
    }
}
