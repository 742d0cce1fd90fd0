using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// Plays a song's notes into a <see cref="LiveKeyTracker"/> in time order, as the plugin would hear them, and
/// reads the tracker's key at a given beat.
/// </summary>
public static class LiveKeyCheck
{
    /// <summary>The tracker's reported key at <paramref name="atBeat"/>, or null when it has not reported one yet.</summary>
    public static Key? KeyAt(LiveKeyTracker tracker, AnalysedSong song, double atBeat)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(song);
        tracker.Reset();

        // Note-ons and note-offs in time order; at equal times the offs go first, as a sequencer sends them.
        var events = new List<(double Beat, bool On, int Pitch, float Velocity)>(2 * song.Notes.Count);
        foreach (AnalysedNote n in song.Notes)
        {
            if (n.StartBeat < atBeat)
            {
                events.Add((n.StartBeat, true, n.Pitch, n.Velocity));
                if (n.EndBeat <= atBeat)
                {
                    events.Add((n.EndBeat, false, n.Pitch, 0));
                }
            }
        }

        events.Sort(static (a, b) => a.Beat != b.Beat ? a.Beat.CompareTo(b.Beat) : a.On.CompareTo(b.On));
        foreach ((double beat, bool on, int pitch, float velocity) in events)
        {
            if (on)
            {
                tracker.NoteOn(pitch, beat, velocity);
            }
            else
            {
                tracker.NoteOff(pitch, beat);
            }
        }

        tracker.Advance(atBeat);
        return tracker.HasKey ? tracker.Key : null;
    }
}

/// <summary>
/// Learns a <see cref="KeyModel"/> for the live tracker from the POP909 train split: each song is played into
/// a tracker up to a checkpoint (the end of bar 8, and optionally others), and the target is the reference the
/// evaluation uses, the tuned offline analysis's key at that checkpoint (<see cref="SongKeyFinder.KeyAt"/>).
/// </summary>
public static class LiveKeyModelLearner
{
    /// <summary>
    /// The settings chosen by 4-fold cross-validation on the train split (docs/evaluation/keys.md): half-life 128
    /// beats, bars 4, 6, 8, 10 and 12, L2 3e-5.
    /// </summary>
    public const double HalfLifeBeats = 128;

    public const double L2 = 3e-5;

    public static IReadOnlyList<int> Bars { get; } = [4, 6, 8, 10, 12];

    /// <summary>The model of <see cref="KeyModels.Pop909"/> learned again from the train songs, rounded as in the code.</summary>
    public static KeyModel Learn(IReadOnlyList<KeySong> train) => Learn(Samples(train, HalfLifeBeats, Bars));

    /// <summary>The same, from samples already taken at <see cref="HalfLifeBeats"/> and <see cref="Bars"/>.</summary>
    public static KeyModel Learn(IEnumerable<(double[] Features, int Key)> samples) =>
        Rounded(Fit("POP909 train", samples, HalfLifeBeats, L2));

    /// <summary>The weights rounded to the four decimals the code keeps.</summary>
    public static KeyModel Rounded(KeyModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double[] major = [.. model.MajorWeights.ToArray().Select(w => Math.Round(w, 4))];
        double[] minor = [.. model.MinorWeights.ToArray().Select(w => Math.Round(w, 4))];
        return new KeyModel(model.Name, model.Profile, model.HalfLifeBeats, major, minor);
    }

    public static bool SameWeights(KeyModel a, KeyModel b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.HalfLifeBeats == b.HalfLifeBeats && a.MajorWeights.SequenceEqual(b.MajorWeights) && a.MinorWeights.SequenceEqual(b.MinorWeights);
    }

    /// <summary>The weights as C# collection expressions, to paste into <see cref="KeyModels"/>.</summary>
    public static string Format(KeyModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        static string Row(ReadOnlySpan<double> w) =>
            "[" + string.Join(", ", w.ToArray().Select(v => v.ToString("0.0###", System.Globalization.CultureInfo.InvariantCulture))) + "]";
        return $"major {Row(model.MajorWeights)}\nminor {Row(model.MinorWeights)}";
    }

    /// <summary>Loads one split's songs as the key evaluation does (songs whose labels cannot be read are skipped and listed).</summary>
    public static List<KeySong> LoadSongs(string dataDirectory, Split split, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var songs = new List<KeySong>();
        foreach (string folder in Pop909Songs.Folders(dataDirectory, split, null))
        {
            try
            {
                Song song = Pop909Loader.LoadSong(folder);
                ReferenceKeys? reference = ReferenceKeys.From(song.Keys, out string? problem);
                if (reference is null)
                {
                    failures.Add($"{folder}: {problem}");
                    continue;
                }

                songs.Add(new KeySong(song.Id, AnalysedSong.From(song.Id, song.Notes, song.Beats, song.Metres, Pop909Songs.AllTracks), reference));
            }
            catch (DataLoadException e)
            {
                failures.Add(e.Message);
            }
        }

        return songs;
    }

    /// <summary>The features of the 24 keys after <paramref name="bars"/> bars of each song, with the reference key there.</summary>
    public static List<(double[] Features, int Key)> Samples(IReadOnlyList<KeySong> songs, double halfLifeBeats, IReadOnlyList<int> bars)
    {
        ArgumentNullException.ThrowIfNull(songs);
        ArgumentNullException.ThrowIfNull(bars);
        var blank = new KeyModel("features only", KeyProfiles.Pop909, halfLifeBeats, new double[KeyModel.WeightCount], new double[KeyModel.WeightCount]);
        var tracker = new LiveKeyTracker(blank);
        var samples = new List<(double[], int)>();
        foreach (KeySong song in songs)
        {
            foreach (int bar in bars)
            {
                double checkpoint = song.Song.BeatAfterBars(bar);
                Key reference = SongKeyFinder.Tuned.KeyAt(song.Song, checkpoint);
                LiveKeyCheck.KeyAt(tracker, song.Song, checkpoint);
                double[] features = new double[Key.MajorMinorCount * KeyModel.FeatureCount];
                blank.Features(tracker.Histogram, tracker.BassHistogram, tracker.OnsetHistogram, tracker.TriadHistogram, tracker.OpeningBass, features);
                samples.Add((features, reference.Index));
            }
        }

        return samples;
    }

    /// <summary>Fits a model on samples from <see cref="Samples"/>.</summary>
    public static KeyModel Fit(string name, IEnumerable<(double[] Features, int Key)> samples, double halfLifeBeats, double l2, int steps = 1500)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var trainer = new KeyModelTrainer();
        foreach ((double[] features, int key) in samples)
        {
            trainer.Add(features, key);
        }

        double[] w = trainer.Fit(l2, steps);
        return new KeyModel(name, KeyProfiles.Pop909, halfLifeBeats, w.AsSpan(0, KeyModel.WeightCount), w.AsSpan(KeyModel.WeightCount));
    }
}
