using CoPilot.Core;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;
using CoPilot.TestSupport;

namespace CoPilot.Inference.Tests.Accompaniment;

public sealed class ModelAccompanistTests
{
    private const double SlotBeats = 2; // half a 4/4 bar

    /// <summary>
    /// A model double that holds the tokens it read by position (so rewinding is checked, not assumed) and answers
    /// like a lead sheet in C: after a bar's Position_0 it wants a chord (C, F, G, C by bar), elsewhere after a
    /// Position it wants a note; after a root, the quality Major. <paramref name="undecided"/>: every root and
    /// quality equally likely instead. <paramref name="hiddenSize"/> above 0: a hidden state, one-hot on the last
    /// pitch read (mod the size), so equal moments of the tune look equal; 0: none, as a fake without one.
    /// </summary>
    private sealed class LeadSheetModel(int contextLength = 256, bool undecided = false, int hiddenSize = 0, int[]? roots = null) : ILogitsSource
    {
        private readonly int[] _roots = roots ?? [0, 5, 7, 0];
        private readonly float[] _logits = new float[Vocabulary.Size];
        private readonly int[] _tokens = new int[contextLength];
        private readonly float[] _hidden = new float[hiddenSize];

        public int VocabSize => Vocabulary.Size;

        public ReadOnlySpan<float> Hidden => _hidden;

        public int ContextLength => contextLength;

        public int Position { get; private set; }

        public long Steps { get; private set; }

        public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, Position);

        public void Reset() => Position = 0;

        public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
        {
            ReadOnlySpan<float> logits = default;
            foreach (int t in tokens)
            {
                logits = Step(t);
            }

            return logits;
        }

        public ReadOnlySpan<float> Step(int token)
        {
            Assert.True(Position < contextLength, "read past the context");
            _tokens[Position++] = token;
            Steps++;
            Array.Fill(_logits, -5f);
            if (token == Vocabulary.PositionToken(0))
            {
                int bars = 0;
                for (int i = 0; i < Position; i++)
                {
                    bars += _tokens[i] == Vocabulary.Bar ? 1 : 0;
                }

                if (undecided)
                {
                    _logits.AsSpan(Vocabulary.ChordRootBase, PitchClass.Count).Fill(5);
                }
                else
                {
                    _logits[Vocabulary.ChordRootBase + _roots[(bars - 1) % _roots.Length]] = 5;
                }
            }
            else if (Vocabulary.IsPosition(token))
            {
                _logits[Vocabulary.PitchToken(64)] = 5;
            }
            else if (Vocabulary.IsChordRoot(token))
            {
                if (undecided)
                {
                    _logits.AsSpan(Vocabulary.ChordQualityBase, ChordQualities.Count).Fill(5);
                }
                else
                {
                    _logits[Vocabulary.ChordQualityToken(ChordQuality.Major)] = 5;
                }
            }

            if (hiddenSize > 0)
            {
                Array.Clear(_hidden);
                for (int i = Position - 1; i >= 0; i--)
                {
                    if (Vocabulary.IsPitch(_tokens[i]))
                    {
                        _hidden[(_tokens[i] - Vocabulary.PitchBase) % hiddenSize] = 1;
                        break;
                    }
                }
            }

            return _logits;
        }

        public void Rewind(int position)
        {
            // Not Assert.InRange: it makes a comparer per call, which the allocation test would count.
            if (position < 0 || position > Position)
            {
                throw new ArgumentOutOfRangeException(nameof(position));
            }

            Position = position;
        }
    }

    // A tune of quarter notes on the C major scale, played from beat 0, one note-on and note-off each.
    private static readonly int[] CMajorTune = [0, 4, 7, 4, 2, 5, 9, 7, 4, 0, 2, 11];

    /// <summary>A C major tune, one note per beat (the live key tracker hears C major in it).</summary>
    private static void Play(IAccompanist accompanist, double fromBeat, double toBeat)
    {
        for (double beat = fromBeat; beat < toBeat; beat++)
        {
            byte pitch = (byte)(60 + CMajorTune[(int)beat % CMajorTune.Length]);
            accompanist.Observe(new NoteEvent(beat, 0, -1, NoteEventKind.NoteOn, 0, pitch, 0.7f));
            accompanist.Observe(new NoteEvent(beat + 0.9, 0, -1, NoteEventKind.NoteOff, 0, pitch, 0f));
        }
    }

    [Fact]
    public void Chords_change_where_the_model_says_and_are_struck_again_where_it_does_not()
    {
        var model = new LeadSheetModel();
        var accompanist = new ModelAccompanist(model);
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        var heard = new List<(double Beat, Chord Chord, int Notes)>();
        for (double slot = 2; slot < 16; slot += SlotBeats)
        {
            // The audio thread asks a quarter beat ahead: the tune up to there has been heard.
            Play(accompanist, slot - SlotBeats, slot - 0.25);
            int n = accompanist.Accompany(new ChordSlotRequest(slot, SlotBeats, 0f, (ulong)slot), notes);
            heard.Add((slot, accompanist.Sounding, n));

            // What the model holds is exactly the lead sheet written for the slot: rewinds were right.
            Assert.Equal(accompanist.LastSequence.ToArray(), model.Tokens.ToArray());
            Assert.All(notes[..n], g => Assert.Equal(SlotBeats, g.DurationBeats));
            Assert.InRange(notes[0].Pitch, ChordVoicing.BassLow, ChordVoicing.BassLow + 11);
        }

        // The first slot (a half bar) gets a chord even though the model wants one only at bar lines; then F at
        // bar 1, G at bar 2, C at bar 3 (bars count from the first note's bar), never a change at a half bar.
        Assert.Equal(new Chord(PitchClass.C, ChordQuality.Major), heard[0].Chord);
        Assert.Equal(new Chord(new PitchClass(5), ChordQuality.Major), heard.Single(h => h.Beat == 4).Chord);
        Assert.Equal(heard.Single(h => h.Beat == 4).Chord, heard.Single(h => h.Beat == 6).Chord);
        Assert.Equal(new Chord(new PitchClass(7), ChordQuality.Major), heard.Single(h => h.Beat == 8).Chord);
        Assert.Equal(new Chord(PitchClass.C, ChordQuality.Major), heard.Single(h => h.Beat == 12).Chord);
        Assert.All(heard, h => Assert.Equal(4, h.Notes)); // bass and three tones

        // The lead sheet it read decodes, with the melody and the chords placed at their slots.
        int[] sequence = [.. accompanist.LastSequence[..^1], Vocabulary.Eos];
        Assert.True(TokenDecoder.TryDecode(sequence, out QuantisedPiece? piece, out DecodeError error), error.ToString());
        Assert.Equal(GenerationTask.NextChords, piece.Task);
        Assert.Equal([24, 48, 96, 144], piece.Chords.ToArray().Select(c => c.Onset));
        Assert.Equal(14, piece.Notes.Length);
    }

    [Fact]
    public void A_tune_that_comes_round_again_gets_the_chords_it_had_the_first_time()
    {
        // The double has no opinion on chords and its hidden state is the tune's last pitch: only the song memory
        // can make the second time through agree with the first.
        (int Same, int Remembered) Run(int hiddenSize)
        {
            var accompanist = new ModelAccompanist(new LeadSheetModel(undecided: true, hiddenSize: hiddenSize));
            var notes = new GeneratedNote[ChordVoicing.MaxNotes];
            var chords = new List<Chord>();
            for (int bar = 0; bar < 16; bar++)
            {
                // Eight bars of one pitch each, twice; the next bar's chord is asked for a quarter beat ahead.
                byte pitch = (byte)(60 + (bar % 8));
                for (int beat = 0; beat < 4; beat++)
                {
                    accompanist.Observe(new NoteEvent((bar * 4) + beat, 0, -1, NoteEventKind.NoteOn, 0, pitch, 0.7f));
                    accompanist.Observe(new NoteEvent((bar * 4) + beat + 0.5, 0, -1, NoteEventKind.NoteOff, 0, pitch, 0f));
                }

                Assert.True(accompanist.Accompany(new ChordSlotRequest((bar + 1) * 4, 4, 0.5f, (ulong)bar + 1), notes) > 0);
                chords.Add(accompanist.Sounding);
            }

            return (Enumerable.Range(8, 8).Count(i => chords[i] == chords[i - 8]), accompanist.Remembered);
        }

        (int same, int remembered) = Run(hiddenSize: 16);
        (int sameWithout, int rememberedWithout) = Run(hiddenSize: 0);

        Assert.Equal(16, remembered);
        Assert.InRange(same, 6, 8);
        Assert.Equal(0, rememberedWithout);
        Assert.InRange(sameWithout, 0, 2);
    }

    [Fact]
    public void A_new_metre_or_a_reset_forgets_the_song_and_a_loop_does_not()
    {
        var accompanist = new ModelAccompanist(new LeadSheetModel(undecided: true, hiddenSize: 16));
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        Play(accompanist, 0, 7.5);
        accompanist.Accompany(new ChordSlotRequest(8, SlotBeats, 0f, 1), notes);
        Assert.Equal(1, accompanist.Remembered);

        Play(accompanist, 0, 3.5); // the host looped back to bar 0
        accompanist.Accompany(new ChordSlotRequest(4, SlotBeats, 0f, 2), notes);
        Assert.Equal(2, accompanist.Remembered);

        accompanist.SetMetre(3, 4);
        Assert.Equal(0, accompanist.Remembered);
        Play(accompanist, 0, 5.5);
        accompanist.Accompany(new ChordSlotRequest(6, SlotBeats, 0f, 3), notes);
        Assert.Equal(1, accompanist.Remembered);
        accompanist.Reset();
        Assert.Equal(0, accompanist.Remembered);
    }

    [Fact]
    public void A_chord_the_model_asks_for_that_is_already_sounding_is_held()
    {
        // The model wants a chord at every bar line: C at bars 1 and 2, G at bar 3. Only two of those are changes.
        var model = new LeadSheetModel(roots: [7, 0, 0, 7]);
        var accompanist = new ModelAccompanist(model);
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        for (double slot = 4; slot <= 12; slot += 4)
        {
            Play(accompanist, slot - 4, slot - 0.25);
            Assert.True(accompanist.Accompany(new ChordSlotRequest(slot, SlotBeats, 0f, (ulong)slot), notes) > 0);
        }

        Assert.Equal(2, accompanist.Changes);
        Assert.Equal(new Chord(new PitchClass(7), ChordQuality.Major), accompanist.Sounding);
        // The lead sheet read for the last slot holds the C once: the held C is not written again (a lead sheet
        // writes changes only), and the G chosen at that slot comes after it.
        Assert.Equal(1, accompanist.LastSequence.ToArray().Count(Vocabulary.IsChordRoot));
    }

    [Fact]
    public void Each_slot_reads_only_what_is_new_and_a_long_song_slides_within_the_context()
    {
        var model = new LeadSheetModel(contextLength: 128);
        var accompanist = new ModelAccompanist(model);
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        var reads = new List<int>();
        for (double slot = 2; slot < 200; slot += SlotBeats)
        {
            Play(accompanist, slot - SlotBeats, slot - 0.25);
            Assert.True(accompanist.Accompany(new ChordSlotRequest(slot, SlotBeats, 0.5f, (ulong)slot), notes) > 0);
            Assert.Equal(accompanist.LastSequence.ToArray(), model.Tokens.ToArray());
            reads.Add(accompanist.LastReadTokens);
        }

        // Two notes of four tokens plus a few bar, position and chord tokens per slot, except when the window moved.
        int usual = reads.OrderBy(r => r).ElementAt(reads.Count / 2);
        Assert.InRange(usual, 8, 20);
        Assert.Contains(reads, r => r > 40); // the window slid at least once...
        Assert.True(reads.Count(r => r > 40) < reads.Count / 3); // ...and not at every slot
    }

    [Fact]
    public void Accompanying_allocates_nothing()
    {
        var accompanist = new ModelAccompanist(new LeadSheetModel(contextLength: 128));
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        Play(accompanist, 0, 30);
        accompanist.Accompany(new ChordSlotRequest(30, SlotBeats, 0.5f, 1), notes);

        long allocated = AllocationCount.During(() =>
        {
            for (double slot = 32; slot < 160; slot += SlotBeats)
            {
                Play(accompanist, slot - SlotBeats, slot - 0.25);
                accompanist.Accompany(new ChordSlotRequest(slot, SlotBeats, 0.5f, (ulong)slot), notes);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Nothing_heard_means_no_chord_and_a_reset_starts_a_new_song()
    {
        var model = new LeadSheetModel();
        var accompanist = new ModelAccompanist(model);
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        Assert.Equal(0, accompanist.Accompany(new ChordSlotRequest(4, SlotBeats, 0f, 1), notes));

        Play(accompanist, 0, 3.5);
        Assert.True(accompanist.Accompany(new ChordSlotRequest(4, SlotBeats, 0f, 1), notes) > 0);
        accompanist.Reset();
        Assert.True(accompanist.Sounding.IsNone);
        Assert.Equal(0, accompanist.Accompany(new ChordSlotRequest(8, SlotBeats, 0f, 1), notes));

        // Bad requests are refused, not thrown.
        Play(accompanist, 8, 11.5);
        Assert.Equal(0, accompanist.Accompany(new ChordSlotRequest(double.NaN, SlotBeats, 0f, 1), notes));
        Assert.Equal(0, accompanist.Accompany(new ChordSlotRequest(12, 0, 0f, 1), notes));
    }

    [Fact]
    public void A_model_given_after_the_host_set_its_metre_counts_bars_in_it()
    {
        var accompanist = new FallbackAccompanist(new RuleAccompanist());
        accompanist.SetMetre(3, 4);
        var model = new ModelAccompanist(new LeadSheetModel());
        accompanist.Use(model);
        Assert.Equal(new Metre(3, 4), model.Metre);
    }

    [Fact]
    public void A_failing_model_hands_over_to_the_rules_for_the_rest_of_the_session()
    {
        var accompanist = new FallbackAccompanist(new RuleAccompanist());
        var model = new BreakingModel();
        accompanist.Use(new ModelAccompanist(model));
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        Play(accompanist, 0, 7.5);
        Assert.True(accompanist.Accompany(new ChordSlotRequest(8, SlotBeats, 0f, 1), notes) > 0);
        Assert.Equal(1, accompanist.ModelChords);

        model.Broken = true;
        Play(accompanist, 8, 9.5);
        Assert.True(accompanist.Accompany(new ChordSlotRequest(10, SlotBeats, 0f, 2), notes) > 0);
        Assert.Equal(Inference.Generation.ModelStatus.Failed, accompanist.Status);
        Assert.Null(accompanist.Model);
        Assert.Equal(1, accompanist.RuleChords);
        Assert.Contains("session broke", accompanist.StatusMessage, StringComparison.Ordinal);
    }

    private sealed class BreakingModel : ILogitsSource
    {
        private readonly LeadSheetModel _inner = new();

        public bool Broken { get; set; }

        public int VocabSize => _inner.VocabSize;

        public int ContextLength => _inner.ContextLength;

        public int Position => _inner.Position;

        public void Reset() => _inner.Reset();

        public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens) => _inner.Prefill(tokens);

        public ReadOnlySpan<float> Step(int token) => Broken ? throw new InvalidOperationException("the session broke") : _inner.Step(token);

        public void Rewind(int position) => _inner.Rewind(position);

        public ReadOnlySpan<float> Hidden => _inner.Hidden;
    }

    [Fact]
    public void The_rules_play_the_tonic_first_then_chords_of_the_key()
    {
        var rules = new RuleAccompanist();
        var notes = new GeneratedNote[ChordVoicing.MaxNotes];
        var scale = Scale.Of(PitchClass.C, Mode.Major);
        Play(rules, 0, 7.5);
        Assert.True(rules.Accompany(new ChordSlotRequest(8, SlotBeats, 0f, 1), notes) > 0);
        Assert.Equal(new Chord(PitchClass.C, ChordQuality.Major), rules.Sounding);
        for (double slot = 10; slot < 40; slot += SlotBeats)
        {
            Play(rules, slot - SlotBeats, slot - 0.25);
            int n = rules.Accompany(new ChordSlotRequest(slot, SlotBeats, 0.3f, (ulong)slot), notes);
            Assert.InRange(n, 3, ChordVoicing.MaxNotes);
            Assert.All(notes[..n], g => Assert.True(scale.Contains(new PitchClass(g.Pitch % 12)), $"{g.Pitch} is not in C major"));
        }
    }
}
