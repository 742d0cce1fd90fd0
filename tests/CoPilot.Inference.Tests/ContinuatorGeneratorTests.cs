using CoPilot.Core;
using CoPilot.TestSupport;

namespace CoPilot.Inference.Tests;

public class ContinuatorGeneratorTests
{
    // C major, eighth notes with a few quarters: "Ode to Joy", four bars.
    private static readonly PlayedNote[] OdeToJoy = PhrasePlayer.Legato(
        [64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 64, 62, 62],
        [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 1.0]);

    // C major in eighths, a second phrase so the model has choices.
    private static readonly PlayedNote[] CMajorRun = PhrasePlayer.Legato(
        [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60],
        [0.5]);

    // Eighth-note triplets and quarter-note triplets in G major.
    private static readonly PlayedNote[] TripletPhrase = PhrasePlayer.Legato(
        [67, 69, 71, 72, 71, 69, 67, 66, 64, 62, 64, 66, 67],
        [1.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3]);

    // F# natural minor: F# G# A B C# D E.
    private static readonly PlayedNote[] FSharpMinor = PhrasePlayer.Legato(
        [66, 68, 69, 71, 73, 74, 76, 78, 76, 74, 73, 71, 69, 68, 66, 61, 66],
        [0.5, 0.25, 0.25, 0.5, 0.5, 1.0, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 1.0]);

    // A blues lick in C with a triplet swing: C Eb F F# G Bb.
    private static readonly PlayedNote[] BluesLick = PhrasePlayer.Legato(
        [72, 70, 67, 66, 65, 63, 60, 63, 65, 66, 67, 70, 72, 75, 72],
        [2.0 / 3, 1.0 / 3]);

    // A melody whose contexts are all distinct, with a varied rhythm: the faithfulness test replays it.
    private static readonly PlayedNote[] Distinct =
    [
        new(0.0, 1.0, 60, 0.50f), new(1.0, 0.5, 64, 0.60f), new(1.5, 0.5, 67, 0.70f), new(2.0, 1.0, 72, 0.80f),
        new(3.0, 0.25, 71, 0.70f), new(3.25, 0.25, 69, 0.60f), new(3.5, 0.5, 67, 0.50f), new(4.0, 0.75, 65, 0.60f),
        new(4.75, 0.25, 64, 0.70f), new(5.0, 0.5, 62, 0.80f), new(5.5, 1.0, 60, 0.90f), new(6.5, 0.5, 62, 0.80f),
        new(7.0, 1.0 / 3, 64, 0.70f), new(7.0 + (1.0 / 3), 1.0 / 3, 65, 0.60f), new(7.0 + (2.0 / 3), 1.0 / 3, 67, 0.50f),
        new(8.0, 0.5, 69, 0.60f), new(8.5, 0.5, 71, 0.70f), new(9.0, 2.0, 72, 1.00f),
    ];

    [Fact]
    public void Empty_history_is_silent_and_reset_forgets()
    {
        var generator = new ContinuatorGenerator();
        Assert.Empty(PhrasePlayer.Answer(generator, 8, 32, 0.5f, 1));

        generator.EndPhrase(); // an empty phrase teaches nothing
        Assert.Empty(PhrasePlayer.Answer(generator, 8, 32, 0.5f, 1));

        PhrasePlayer.Play(generator, OdeToJoy);
        Assert.NotEmpty(PhrasePlayer.Answer(generator, 8, 32, 0.5f, 1));

        generator.Reset();
        Assert.Equal(0, generator.LearnedStepCount);
        Assert.Empty(PhrasePlayer.Answer(generator, 8, 32, 0.5f, 1));
    }

    [Fact]
    public void Degenerate_requests_are_silent()
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, OdeToJoy);
        var output = new GeneratedNote[16];
        Assert.Equal(0, generator.Generate(new GenerationRequest(0, 16, 0.5f, 1), output));
        Assert.Equal(0, generator.Generate(new GenerationRequest(double.NaN, 16, 0.5f, 1), output));
        Assert.Equal(0, generator.Generate(new GenerationRequest(8, 0, 0.5f, 1), output));
        Assert.Equal(0, generator.Generate(new GenerationRequest(8, 16, 0.5f, 1), []));
        Assert.True(generator.Generate(new GenerationRequest(8, 16, float.NaN, 1), output) > 0);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.3f)]
    [InlineData(0.7f)]
    [InlineData(1f)]
    public void Continuation_of_an_eighth_note_phrase_in_C_major_stays_in_its_pitches_and_on_its_grid(float creativity)
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, OdeToJoy, offset: 16);
        PhrasePlayer.Play(generator, CMajorRun, offset: 40);
        bool[] learned = Scales.PitchClassesOf([.. OdeToJoy, .. CMajorRun]);
        bool[] cMajor = Scales.PitchClasses(0, Scales.Major);
        var learnedPitches = new HashSet<byte>(OdeToJoy.Concat(CMajorRun).Select(n => n.Pitch));

        for (ulong seed = 1; seed <= 50; seed++)
        {
            GeneratedNote[] answer = PhrasePlayer.Answer(generator, 8, 24, creativity, seed);
            AssertWellFormed(answer, maxBeats: 8, maxNotes: 24, grid: 0.5, learned);
            Assert.NotEmpty(answer);
            Assert.All(answer, n => Assert.True(cMajor[n.Pitch % 12]));
            Assert.All(answer, n => Assert.Contains(n.Pitch, learnedPitches));
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    [InlineData(1f)]
    public void Continuation_of_a_triplet_phrase_stays_on_the_triplet_grid(float creativity)
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, TripletPhrase, offset: 4);
        PhrasePlayer.Play(generator, TripletPhrase, offset: 12);
        bool[] learned = Scales.PitchClassesOf(TripletPhrase);

        for (ulong seed = 1; seed <= 50; seed++)
        {
            GeneratedNote[] answer = PhrasePlayer.Answer(generator, 6, 32, creativity, seed);
            AssertWellFormed(answer, maxBeats: 6, maxNotes: 32, grid: 1.0 / 3, learned);
            Assert.NotEmpty(answer);
        }
    }

    [Fact]
    public void F_sharp_minor_and_blues_phrases_are_answered_in_their_keys()
    {
        bool[] fSharpMinor = Scales.PitchClasses(6, Scales.NaturalMinor);
        bool[] cBlues = Scales.PitchClasses(0, Scales.Blues);
        foreach ((PlayedNote[] phrase, bool[] key, double grid) in new[] { (FSharpMinor, fSharpMinor, 0.25), (BluesLick, cBlues, 1.0 / 3) })
        {
            Assert.All(phrase, n => Assert.True(key[n.Pitch % 12])); // the fixture itself is in key
            var generator = new ContinuatorGenerator();
            PhrasePlayer.Play(generator, phrase);
            PhrasePlayer.Play(generator, phrase, offset: 20);
            for (ulong seed = 1; seed <= 100; seed++)
            {
                float creativity = (seed % 5) / 4f;
                GeneratedNote[] answer = PhrasePlayer.Answer(generator, 8, 32, creativity, seed);
                AssertWellFormed(answer, maxBeats: 8, maxNotes: 32, grid, key);
                Assert.NotEmpty(answer);
            }
        }
    }

    [Fact]
    public void At_creativity_0_a_phrase_learned_twice_is_continued_as_it_was_played()
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, Distinct, offset: 0);
        PhrasePlayer.Play(generator, Distinct, offset: 16);

        // The player starts the phrase again and pauses after eight notes.
        const int prefix = 8;
        PhrasePlayer.Play(generator, Distinct[..prefix], offset: 32);

        for (ulong seed = 1; seed <= 20; seed++)
        {
            GeneratedNote[] answer = PhrasePlayer.Answer(generator, 32, 64, 0f, seed);

            // It plays the rest of the phrase, and stops where the phrase ended although it could go on.
            Assert.Equal(Distinct.Length - prefix, answer.Length);
            double origin = Distinct[prefix].Onset;
            for (int i = 0; i < answer.Length; i++)
            {
                PlayedNote expected = Distinct[prefix + i];
                Assert.Equal(expected.Pitch, answer[i].Pitch);
                Assert.Equal(expected.Onset - origin, answer[i].StartBeat, 9);
                Assert.Equal(expected.Duration, answer[i].DurationBeats, 9);
                Assert.Equal(expected.Velocity, answer[i].Velocity);
            }
        }
    }

    [Fact]
    public void At_high_creativity_answers_vary_between_seeds_yet_stay_in_key()
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, OdeToJoy);
        PhrasePlayer.Play(generator, CMajorRun, offset: 16);
        PhrasePlayer.Play(generator, OdeToJoy, offset: 32);
        bool[] learned = Scales.PitchClassesOf([.. OdeToJoy, .. CMajorRun]);

        var distinct = new HashSet<string>();
        for (ulong seed = 1; seed <= 50; seed++)
        {
            GeneratedNote[] answer = PhrasePlayer.Answer(generator, 8, 32, 1f, seed);
            AssertWellFormed(answer, maxBeats: 8, maxNotes: 32, grid: 0.5, learned);
            distinct.Add(Describe(answer));
        }

        Assert.True(distinct.Count >= 10, $"only {distinct.Count} different answers in 50 seeds");
    }

    [Fact]
    public void The_same_seed_gives_the_same_answer_and_different_seeds_differ()
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, OdeToJoy);
        PhrasePlayer.Play(generator, CMajorRun, offset: 16);

        var answers = new HashSet<string>();
        for (ulong seed = 0; seed < 20; seed++)
        {
            GeneratedNote[] first = PhrasePlayer.Answer(generator, 8, 32, 0.7f, seed);
            GeneratedNote[] second = PhrasePlayer.Answer(generator, 8, 32, 0.7f, seed);
            Assert.Equal(first, second);
            answers.Add(Describe(first));
        }

        Assert.True(answers.Count > 1);

        // A second generator that heard the same phrases answers the same.
        var twin = new ContinuatorGenerator();
        PhrasePlayer.Play(twin, OdeToJoy);
        PhrasePlayer.Play(twin, CMajorRun, offset: 16);
        Assert.Equal(PhrasePlayer.Answer(generator, 8, 32, 0.7f, 42), PhrasePlayer.Answer(twin, 8, 32, 0.7f, 42));
    }

    [Fact]
    public void Answers_respect_max_notes_and_max_beats()
    {
        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, CMajorRun);
        PhrasePlayer.Play(generator, OdeToJoy, offset: 10);
        bool[] learned = Scales.PitchClassesOf([.. OdeToJoy, .. CMajorRun]);
        for (ulong seed = 1; seed <= 30; seed++)
        {
            GeneratedNote[] fewNotes = PhrasePlayer.Answer(generator, 64, 3, 1f, seed);
            AssertWellFormed(fewNotes, maxBeats: 64, maxNotes: 3, grid: 0.5, learned);

            GeneratedNote[] oneBeat = PhrasePlayer.Answer(generator, 1, 64, 1f, seed);
            AssertWellFormed(oneBeat, maxBeats: 1, maxNotes: 64, grid: 0.5, learned);
            Assert.InRange(oneBeat.Length, 1, 2);

            GeneratedNote[] offGrid = PhrasePlayer.Answer(generator, 2.3, 64, 1f, seed);
            Assert.All(offGrid, n => Assert.True(n.StartBeat + n.DurationBeats <= 2.3 + 1e-9));
        }

        // The output span is a hard limit even when the request asks for more.
        var output = new GeneratedNote[2];
        Assert.InRange(generator.Generate(new GenerationRequest(64, 100, 1f, 7), output), 1, 2);
    }

    [Fact]
    public void Chords_are_answered_with_their_top_notes()
    {
        // C - F - G - C triads in quarter notes, the melody on top, played slightly spread as hands do.
        byte[][] chords = [[48, 64, 67, 72], [53, 65, 69, 72], [55, 62, 67, 71], [48, 64, 67, 72], [53, 65, 69, 74], [55, 62, 67, 71]];
        var notes = new List<PlayedNote>();
        for (int c = 0; c < chords.Length; c++)
        {
            for (int v = 0; v < chords[c].Length; v++)
            {
                notes.Add(new PlayedNote(c + (v * 0.01), 1 - (v * 0.01), chords[c][v]));
            }
        }

        var generator = new ContinuatorGenerator();
        PhrasePlayer.Play(generator, notes);
        Assert.Equal(chords.Length, generator.LearnedStepCount);
        for (ulong seed = 1; seed <= 30; seed++)
        {
            GeneratedNote[] answer = PhrasePlayer.Answer(generator, 8, 16, 1f, seed);
            Assert.NotEmpty(answer);
            Assert.All(answer, n => Assert.Contains(n.Pitch, new byte[] { 71, 72, 74 }));
            Assert.All(answer, n => Assert.True(Scales.OnGrid(n.StartBeat, 1.0)));
        }
    }

    [Fact]
    public void Velocity_zero_note_on_ends_a_note_and_bad_events_are_ignored()
    {
        var generator = new ContinuatorGenerator();
        generator.Observe(PhrasePlayer.At(0, NoteEventKind.NoteOn, 0, 60, 0.8f));
        generator.Observe(PhrasePlayer.At(0.5, NoteEventKind.NoteOn, 0, 60, 0f)); // MIDI-style note-off
        generator.Observe(PhrasePlayer.At(0.5, NoteEventKind.NoteOn, 0, 62, 0.8f));
        generator.Observe(PhrasePlayer.At(0.7, NoteEventKind.NoteOn, 0, 200, 0.8f)); // no such pitch
        generator.Observe(PhrasePlayer.At(0.7, NoteEventKind.NoteOn, 16, 64, 0.8f)); // no such channel
        generator.Observe(PhrasePlayer.At(double.NaN, NoteEventKind.NoteOn, 0, 65, 0.8f));
        generator.Observe(PhrasePlayer.At(1.0, NoteEventKind.NoteOff, 0, 62, 0f));
        generator.EndPhrase();
        Assert.Equal(2, generator.LearnedStepCount);

        GeneratedNote[] answer = PhrasePlayer.Answer(generator, 8, 16, 0f, 3);
        Assert.NotEmpty(answer);
        Assert.All(answer, n => Assert.True(n.Pitch is 60 or 62));
        Assert.All(answer, n => Assert.Equal(0.5, n.DurationBeats, 9));
    }

    [Fact]
    public void A_run_longer_than_a_phrase_is_learned_in_pieces()
    {
        var generator = new ContinuatorGenerator(stepCapacity: 64, maxOrder: 3, phraseCapacity: 16);
        var run = PhrasePlayer.Legato([.. Enumerable.Range(0, 40).Select(i => (byte)(60 + Scales.Major[i % 7]))], [0.25]);
        PhrasePlayer.Play(generator, run);
        Assert.Equal(40, generator.LearnedStepCount);
        GeneratedNote[] answer = PhrasePlayer.Answer(generator, 4, 16, 0.5f, 1);
        AssertWellFormed(answer, 4, 16, 0.25, Scales.PitchClasses(0, Scales.Major));
    }

    [Fact]
    public void Memory_is_bounded_and_follows_the_player_into_a_new_key()
    {
        var generator = new ContinuatorGenerator();
        var random = new Random(1234);
        var output = new GeneratedNote[32];
        bool[] cMajor = Scales.PitchClasses(0, Scales.Major);
        bool[] fSharpMinor = Scales.PitchClasses(6, Scales.NaturalMinor);

        const int totalNotes = 100_000;
        const int phraseLength = 10;
        const int newKeyNotes = 5_000; // more than the memory holds
        double beat = 0;
        int played = 0;
        var phrase = new PlayedNote[phraseLength];
        while (played < totalNotes)
        {
            bool newKey = played >= totalNotes - newKeyNotes;
            int root = newKey ? 6 : 0;
            int[] scale = newKey ? Scales.NaturalMinor : Scales.Major;
            for (int i = 0; i < phraseLength; i++)
            {
                int degree = random.Next(14);
                byte pitch = (byte)(48 + root + scale[degree % 7] + (12 * (degree / 7)));
                phrase[i] = new PlayedNote(i * 0.5, 0.5, pitch);
            }

            PhrasePlayer.Play(generator, phrase, beat);
            beat += (phraseLength * 0.5) + 2;
            played += phraseLength;
            Assert.InRange(generator.LearnedStepCount, 1, ContinuatorGenerator.DefaultStepCapacity);

            if (played % 10_000 == 0)
            {
                int n = generator.Generate(new GenerationRequest(8, 32, 0.8f, (ulong)played), output);
                Assert.InRange(n, 1, 32);
                bool[] key = newKey ? fSharpMinor : cMajor;
                Assert.All(output[..n], note => Assert.True(key[note.Pitch % 12]));
            }
        }

        // Everything remembered now is F# minor: C major's C, F and G are gone from every answer.
        for (ulong seed = 1; seed <= 100; seed++)
        {
            int n = generator.Generate(new GenerationRequest(16, 32, 1f, seed), output);
            Assert.InRange(n, 1, 32);
            Assert.All(output[..n], note => Assert.True(fSharpMinor[note.Pitch % 12], $"pitch {note.Pitch}"));
        }
    }

    [Fact]
    public void Observe_EndPhrase_Generate_and_Reset_allocate_nothing_after_warm_up()
    {
        var generator = new ContinuatorGenerator();
        NoteEvent[][] phrases =
        [
            PhrasePlayer.Events(OdeToJoy[..8]),
            PhrasePlayer.Events(CMajorRun[..8], offset: 10),
            PhrasePlayer.Events(TripletPhrase[..8], offset: 20),
        ];
        var output = new GeneratedNote[64];

        // Warm-up runs every path, forgetting old phrases included (600 x 8 steps > 4096), so the JIT is done;
        // the measured cycles forget again and reset once.
        int failures = Cycles(generator, phrases, output, 600);
        Assert.Equal(0, failures);

        // Through AllocationCount, as its neighbours: the runtime's own one-off bytes (an allocation context) were
        // counted here once, locally, and a steady allocation still fails every attempt.
        long allocated = AllocationCount.During(() => failures += Cycles(generator, phrases, output, 1000));

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);

        static int Cycles(ContinuatorGenerator generator, NoteEvent[][] phrases, GeneratedNote[] output, int cycles)
        {
            // No xunit asserts in here: they allocate. Failures are counted by hand.
            int failures = 0;
            for (int i = 0; i < cycles; i++)
            {
                NoteEvent[] events = phrases[i % phrases.Length];
                for (int e = 0; e < events.Length; e++)
                {
                    generator.Observe(in events[e]);
                }

                generator.EndPhrase();
                var request = new GenerationRequest(8, output.Length, (i % 11) / 10f, (ulong)i);
                if (generator.Generate(in request, output) <= 0)
                {
                    failures++;
                }

                if (i % 700 == 699)
                {
                    generator.Reset();
                    if (generator.Generate(in request, output) != 0)
                    {
                        failures++;
                    }
                }
            }

            return failures;
        }
    }

    /// <summary>Sorted, inside the window, on the grid, in the pitch-class set.</summary>
    internal static void AssertWellFormed(GeneratedNote[] answer, double maxBeats, int maxNotes, double grid, bool[] pitchClasses)
    {
        Assert.True(answer.Length <= maxNotes, $"{answer.Length} notes > {maxNotes}");
        for (int i = 0; i < answer.Length; i++)
        {
            GeneratedNote n = answer[i];
            Assert.True(n.StartBeat >= 0, $"start {n.StartBeat}");
            Assert.True(n.StartBeat < maxBeats, $"start {n.StartBeat} >= {maxBeats}");
            Assert.True(n.DurationBeats > 0, $"duration {n.DurationBeats}");
            Assert.True(n.StartBeat + n.DurationBeats <= maxBeats + 1e-9, $"ends after {maxBeats}");
            Assert.True(Scales.OnGrid(n.StartBeat, grid), $"start {n.StartBeat} off the {grid} grid");
            Assert.True(Scales.OnGrid(n.DurationBeats, grid), $"duration {n.DurationBeats} off the {grid} grid");
            Assert.True(pitchClasses[n.Pitch % 12], $"pitch {n.Pitch} out of key");
            Assert.InRange(n.Velocity, 0f, 1f);
            if (i > 0)
            {
                Assert.True(answer[i - 1].StartBeat < n.StartBeat, "not sorted");
                Assert.True(answer[i - 1].StartBeat + answer[i - 1].DurationBeats <= n.StartBeat + 1e-9, "voices overlap");
            }
        }

        if (answer.Length > 0)
        {
            Assert.Equal(0.0, answer[0].StartBeat);
        }
    }

    private static string Describe(GeneratedNote[] answer) =>
        string.Join(' ', answer.Select(n => $"{n.Pitch}@{n.StartBeat:0.###}/{n.DurationBeats:0.###}"));
}
