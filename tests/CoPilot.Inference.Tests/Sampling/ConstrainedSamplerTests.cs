using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Tests.Sampling;

public class ConstrainedSamplerTests
{
    private static readonly SamplerSettings Free = new()
    {
        Strictness = PitchStrictness.Chromatic,
        MaxPitchRepeats = 0,
        MaxIdenticalBars = 0,
        TopP = 1,
    };

    [Fact]
    public void Temperature_and_nucleus_shape_the_draws_as_softmax_says()
    {
        float[] logits = new float[Vocabulary.Size];
        Array.Fill(logits, float.NegativeInfinity);
        logits[Vocabulary.PitchToken(60)] = 3;
        logits[Vocabulary.PitchToken(62)] = 2;
        logits[Vocabulary.PitchToken(64)] = 1;

        // Softmax of 3, 2, 1: 0.665, 0.245, 0.090.
        Assert.Equal([0.665, 0.245, 0.090], Frequencies(Free, logits), new Tolerance(0.015));
        // Top-p 0.8 keeps 60 and 62 (0.665 < 0.8 ≤ 0.910), renormalised.
        Assert.Equal([0.731, 0.269, 0], Frequencies(Free with { TopP = 0.8f }, logits), new Tolerance(0.015));
        Assert.Equal([1.0, 0, 0], Frequencies(Free with { TopP = 0.5f }, logits), new Tolerance(1e-9));
        Assert.Equal([1.0, 0, 0], Frequencies(Free with { Temperature = 0 }, logits), new Tolerance(1e-9));
        // Temperature 2 flattens: softmax of 1.5, 1, 0.5 = 0.506, 0.307, 0.186.
        Assert.Equal([0.506, 0.307, 0.186], Frequencies(Free with { Temperature = 2 }, logits), new Tolerance(0.015));
    }

    [Fact]
    public void The_same_seed_gives_the_same_continuation_and_another_seed_another()
    {
        int[] prompt = Prompt(keyIndex: 0);
        int[] a = Generate(new RandomLogits(5), new ConstrainedSampler(new SamplerSettings(), 1), prompt, 300, seed: 42);
        int[] b = Generate(new RandomLogits(5), new ConstrainedSampler(new SamplerSettings(), 999), prompt, 300, seed: 42);
        int[] c = Generate(new RandomLogits(5), new ConstrainedSampler(new SamplerSettings(), 1), prompt, 300, seed: 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(PitchStrictness.ScaleTones, 1.0)]
    [InlineData(PitchStrictness.ChordTones, 1.0)]
    [InlineData(PitchStrictness.Chromatic, 0.6)]
    public void Continuations_of_a_model_without_opinion_stay_in_key(PitchStrictness strictness, double expected)
    {
        // A random model writes about 9 in-key pitch classes in 12 in minor, 7 in major; the mask makes it 100 %.
        long inKey = 0, notes = 0;
        var settings = new SamplerSettings { Strictness = strictness, AllowChords = false };
        for (int seed = 0; seed < 24; seed++)
        {
            int[] prompt = Prompt(keyIndex: seed);
            int[] output = Generate(new RandomLogits((ulong)seed), new ConstrainedSampler(settings, 0), prompt, 400, (ulong)seed);
            foreach ((PieceNote note, int key) in Notes([.. prompt, .. output], from: prompt.Length))
            {
                if (key >= 0)
                {
                    notes++;
                    inKey += KeyPitchClasses(key).Contains(new PitchClass(note.Pitch)) ? 1 : 0;
                }
            }
        }

        Assert.True(notes > 500, $"{notes} notes");
        double share = (double)inKey / notes;
        if (expected == 1.0)
        {
            Assert.True(share >= 0.95, $"{share:P1} in key");
            Assert.Equal(notes, inKey);
        }
        else
        {
            Assert.True(share < 0.95 && share > expected - 0.1, $"{share:P1} in key");
        }
    }

    [Fact]
    public void Range_voice_and_chord_restrictions_hold_for_every_generated_token()
    {
        var settings = new SamplerSettings
        {
            LowestPitch = 60,
            HighestPitch = 72,
            AllowedVoices = 1 << (int)Voice.Melody,
            AllowChords = false,
            AllowMetreAndKeyChanges = false,
        };
        int total = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            int[] prompt = Prompt(keyIndex: 3);
            int[] output = Generate(new RandomLogits((ulong)seed), new ConstrainedSampler(settings, 0), prompt, 500, (ulong)seed);
            total += output.Length;
            foreach (int token in output)
            {
                Assert.False(Vocabulary.IsChordRoot(token) || token == Vocabulary.NoChord, Vocabulary.Describe(token));
                Assert.False(Vocabulary.IsMetre(token) || Vocabulary.IsKey(token) || token == Vocabulary.KeyUnknown, Vocabulary.Describe(token));
                Assert.False((uint)(token - Vocabulary.VoiceBase) < Vocabulary.VoiceCount, Vocabulary.Describe(token));
                if (Vocabulary.IsPitch(token))
                {
                    Assert.InRange(token - Vocabulary.PitchBase, 60, 72);
                }
            }
        }

        Assert.True(total > 300, $"{total} tokens");
    }

    [Fact]
    public void Masks_that_leave_nothing_are_dropped_least_important_first()
    {
        // C major, scale tones only, range C#4 to C#4: after a Voice token a pitch must come, and only C# is in range.
        var sampler = new ConstrainedSampler(Free with { Strictness = PitchStrictness.ScaleTones, LowestPitch = 61, HighestPitch = 61 }, 0);
        foreach (int token in Prompt(keyIndex: 0).Concat([Vocabulary.Bar, Vocabulary.PositionToken(0), Vocabulary.VoiceToken(Voice.Harmony)]))
        {
            Assert.True(sampler.Observe(token));
        }

        float[] logits = new float[Vocabulary.Size];
        logits[Vocabulary.PitchToken(60)] = 5;
        Assert.Equal(Vocabulary.PitchToken(61), sampler.Sample(logits));
        Assert.Equal(1, sampler.RelaxedDraws);
    }

    [Theory]
    [InlineData(RunMatching.ExactPitches, 0)]
    [InlineData(RunMatching.Transposed, 0)]
    [InlineData(RunMatching.Transposed, 5)]
    public void A_memorised_melody_is_never_copied_for_more_than_eight_notes(RunMatching matching, int transposeTraining)
    {
        int[] melody = Melody(seed: 11, notes: 48);
        int[] memorised = Encode(melody);
        int[] training = [.. melody.Select(p => p + transposeTraining)];
        int[] prompt = memorised[..10]; // header, Bar, the first note

        foreach (float temperature in new[] { 0f, 0.05f })
        {
            var settings = Free with { Temperature = temperature, TopP = 0.9f };

            // Without the guard the model plays back all 48 notes.
            int[] copied = Generate(new MemorisingLogits(memorised), new ConstrainedSampler(settings, 0), prompt, 2000, 1);
            Assert.Equal(memorised[10..], copied);

            var index = OriginalityIndex.Build([training], matching);
            var sampler = new ConstrainedSampler(settings, 0, index);
            int[] output = Generate(new MemorisingLogits(memorised), sampler, prompt, 2000, 1);
            int[] pitches = [.. Notes([.. prompt, .. output], from: 0).Select(n => n.Note.Pitch)];
            Assert.True(pitches.Length >= 40, $"{pitches.Length} notes");
            int longest = LongestCommonRun(pitches, training, matching == RunMatching.Transposed);
            Assert.True(longest <= OriginalityIndex.MaxCopiedNotes, $"a copy of {longest} notes");
            Assert.Equal(OriginalityIndex.MaxCopiedNotes, longest);
            Assert.True(sampler.OriginalityVetoes >= 4, $"{sampler.OriginalityVetoes} vetoes");
        }
    }

    [Fact]
    public void No_pitch_repeats_more_than_the_limit_in_the_guarded_voice()
    {
        int[] melody = [64, 62, .. Enumerable.Repeat(60, 12), 62, 64, 65, 67];
        int[] memorised = Encode(melody);
        int[] repeated = Generate(new MemorisingLogits(memorised), new ConstrainedSampler(Free with { Temperature = 0 }, 0), memorised[..10], 500, 1);
        int[] guarded = Generate(new MemorisingLogits(memorised), new ConstrainedSampler(Free with { Temperature = 0, MaxPitchRepeats = 4 }, 0), memorised[..10], 500, 1);
        Assert.Equal(12, LongestSamePitch(Notes([.. memorised[..10], .. repeated], 0)));
        Assert.Equal(4, LongestSamePitch(Notes([.. memorised[..10], .. guarded], 0)));
    }

    [Fact]
    public void No_more_identical_bars_in_a_row_than_the_limit()
    {
        int[] riff = [60, 64, 67, 72];
        int[] melody = [.. Enumerable.Repeat(riff, 6).SelectMany(r => r), 65, 69, 72, 77];
        int[] memorised = Encode(melody);
        int[] prompt = memorised[..10];
        int[] plain = Generate(new MemorisingLogits(memorised), new ConstrainedSampler(Free with { Temperature = 0 }, 0), prompt, 500, 1);
        var sampler = new ConstrainedSampler(Free with { Temperature = 0, MaxIdenticalBars = 2 }, 0);
        int[] guarded = Generate(new MemorisingLogits(memorised), sampler, prompt, 500, 1);
        Assert.Equal(6, LongestIdenticalBars(Notes([.. prompt, .. plain], 0)));
        Assert.Equal(2, LongestIdenticalBars(Notes([.. prompt, .. guarded], 0)));
        Assert.True(sampler.RepetitionVetoes > 0);
    }

    [Fact]
    public void Bar_limit_stops_before_the_extra_bar_and_output_limits_keep_whole_events()
    {
        int[] prompt = Prompt(keyIndex: 0);
        var generator = new ContinuationGenerator(new RandomLogits(3), new ConstrainedSampler(new SamplerSettings(), 0));
        var output = new int[4000];
        for (ulong seed = 0; seed < 20; seed++)
        {
            Continuation result = generator.Generate(prompt, output, 4000, maxBars: 2, seed);
            int bars = output.AsSpan(0, result.Count).Count(Vocabulary.Bar);
            Assert.True(bars <= 2, $"{bars} bars");
            if (result.End == ContinuationEnd.BarLimit)
            {
                Assert.Equal(2, bars);
                Assert.Equal(result.Count, result.CompleteCount);
            }

            Continuation cut = generator.Generate(prompt, output.AsSpan(0, 17), 4000, 0, seed);
            Assert.True(cut.End is ContinuationEnd.OutputFull or ContinuationEnd.Eos);
            Assert.InRange(cut.CompleteCount, cut.Count - 4, cut.Count);
            Assert.True(Decodes([.. prompt, .. output[..cut.CompleteCount]]));
        }

        Assert.Equal(ContinuationEnd.PromptRejected, generator.Generate([Vocabulary.Bar], output, 10, 0, 0).End);
        Assert.Equal(2, generator.Generate([Vocabulary.Bos, Vocabulary.StyleBase, Vocabulary.Bar], output, 10, 0, 0).PromptProblemIndex);
        Assert.Equal(ContinuationEnd.ContextFull, new ContinuationGenerator(new RandomLogits(3, contextLength: 30), new ConstrainedSampler(new SamplerSettings(), 0)).Generate(prompt, output, 4000, 0, 1).End);
    }

    // ---- helpers ----

    internal static int[] Generate(ILogitsSource model, ConstrainedSampler sampler, int[] prompt, int maxTokens, ulong seed)
    {
        var output = new int[maxTokens];
        Continuation result = new ContinuationGenerator(model, sampler).Generate(prompt, output, maxTokens, 0, seed);
        Assert.NotEqual(ContinuationEnd.PromptRejected, result.End);
        return output[..result.Count];
    }

    /// <summary>Header in the key, 4/4, one bar of melody: C4 D4 E4 G4 quarters (transposed to the key's tonic).</summary>
    internal static int[] Prompt(int keyIndex)
    {
        int tonic = keyIndex % 12;
        var piece = new QuantisedPiece(
            Style.Pop,
            GenerationTask.ContinueMelody,
            1,
            [new MetreChange(0, Metre.FourFour)],
            [new KeyChange(0, keyIndex)],
            [new PieceNote(0, 12, 60 + tonic, 5, Voice.Melody), new PieceNote(12, 12, 62 + tonic, 5, Voice.Melody), new PieceNote(24, 12, 67 + tonic, 5, Voice.Melody), new PieceNote(36, 12, 72 + tonic, 5, Voice.Melody)],
            []);
        int[] tokens = Encode(piece);
        return tokens[..^1]; // without Eos
    }

    /// <summary>A melody of quarter notes in C major, 4/4, ending with Eos.</summary>
    internal static int[] Encode(int[] pitches)
    {
        var notes = pitches.Select((p, i) => new PieceNote(i * 12, 12, p, 5, Voice.Melody));
        var piece = new QuantisedPiece(Style.Folk, GenerationTask.ContinueMelody, (pitches.Length + 3) / 4, [new MetreChange(0, Metre.FourFour)], [new KeyChange(0, 0)], notes, []);
        return Encode(piece);
    }

    internal static int[] Melody(int seed, int notes)
    {
        int[] scale = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, notes).Select(_ => scale[random.Next(scale.Length)])];
    }

    /// <summary>The notes of a sequence (complete or cut anywhere) from token <paramref name="from"/> on, with the key in force.</summary>
    internal static List<(PieceNote Note, int Key)> Notes(int[] tokens, int from)
    {
        var notes = new List<(PieceNote, int)>();
        var reader = new TokenReader(tokens);
        while (true)
        {
            int start = reader.Index;
            if (reader.Read(out TokenEvent e) != ReadOutcome.Event)
            {
                return notes;
            }

            if (e.Kind == TokenEventKind.Note && start >= from)
            {
                notes.Add((e.Note, e.KeyIndex));
            }
        }
    }

    private static int[] Encode(QuantisedPiece piece)
    {
        var buffer = new int[8192];
        EncodeResult result = TokenEncoder.Encode(piece, buffer);
        Assert.True(result.Succeeded, result.ToString());
        return buffer[..result.Count];
    }

    private static bool Decodes(int[] tokens) => TokenDecoder.TryDecode(tokens[^1] == Vocabulary.Eos ? tokens : [.. tokens, Vocabulary.Eos], out _, out _);

    private static PitchClassSet KeyPitchClasses(int keyIndex)
    {
        Key key = Key.FromIndex(keyIndex);
        int tonic = key.TonicPitchClass.Value;
        return key.Mode == Mode.Minor
            ? key.PitchClasses.Union(Scale.HarmonicMinorIntervals.Transpose(tonic)).Union(Scale.MelodicMinorIntervals.Transpose(tonic))
            : key.PitchClasses;
    }

    private static double[] Frequencies(SamplerSettings settings, float[] logits)
    {
        var sampler = new ConstrainedSampler(settings, 123);
        foreach (int token in Prompt(0).Concat([Vocabulary.Bar, Vocabulary.PositionToken(0), Vocabulary.VoiceToken(Voice.Harmony)]))
        {
            Assert.True(sampler.Observe(token));
        }

        const int draws = 20000;
        var counts = new double[3];
        for (int i = 0; i < draws; i++)
        {
            int pitch = sampler.Sample(logits) - Vocabulary.PitchBase;
            Assert.True(pitch is 60 or 62 or 64, $"pitch {pitch}");
            counts[(pitch - 60) / 2] += 1.0 / draws;
        }

        return counts;
    }

    private static int LongestCommonRun(int[] a, int[] b, bool transposed)
    {
        int best = 0;
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j < b.Length; j++)
            {
                int n = 0;
                int offset = b[j] - a[i];
                while (i + n < a.Length && j + n < b.Length && b[j + n] - a[i + n] == (transposed ? offset : 0))
                {
                    n++;
                }

                best = Math.Max(best, n);
            }
        }

        return best;
    }

    private static int LongestSamePitch(List<(PieceNote Note, int Key)> notes)
    {
        int best = 0, run = 0;
        for (int i = 0; i < notes.Count; i++)
        {
            run = i > 0 && notes[i].Note.Pitch == notes[i - 1].Note.Pitch ? run + 1 : 1;
            best = Math.Max(best, run);
        }

        return best;
    }

    private static int LongestIdenticalBars(List<(PieceNote Note, int Key)> notes)
    {
        var bars = notes.Where(n => n.Note.Voice == Voice.Melody)
            .GroupBy(n => n.Note.Onset / 48)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, Content: string.Join(',', g.Select(n => $"{n.Note.Onset % 48}:{n.Note.Pitch}:{n.Note.Duration}"))))
            .ToList();
        int best = 0, run = 0;
        for (int i = 0; i < bars.Count; i++)
        {
            run = i > 0 && bars[i].Key == bars[i - 1].Key + 1 && bars[i].Content == bars[i - 1].Content ? run + 1 : 1;
            best = Math.Max(best, run);
        }

        return best;
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
