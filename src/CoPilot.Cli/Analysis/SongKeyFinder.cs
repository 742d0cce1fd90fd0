using CoPilot.Music;

namespace CoPilot.Cli.Analysis;

/// <summary>How much each note adds to the pitch-class histogram of offline key finding.</summary>
/// <param name="DurationExponent">
/// A note adds duration^α: 1 is the plain duration-weighted histogram, 0 counts notes, values in between let
/// long held chord tones count more than short ones without letting one pedal note outweigh a melody.
/// </param>
/// <param name="BassWeight">Factor for a note that is the lowest sounding at its onset: bass notes carry the harmony's roots.</param>
/// <param name="DownbeatWeight">Factor for a note that starts on a downbeat, where chords change and tonic harmony lands.</param>
/// <param name="TonicBass">
/// Weight of the tonic cue: the share of the song's downbeat bass (lowest notes starting on a downbeat,
/// duration-weighted) that lies on a key's tonic is added, times this, to the key's correlation. A key and its
/// relative share their seven pitch classes, so the histogram barely separates them; which of the two the
/// harmony comes home to in the bass does.
/// </param>
public sealed record NoteWeighting(double DurationExponent = 1, double BassWeight = 1, double DownbeatWeight = 1, double TonicBass = 0)
{
    public static NoteWeighting Duration { get; } = new();

    public double WeightOf(in AnalysedNote note)
    {
        double w = DurationExponent == 1 ? note.DurationBeats : Math.Pow(note.DurationBeats, DurationExponent);
        if (note.IsBass)
        {
            w *= BassWeight;
        }

        if (note.OnDownbeat)
        {
            w *= DownbeatWeight;
        }

        return w;
    }
}

/// <summary>
/// Offline key of a whole song: a weighted pitch-class histogram (see <see cref="NoteWeighting"/>) correlated
/// with one or more key profiles; with several, the 24 correlations are averaged, so a key must fit all of
/// them (an ensemble of the published profiles).
/// </summary>
public sealed class SongKeyFinder
{
    private readonly KeyFinder[] _finders;

    public SongKeyFinder(string name, NoteWeighting weighting, params KeyProfile[] profiles)
        : this(name, weighting, null, profiles)
    {
    }

    /// <param name="modulationPenalty">
    /// When set, the song is first cut into key segments (<see cref="KeySegmenter"/>, 8-bar windows, this
    /// penalty per key change, the first profile); when it modulates, the answer is the key that covers the
    /// most beats, as the labels name the key of most of the song, instead of the whole-song histogram, which
    /// blends the two keys into a third (E and F major sound like A major).
    /// </param>
    public SongKeyFinder(string name, NoteWeighting weighting, double? modulationPenalty, params KeyProfile[] profiles)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(weighting);
        if (profiles.Length == 0)
        {
            throw new ArgumentException("At least one key profile.", nameof(profiles));
        }

        Name = name;
        Weighting = weighting;
        Profiles = profiles;
        _finders = [.. profiles.Select(p => new KeyFinder(p))];
        _segmenter = modulationPenalty is double penalty ? new KeySegmenter(profiles[0], 32, penalty) : null;
    }

    private readonly KeySegmenter? _segmenter;

    /// <summary>
    /// The method the evaluation chose on the POP909 valid split (docs/evaluation/keys.md): the pop profile
    /// learned from the POP909 train split on the plain duration-weighted histogram, and the key that covers
    /// most of the song when it modulates (penalty 0.5 per key change). Tuned on valid only.
    /// </summary>
    public static SongKeyFinder Tuned { get; } = new("Tuned: POP909-train profile, modulation-aware", NoteWeighting.Duration, 0.5, KeyProfiles.Pop909);

    /// <summary>The steps from the plain Albrecht-Shanahan histogram to <see cref="Tuned"/>, one change at a time (reported as an ablation).</summary>
    public static IReadOnlyList<SongKeyFinder> Steps { get; } =
    [
        new("Albrecht-Shanahan, modulation-aware", NoteWeighting.Duration, 0.5, KeyProfiles.AlbrechtShanahan),
        new("POP909-train profile", NoteWeighting.Duration, KeyProfiles.Pop909),
    ];

    public string Name { get; }

    public NoteWeighting Weighting { get; }

    public IReadOnlyList<KeyProfile> Profiles { get; }

    public void Histogram(AnalysedSong song, Span<double> histogram)
    {
        histogram.Clear();
        foreach (AnalysedNote note in song.Notes)
        {
            histogram[note.Pitch % PitchClass.Count] += Weighting.WeightOf(note);
        }
    }

    /// <summary>Duration of downbeat bass notes per pitch class, as shares summing to 1 (all zero without any).</summary>
    public static void DownbeatBass(AnalysedSong song, Span<double> shares)
    {
        shares.Clear();
        double total = 0;
        foreach (AnalysedNote note in song.Notes)
        {
            if (note.IsBass && note.OnDownbeat)
            {
                shares[note.Pitch % PitchClass.Count] += note.DurationBeats;
                total += note.DurationBeats;
            }
        }

        if (total > 0)
        {
            for (int pc = 0; pc < PitchClass.Count; pc++)
            {
                shares[pc] /= total;
            }
        }
    }

    /// <summary>The 24 averaged correlations plus the tonic cue, indexed as <see cref="Key.Index"/>.</summary>
    public void Score(AnalysedSong song, Span<double> scores)
    {
        Span<double> histogram = stackalloc double[PitchClass.Count];
        Histogram(song, histogram);
        Span<double> one = stackalloc double[Key.MajorMinorCount];
        scores[..Key.MajorMinorCount].Clear();
        foreach (KeyFinder finder in _finders)
        {
            finder.Score(histogram, one);
            for (int k = 0; k < Key.MajorMinorCount; k++)
            {
                scores[k] += one[k] / _finders.Length;
            }
        }

        if (Weighting.TonicBass != 0)
        {
            Span<double> bass = stackalloc double[PitchClass.Count];
            DownbeatBass(song, bass);
            for (int k = 0; k < Key.MajorMinorCount; k++)
            {
                scores[k] += Weighting.TonicBass * bass[k % PitchClass.Count];
            }
        }
    }

    /// <summary>The song's key. When it modulates, <see cref="KeyEstimate.RunnerUp"/> is the whole-song histogram's key.</summary>
    public KeyEstimate FindKey(AnalysedSong song)
    {
        Span<double> scores = stackalloc double[Key.MajorMinorCount];
        Score(song, scores);
        KeyEstimate whole = KeyFinder.Best(scores);
        if (_segmenter is null || !whole.HasKey)
        {
            return whole;
        }

        IReadOnlyList<KeySegment> segments = _segmenter.Segment(song.ToTimedNotes());
        if (segments.Select(s => s.Key.Index).Distinct().Count() < 2)
        {
            return whole;
        }

        Span<double> beats = stackalloc double[Key.MajorMinorCount];
        beats.Clear();
        foreach (KeySegment s in segments)
        {
            beats[s.Key.Index] += s.EndBeat - s.StartBeat;
        }

        int main = 0;
        for (int k = 1; k < Key.MajorMinorCount; k++)
        {
            main = beats[k] > beats[main] ? k : main;
        }

        return new KeyEstimate(Key.FromIndex(main), scores[main], whole.Key, whole.Correlation);
    }

    /// <summary>
    /// The offline key at <paramref name="beat"/>: the key of the segment (<see cref="KeySegmenter"/>, run on the
    /// whole song, so it has heard what comes later) that covers the instant just before <paramref name="beat"/>,
    /// that is, the end of the stretch that ends there. When the segmentation finds one key only, or this finder
    /// does not segment, the song does not modulate for this method and the answer is <see cref="FindKey"/>'s
    /// whole-song key, so the two agree on every song without modulation.
    /// </summary>
    public Key KeyAt(AnalysedSong song, double beat)
    {
        KeyEstimate whole = FindKey(song);
        if (_segmenter is null || !whole.HasKey)
        {
            return whole.Key;
        }

        IReadOnlyList<KeySegment> segments = _segmenter.Segment(song.ToTimedNotes());
        if (segments.Select(s => s.Key.Index).Distinct().Count() < 2)
        {
            return whole.Key;
        }

        foreach (KeySegment s in segments)
        {
            if (s.StartBeat < beat && beat <= s.EndBeat)
            {
                return s.Key;
            }
        }

        // Before the first note or after the last: the nearest segment.
        return beat <= segments[0].StartBeat ? segments[0].Key : segments[^1].Key;
    }

    public override string ToString() => Name;
}
