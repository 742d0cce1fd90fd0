using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Harness;

/// <summary>The accompanists of the model report's accompaniment table.</summary>
public static class AccompanimentMethods
{
    public const string Tonic = "Tonic chord all through (floor)";
    public const string LookingAhead = "Model, copilot accompany (melody ahead weighs in, song memory)";
    public const string File = "Model, causal (song memory)";
    public const string FileWithoutMemory = "Model, causal, without song memory";
    public const string LiveModel = "Model, live as in the plugin (single-metre songs)";
    public const string LiveRules = "Rules, live as in the plugin (single-metre songs)";
}

/// <summary>How the accompanist's chords for held-out melodies agree with the songs' own chords.</summary>
/// <param name="Songs">Lead sheets accompanied (those with at least one chord).</param>
/// <param name="ScoredBeats">Beats where the song has a chord, from its first chord to its end.</param>
/// <param name="RootAccuracy">Share of those beats where the accompanist's chord has the song's root.</param>
/// <param name="ClassAccuracy">Share where root and chord class (<see cref="ChordClasses"/>) both match.</param>
/// <param name="ChangesPerBar">How often the accompanist changed chord, and the songs did (<paramref name="ReferenceChangesPerBar"/>).</param>
public sealed record AccompanimentResult(int Songs, double ScoredBeats, double RootAccuracy, double ClassAccuracy, double ChangesPerBar, double ReferenceChangesPerBar);

/// <summary>
/// Plays an accompanist on the melodies of held-out lead sheets and compares its chords with the songs' own, beat
/// by beat: <see cref="Run"/> the file accompanist (<see cref="ChordAccompanist"/>, <c>copilot accompany</c>),
/// <see cref="RunLive"/> a live one (<see cref="IAccompanist"/>: the plugin's model or rules) fed note events and
/// asked for each chord slot a quarter beat ahead, as the plugin's audio thread asks; <see cref="RunTonic"/> the
/// floor of always playing the key's tonic chord.
/// </summary>
/// <remarks>
/// <para>The melody goes in as the lead sheet without its chords (task NextChords, the song's labelled key and
/// metres); the accompanist never sees a chord of the song. Live runs take songs in one metre (the plugin's slots
/// follow the host's single time signature) and tell the accompanist that metre first. A song's chords are one answer of many, so the figures
/// compare settings (the song memory on or off) rather than say how good the chords sound. Time-weighted: each
/// stretch between two chord changes of either counts by its length; stretches where the song has no chord do not
/// count.</para>
/// <para>Offline (allocates). [one thread at a time]</para>
/// </remarks>
public sealed class AccompanimentProbe(OnnxDecoder decoder)
{
    private readonly ChordAccompanist _accompanist = new(decoder ?? throw new ArgumentNullException(nameof(decoder)));

    public AccompanimentResult Run(IReadOnlyList<int[]> leadSheets, AccompanistSettings settings)
    {
        var tokens = new int[1 << 16];
        return Collect(leadSheets, piece =>
        {
            var melody = new QuantisedPiece(piece.Style, GenerationTask.NextChords, piece.Bars, piece.Metres.ToArray(), piece.Keys.ToArray(), piece.Notes.ToArray(), []);
            EncodeResult encoded = TokenEncoder.Encode(melody, tokens);
            return encoded.Succeeded ? _accompanist.Accompany(tokens.AsSpan(0, encoded.Count), settings).Chords : null;
        });
    }

    /// <summary>A live accompanist, made afresh per song by <paramref name="create"/>, at creativity <paramref name="creativity"/>.</summary>
    public static AccompanimentResult RunLive(IReadOnlyList<int[]> leadSheets, Func<IAccompanist> create, float creativity = 0f)
    {
        ArgumentNullException.ThrowIfNull(create);
        var output = new GeneratedNote[16];
        return Collect(leadSheets, piece =>
        {
            if (piece.Metres.Length == 0 || piece.Metres[0].Metre.BarTicks <= 0 || !AllSame(piece.Metres))
            {
                return null;
            }

            Metre metre = piece.Metres[0].Metre;
            IAccompanist accompanist = create();
            accompanist.SetMetre(metre.Numerator, metre.Denominator);
            List<NoteEvent> events = Events(piece);
            int slotTicks = ChordAccompanist.HalfBar(metre) > 0 ? metre.BarTicks / 2 : metre.BarTicks;
            double slotBeats = slotTicks / (double)Vocabulary.TicksPerBeat;
            var chords = new List<PieceChord>();
            int next = 0;
            ulong seed = 1;
            for (int slot = 0; slot < piece.TotalTicks; slot += slotTicks)
            {
                double beat = slot / (double)Vocabulary.TicksPerBeat;
                while (next < events.Count && events[next].Beat < beat - 0.25)
                {
                    accompanist.Observe(events[next++]);
                }

                if (accompanist.Accompany(new ChordSlotRequest(beat, slotBeats, creativity, seed++, (byte)piece.Style), output) > 0
                    && (chords.Count == 0 || chords[^1].Chord != accompanist.Sounding))
                {
                    chords.Add(new PieceChord(slot, accompanist.Sounding));
                }
            }

            return chords;
        });
    }

    private static bool AllSame(ReadOnlySpan<MetreChange> metres)
    {
        foreach (MetreChange m in metres)
        {
            if (m.Metre != metres[0].Metre)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The floor: the tonic triad of the song's first labelled key, all through.</summary>
    public static AccompanimentResult RunTonic(IReadOnlyList<int[]> leadSheets) =>
        Collect(leadSheets, piece =>
            piece.Keys.Length > 0 && piece.Keys[0].KeyIndex is >= 0 and < Key.MajorMinorCount
                ? [new PieceChord(0, Tonic(Key.FromIndex(piece.Keys[0].KeyIndex)))]
                : null);

    private static Chord Tonic(Key key) => new(key.TonicPitchClass, key.Mode == Mode.Minor ? ChordQuality.Minor : ChordQuality.Major);

    // Decodes each lead sheet, asks `accompany` for chords of its melody (null: the song is skipped) and scores them.
    private static AccompanimentResult Collect(IReadOnlyList<int[]> leadSheets, Func<QuantisedPiece, IReadOnlyList<PieceChord>?> accompany)
    {
        ArgumentNullException.ThrowIfNull(leadSheets);
        int songs = 0;
        long scored = 0, rootRight = 0, classRight = 0;
        long changes = 0, referenceChanges = 0, bars = 0;
        foreach (int[] sheet in leadSheets)
        {
            if (!TokenDecoder.TryDecode(sheet, out QuantisedPiece? piece, out _) || piece.Chords.Length == 0)
            {
                continue;
            }

            IReadOnlyList<PieceChord>? answer = accompany(piece);
            if (answer is null)
            {
                continue;
            }

            songs++;
            bars += piece.Bars;
            changes += answer.Count;
            referenceChanges += piece.Chords.Length;
            Score(piece.Chords, answer, piece.TotalTicks, ref scored, ref rootRight, ref classRight);
        }

        return new AccompanimentResult(
            songs,
            scored / (double)Vocabulary.TicksPerBeat,
            scored == 0 ? double.NaN : rootRight / (double)scored,
            scored == 0 ? double.NaN : classRight / (double)scored,
            bars == 0 ? double.NaN : changes / (double)bars,
            bars == 0 ? double.NaN : referenceChanges / (double)bars);
    }

    // The melody as the player would play it: note-ons and note-offs in time order (an off before an on at the same beat).
    private static List<NoteEvent> Events(QuantisedPiece piece)
    {
        var events = new List<NoteEvent>(piece.Notes.Length * 2);
        foreach (PieceNote note in piece.Notes)
        {
            double on = note.Onset / (double)Vocabulary.TicksPerBeat;
            double off = (note.Onset + note.Duration) / (double)Vocabulary.TicksPerBeat;
            float velocity = VelocityBuckets.Representative(note.Velocity) / 127f;
            events.Add(new NoteEvent(on, 0, -1, NoteEventKind.NoteOn, 0, (byte)note.Pitch, velocity));
            events.Add(new NoteEvent(off, 0, -1, NoteEventKind.NoteOff, 0, (byte)note.Pitch, 0f));
        }

        events.Sort(static (a, b) => a.Beat != b.Beat ? a.Beat.CompareTo(b.Beat) : (a.IsNoteOn ? 1 : 0).CompareTo(b.IsNoteOn ? 1 : 0));
        return events;
    }

    // Walks both chord timelines (sorted by onset) from the song's first chord to its end.
    private static void Score(ReadOnlySpan<PieceChord> reference, IReadOnlyList<PieceChord> answer, int end, ref long scored, ref long rootRight, ref long classRight)
    {
        int r = 0, a = 0;
        int tick = reference[0].Onset;
        Chord played = Chord.None;
        while (a < answer.Count && answer[a].Onset <= tick)
        {
            played = answer[a++].Chord;
        }

        while (tick < end)
        {
            while (r + 1 < reference.Length && reference[r + 1].Onset <= tick)
            {
                r++;
            }

            int next = Math.Min(end, Math.Min(r + 1 < reference.Length ? reference[r + 1].Onset : end, a < answer.Count ? answer[a].Onset : end));
            Chord truth = reference[r].Chord;
            int length = next - tick;
            if (!truth.IsNone && length > 0)
            {
                scored += length;
                if (!played.IsNone && played.Root == truth.Root)
                {
                    rootRight += length;
                    if (ChordClasses.Of(played.Quality) == ChordClasses.Of(truth.Quality))
                    {
                        classRight += length;
                    }
                }
            }

            tick = Math.Max(next, tick + 1);
            while (a < answer.Count && answer[a].Onset <= tick)
            {
                played = answer[a++].Chord;
            }
        }
    }
}
