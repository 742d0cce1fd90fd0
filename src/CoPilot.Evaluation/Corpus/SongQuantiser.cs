using CoPilot.Data;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Corpus;

/// <summary>A song on the token grid, or why it is not; <see cref="UnparsedChords"/> counts labels left out.</summary>
public sealed record QuantiseResult(QuantisedPiece? Piece, Rejection? Rejection, int UnparsedChords = 0);

/// <summary>
/// Puts a corpus song on the token grid (<see cref="Vocabulary"/>): bar lines, metres, keys at bar lines,
/// onsets and lengths snapped to the grid and the duration buckets, velocities in buckets, chord labels parsed.
/// </summary>
/// <remarks>
/// <para>
/// Bar lines: POP909's MIDI declares 1/4 throughout, so its bars come from the downbeats of beat_midi.txt: time
/// is re-measured in annotated beats (piecewise linear between them), a bar of n beats is n/4 (bars over 7
/// beats, a missed downbeat, split into bars of the song's usual length), the beats before the first downbeat
/// are a pickup bar. Every other set has metres in quarter-note beats: bars run from beat 0 in the metre in
/// force, and a metre change inside a bar cuts it (the cut bar gets the metre of its length).
/// </para>
/// <para>
/// Snapping: onsets by <see cref="GridSnap"/> (the rule the live prompt uses too). A length is end minus onset,
/// snapped to the nearest duration bucket.
/// </para>
/// </remarks>
public static class SongQuantiser
{

    /// <summary>The piece of <paramref name="song"/> in <paramref name="view"/>.</summary>
    public static QuantiseResult Quantise(Song song, CorpusView view)
    {
        ArgumentNullException.ThrowIfNull(song);
        var sourceNotes = new List<(Note Note, Voice Voice)>();
        foreach (Note note in song.Notes)
        {
            if (CorpusViews.VoiceOf(note.Voice, view) is { } voice)
            {
                sourceNotes.Add((note, voice));
            }
        }

        var sourceChords = new List<(double Beat, Chord Chord)>();
        int unparsed = 0;
        if (CorpusViews.HasChords(view))
        {
            foreach (ChordLabel label in song.Chords)
            {
                if (TryParseChord(label.Label, song.Set, out Chord chord))
                {
                    sourceChords.Add((label.StartBeat, chord));
                }
                else
                {
                    unparsed++;
                }
            }
        }

        bool needsMelody = view is CorpusView.Melody or CorpusView.LeadSheet;
        if ((needsMelody && sourceNotes.Count == 0) || (view == CorpusView.Chords && !sourceChords.Any(c => !c.Chord.IsNone))
            || (sourceNotes.Count == 0 && sourceChords.Count == 0))
        {
            return Reject(song.Id, RejectionReason.EmptyView, $"no {view} events", unparsed);
        }

        Timeline? timeline = song.Set == CorpusSet.Pop909 ? Timeline.FromBeats(song.Beats) : Timeline.FromMetres(song.Metres);
        if (timeline is null)
        {
            return Reject(song.Id, RejectionReason.NoBarLines, "no downbeats", unparsed);
        }

        // Re-measured times first: the bars must reach every event, before and after the annotated beats.
        double first = double.MaxValue, last = double.MinValue;
        foreach ((Note note, _) in sourceNotes)
        {
            first = Math.Min(first, timeline.ToCoordinate(note.StartBeat));
            last = Math.Max(last, timeline.ToCoordinate(note.EndBeat));
        }

        foreach ((double beat, _) in sourceChords)
        {
            double c = timeline.ToCoordinate(beat);
            first = Math.Min(first, c);
            last = Math.Max(last, c);
        }

        if (!timeline.Cover(first, last, out string? problem))
        {
            return Reject(song.Id, RejectionReason.MetreWithoutToken, problem!, unparsed);
        }

        var notes = new Dictionary<(int Onset, Voice Voice, int Pitch), PieceNote>();
        int lastTick = 0;
        foreach ((Note note, Voice voice) in sourceNotes)
        {
            int onset = timeline.Tick(note.StartBeat);
            int end = timeline.Tick(note.EndBeat);
            var piece = new PieceNote(onset, DurationBuckets.Nearest(end - onset), note.Pitch, VelocityBuckets.Of(note.Velocity), voice);
            // The same key struck twice at one grid point is one note: keep the longer.
            if (!notes.TryGetValue((onset, voice, note.Pitch), out PieceNote kept) || kept.Duration < piece.Duration)
            {
                notes[(onset, voice, note.Pitch)] = piece;
            }

            lastTick = Math.Max(lastTick, Math.Max(onset, end - 1));
        }

        var chords = new List<PieceChord>();
        foreach ((double beat, Chord chord) in sourceChords.OrderBy(c => c.Beat))
        {
            int onset = timeline.Tick(beat);
            lastTick = Math.Max(lastTick, onset);
            if (chords.Count > 0 && chords[^1].Onset == onset)
            {
                // The earlier label lasted less than a grid step.
                chords.RemoveAt(chords.Count - 1);
            }

            if (chords.Count == 0 || chords[^1].Chord != chord)
            {
                chords.Add(new PieceChord(onset, chord));
            }
        }

        if (!timeline.ExtendTo(lastTick, out problem))
        {
            return Reject(song.Id, RejectionReason.MetreWithoutToken, problem!, unparsed);
        }

        List<KeyChange> keys = KeysAtBars(song, timeline, sourceChords);
        var result = new QuantisedPiece(
            CorpusViews.StyleOf(song.Set), CorpusViews.TaskOf(view), timeline.BarCount, timeline.MetreChanges(), keys, notes.Values, chords);
        PieceProblem check = result.Validate();
        return check == PieceProblem.None
            ? new QuantiseResult(result, null, unparsed)
            : Reject(song.Id, RejectionReason.NotTokenizable, check.ToString(), unparsed);
    }

    /// <summary>A Bach chorale: four voices on 16ths (3 ticks), 4/4 bars from the first 16th, key unknown.</summary>
    public static QuantiseResult Quantise(JsbChorale chorale)
    {
        ArgumentNullException.ThrowIfNull(chorale);
        const int TicksPerSixteenth = Vocabulary.TicksPerBeat / 4;
        var notes = new List<PieceNote>();
        int velocity = VelocityBuckets.Of(90);
        for (int v = 0; v < JsbChorale.Voices; v++)
        {
            foreach (JsbNote note in chorale.Notes[v])
            {
                notes.Add(new PieceNote(note.Start * TicksPerSixteenth, DurationBuckets.Nearest(note.Duration * TicksPerSixteenth), note.Pitch, velocity, (Voice)((int)Voice.Soprano + v)));
            }
        }

        if (notes.Count == 0)
        {
            return Reject(chorale.Id, RejectionReason.EmptyView, "no notes", 0);
        }

        int barTicks = Metre.FourFour.BarTicks;
        int bars = Math.Max(1, ((chorale.Steps * TicksPerSixteenth) + barTicks - 1) / barTicks);
        var piece = new QuantisedPiece(
            Style.Chorale, GenerationTask.Harmonize, bars, [new MetreChange(0, Metre.FourFour)], [new KeyChange(0, KeyChange.Unknown)], notes, []);
        PieceProblem check = piece.Validate();
        return check == PieceProblem.None ? new QuantiseResult(piece, null) : Reject(chorale.Id, RejectionReason.NotTokenizable, check.ToString(), 0);
    }

    /// <summary>
    /// A chord label: Harte in POP909, Billboard and Nottingham; lead-sheet symbols in the jazz set, reduced to
    /// their chord class when the full quality is not in the vocabulary (C7#9 → C7). No-chord marks are <see cref="Chord.None"/>.
    /// </summary>
    public static bool TryParseChord(string label, CorpusSet set, out Chord chord)
    {
        ArgumentNullException.ThrowIfNull(label);
        chord = Chord.None;
        if (ChordSymbols.IsNoChord(label))
        {
            return true;
        }

        if (set != CorpusSet.JazzProgressions)
        {
            return Chord.TryParseHarte(label, out chord);
        }

        if (Chord.TryParse(label, out chord))
        {
            return true;
        }

        if (!ChordClasses.TryParseLeadSheet(label, out PitchClass root, out ChordClass chordClass))
        {
            return false;
        }

        PitchClass bass = root;
        int slash = label.LastIndexOf('/');
        if (slash >= 0 && NoteName.TryParse(label.AsSpan(slash + 1), out NoteName bassName))
        {
            bass = bassName.PitchClass;
        }

        chord = new Chord(root, chordClass.Representative(), bass);
        return true;
    }

    private static QuantiseResult Reject(string id, RejectionReason reason, string detail, int unparsed) =>
        new(null, new Rejection(id, reason, detail), unparsed);

    // The key of each bar: a label's key takes the bar line nearest its start; bar 0 has the first label's key.
    private static List<KeyChange> KeysAtBars(Song song, Timeline timeline, List<(double Beat, Chord Chord)> chords)
    {
        var keys = new List<KeyChange> { new(0, KeyChange.Unknown) };
        for (int i = 0; i < song.Keys.Count; i++)
        {
            KeyLabel label = song.Keys[i];
            int keyIndex = KeyIndexOf(song, label, chords);
            int bar = i == 0 ? 0 : timeline.NearestBarLine(timeline.Tick(label.StartBeat));
            while (keys.Count > 0 && keys[^1].Bar >= bar)
            {
                keys.RemoveAt(keys.Count - 1);
            }

            if (keys.Count == 0 || keys[^1].KeyIndex != keyIndex)
            {
                keys.Add(new KeyChange(bar, keyIndex));
            }
        }

        if (keys.Count == 0)
        {
            keys.Add(new KeyChange(0, KeyChange.Unknown));
        }

        return keys;
    }

    private static int KeyIndexOf(Song song, KeyLabel label, List<(double Beat, Chord Chord)> chords)
    {
        switch (song.Set)
        {
            case CorpusSet.Billboard:
                {
                    // A tonic without a mode: minor when the tonic's minor chords outnumber its major ones in the span.
                    if (!NoteName.TryParse(label.Label.Trim(), out NoteName tonic))
                    {
                        return KeyChange.Unknown;
                    }

                    int minor = 0, major = 0;
                    foreach ((double beat, Chord chord) in chords)
                    {
                        if (beat >= label.StartBeat && beat < label.EndBeat && !chord.IsNone && chord.Root == tonic.PitchClass)
                        {
                            minor += chord.Quality.Third() == ChordThird.Minor ? 1 : 0;
                            major += chord.Quality.Third() == ChordThird.Major ? 1 : 0;
                        }
                    }

                    return Key.FromPitchClass(tonic.PitchClass, minor > major ? Mode.Minor : Mode.Major).Index;
                }

            case CorpusSet.JazzProgressions:
                {
                    // A key signature written as its major key: the relative minor when the tune ends on, or
                    // mostly dwells on, the minor tonic chord.
                    if (!NoteName.TryParse(label.Label.Trim(), out NoteName major))
                    {
                        return KeyChange.Unknown;
                    }

                    PitchClass minorTonic = major.PitchClass + 9;
                    var parsed = chords.Where(c => !c.Chord.IsNone).Select(c => c.Chord).ToList();
                    bool endsMinor = parsed.Count > 0 && parsed[^1].Root == minorTonic && parsed[^1].Quality.Third() == ChordThird.Minor;
                    bool endsMajor = parsed.Count > 0 && parsed[^1].Root == major.PitchClass && parsed[^1].Quality.Third() != ChordThird.Minor;
                    int minorCount = parsed.Count(c => c.Root == minorTonic && c.Quality.Third() == ChordThird.Minor);
                    int majorCount = parsed.Count(c => c.Root == major.PitchClass && c.Quality.Third() == ChordThird.Major);
                    bool minor = !endsMajor && (endsMinor || minorCount > majorCount);
                    return minor ? PitchClass.Count + minorTonic.Value : major.PitchClass.Value;
                }

            default:
                return Key.TryParse(label.Label, out Key key) ? key.Index : KeyChange.Unknown;
        }
    }
}
