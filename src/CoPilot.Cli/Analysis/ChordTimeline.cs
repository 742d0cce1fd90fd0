using CoPilot.Cli.Evaluation;
using CoPilot.Data;
using CoPilot.Music;

namespace CoPilot.Cli.Analysis;

/// <summary>One chord of a timeline: where it starts (bar, beat in bar, seconds), how long, and its names in the key of that moment.</summary>
/// <param name="Bar">1-based bar from the metre map (4/4 when the file has none).</param>
/// <param name="BeatInBar">1-based quarter-note beat inside the bar (2.5 = the off-beat after beat 2).</param>
/// <param name="Name">Lead-sheet name spelled in <paramref name="Key"/> ("F#m7b5", "G/B"); "N" where nothing sounds.</param>
/// <param name="Roman">Roman numeral in <paramref name="Key"/> with inversion figures ("V6", "viiø7/V"); empty for N.</param>
public sealed record TimelineChord(double StartBeat, double EndBeat, double StartSeconds, int Bar, double BeatInBar, Chord Chord, Key Key, string Name, string Roman);

/// <summary>The key and chord timeline of a MIDI file, as <c>copilot chords</c> prints it.</summary>
/// <param name="Key">The whole piece's key (<see cref="SongKeyFinder.Tuned"/>, as <c>copilot key</c> says); null when none stands out.</param>
/// <param name="Segments">Key segments (<see cref="KeySegmenter"/>): the key each chord is named in.</param>
public sealed record ChordTimeline(Key? Key, IReadOnlyList<KeySegment> Segments, IReadOnlyList<TimelineChord> Chords);

/// <summary>
/// Chord recognition for any MIDI file with the setting tuned on POP909 (<see cref="ChordMethod.Tuned"/>):
/// one window per beat, Viterbi smoothing 0.5 per change, the pop template weights. The tuned track weights
/// (melody 0.25, bridge 0.1) apply to tracks named MELODY and BRIDGE; every other track weighs 1. Runs of
/// equal chords merge into one timeline entry.
/// </summary>
public static class ChordTimelineBuilder
{
    /// <param name="song">The notes of <paramref name="voices"/> (all when null), prepared for key finding and bars.</param>
    public static ChordTimeline Build(MidiSong midi, AnalysedSong song, IReadOnlySet<string>? voices)
    {
        ArgumentNullException.ThrowIfNull(midi);
        ArgumentNullException.ThrowIfNull(song);
        TimedNote[] notes = song.ToTimedNotes();
        KeyEstimate estimate = SongKeyFinder.Tuned.FindKey(song);
        Key? pieceKey = estimate.HasKey ? estimate.Key : null;
        IReadOnlyList<KeySegment> segments = notes.Length == 0 ? [] : new KeySegmenter().Segment(notes);

        TimedNote[] weighted =
        [
            .. midi.Notes
                .Where(n => n.DurationBeats > 0 && (voices is null || voices.Contains(n.Voice)))
                .Select(n => new TimedNote(n.StartBeat, n.DurationBeats, n.Pitch, TrackWeight(n.Voice))),
        ];

        double[] boundaries = ChordSegmenter.RegularBoundaries(song.EndBeat);
        var segmenter = new ChordSegmenter(new ChordRecognizer(ChordMethod.Tuned.Scoring), ChordMethod.Tuned.ChangePenalty, ChordMethod.Tuned.BassFraction, weightByVelocity: true);
        Chord[] windows = notes.Length == 0 ? [] : segmenter.Recognize(weighted, boundaries);

        var chords = new List<TimelineChord>();
        int start = 0;
        for (int w = 1; w <= windows.Length; w++)
        {
            if (w < windows.Length && windows[w] == windows[start])
            {
                continue;
            }

            double startBeat = boundaries[start];
            double endBeat = Math.Min(boundaries[w], song.EndBeat);
            Key key = KeyAt(segments, startBeat) ?? pieceKey ?? Music.Key.Major(NoteName.FromFifths(0));
            Chord chord = windows[start];
            (int bar, double beatInBar) = BarBeat(song, startBeat);
            chords.Add(new TimelineChord(
                startBeat, endBeat, midi.Tempo.BeatsToSeconds(startBeat), bar, beatInBar, chord, key,
                chord.IsNone ? "N" : chord.ToString(key),
                chord.IsNone ? "" : RomanNumeral.Analyze(chord, key).ToString(figures: true)));
            start = w;
        }

        return new ChordTimeline(pieceKey, segments, chords);
    }

    /// <summary>The weight of a track's notes: the POP909 tuned weights by track name, 1 for any other track.</summary>
    public static float TrackWeight(string voice) => voice.ToUpperInvariant() switch
    {
        "MELODY" => (float)ChordMethod.Tuned.MelodyWeight,
        "BRIDGE" => (float)ChordMethod.Tuned.BridgeWeight,
        _ => 1f,
    };

    private static Key? KeyAt(IReadOnlyList<KeySegment> segments, double beat)
    {
        Key? key = null;
        foreach (KeySegment s in segments)
        {
            if (s.StartBeat <= beat + 1e-9)
            {
                key = s.Key;
            }
        }

        return key;
    }

    // Bar and beat from the downbeats; before the first downbeat (a pickup) the bar is 0.
    private static (int Bar, double BeatInBar) BarBeat(AnalysedSong song, double beat)
    {
        IReadOnlyList<double> downbeats = song.Downbeats;
        int bar = 0;
        double last = 0;
        foreach (double d in downbeats)
        {
            if (d > beat + 1e-9)
            {
                break;
            }

            bar++;
            last = d;
        }

        return (bar, 1 + beat - last);
    }
}
