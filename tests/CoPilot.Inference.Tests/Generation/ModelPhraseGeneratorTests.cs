using CoPilot.Core;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tests.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Generation;

public sealed class ModelPhraseGeneratorTests
{
    // C major, two bars, in the octave above middle C.
    internal static readonly PlayedNote[] Phrase =
    [
        new(0, 0.5, 60), new(0.5, 0.5, 64), new(1, 0.5, 67), new(1.5, 0.5, 72), new(2, 1, 71), new(3, 1, 67),
        new(4, 0.5, 65), new(4.5, 0.5, 64), new(5, 0.5, 62), new(5.5, 0.5, 60), new(6, 0.75, 62), new(6.75, 0.25, 64), new(7, 1, 60),
    ];

    private static readonly int[] CMajor = [0, 2, 4, 5, 7, 9, 11];

    [Fact]
    public void The_model_reads_exactly_the_players_sequence_while_they_play()
    {
        var model = new RecordingLogits(new RandomLogits(1, contextLength: 256));
        var generator = new ModelPhraseGenerator(model);
        PhrasePlayer.Play(generator, Phrase);

        var answer = new GeneratedNote[64];
        int n = generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 7), answer);

        Assert.True(n > 0);
        ReadOnlySpan<int> prompt = generator.Prompt.Tokens;
        Assert.Equal(prompt.ToArray(), model.Read.Take(prompt.Length));
        // The notes were read as they ended: at most the last one is left for the answer.
        Assert.InRange(generator.LastCatchUpTokens, 0, 8);
        Assert.Equal(prompt.Length + generator.LastAnswerTokens, model.Read.Count);
        Assert.True(TokenDecoder.TryDecode([.. prompt, .. model.Read.Skip(prompt.Length), Vocabulary.Eos], out _, out var error), error.ToString());
    }

    [Fact]
    public void The_style_asked_for_rewrites_the_header_and_the_model_reads_the_players_notes_again_under_it()
    {
        var model = new RecordingLogits(new RandomLogits(1, contextLength: 256));
        var generator = new ModelPhraseGenerator(model);
        PhrasePlayer.Play(generator, Phrase);
        var answer = new GeneratedNote[64];
        generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 7), answer);
        Assert.Equal(Vocabulary.StyleToken(Style.Pop), model.Read[1]);
        int resets = model.Resets;

        Assert.True(generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 7, Style: (byte)Style.Jazz), answer) > 0);

        Assert.Equal(Style.Jazz, generator.Style);
        Assert.True(model.Resets > resets);
        Assert.Equal(generator.Prompt.Tokens.ToArray(), model.Read.Take(generator.Prompt.Count));
        Assert.Equal(Vocabulary.StyleToken(Style.Jazz), model.Read[1]);

        // A style the vocabulary does not have is ignored, not written.
        generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 7, Style: 200), answer);
        Assert.Equal(Style.Jazz, generator.Style);
    }

    [Fact]
    public void After_an_answer_the_model_reads_the_players_sequence_again_not_its_own_answer()
    {
        var model = new RecordingLogits(new RandomLogits(2, contextLength: 256));
        var generator = new ModelPhraseGenerator(model);
        PhrasePlayer.Play(generator, Phrase);
        var answer = new GeneratedNote[64];
        generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 7), answer);

        model.Read.Clear();
        PhrasePlayer.Play(generator, Phrase, offset: 16);
        generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 8), answer);

        ReadOnlySpan<int> prompt = generator.Prompt.Tokens;
        Assert.Equal(prompt.ToArray(), model.Read.Take(prompt.Length));
        Assert.Equal(2, model.Resets); // the first reading, and once after the first answer
    }

    [Theory]
    [InlineData(0f, 1UL)]
    [InlineData(0.5f, 2UL)]
    [InlineData(1f, 3UL)]
    public void Answers_are_sorted_one_voice_within_the_beats_asked_in_key_and_near_the_players_register(float creativity, ulong seed)
    {
        var generator = new ModelPhraseGenerator(new RandomLogits(seed, contextLength: 512));
        // Enough C major for the key tracker to be sure.
        PhrasePlayer.Play(generator, [.. Phrase, .. Phrase.Select(p => p with { Onset = p.Onset + 8 })]);
        Assert.Equal(0, generator.Prompt.KeyIndex);

        var answer = new GeneratedNote[32];
        int total = 0;
        for (int round = 0; round < 20; round++)
        {
            int n = generator.Generate(new GenerationRequest(8, answer.Length, creativity, seed * 100 + (ulong)round), answer);
            total += n;
            for (int i = 0; i < n; i++)
            {
                GeneratedNote g = answer[i];
                Assert.InRange(g.StartBeat, 0, 8 - 1e-9);
                Assert.True(g.DurationBeats > 0);
                Assert.True(g.StartBeat + g.DurationBeats <= 8 + 1e-9);
                Assert.Contains(g.Pitch % 12, CMajor);
                Assert.InRange(g.Pitch, 60 - 7, 72 + 7);
                Assert.InRange(g.Velocity, 0f, 1f);
                if (i > 0)
                {
                    Assert.True(answer[i - 1].StartBeat + answer[i - 1].DurationBeats <= g.StartBeat + 1e-9);
                }
            }

            Assert.True(n == 0 || answer[0].StartBeat < 0.5, "the answer starts on the first half beat");
        }

        Assert.True(total > 20, $"{total} notes in 20 answers");
    }

    [Fact]
    public void The_same_seed_gives_the_same_answer()
    {
        GeneratedNote[] Answer()
        {
            var generator = new ModelPhraseGenerator(new RandomLogits(5, contextLength: 256));
            PhrasePlayer.Play(generator, Phrase);
            var answer = new GeneratedNote[32];
            int n = generator.Generate(new GenerationRequest(8, answer.Length, 0.7f, 42), answer);
            return answer[..n];
        }

        GeneratedNote[] first = Answer();
        Assert.NotEmpty(first);
        Assert.Equal(first, Answer());
    }

    [Fact]
    public void A_model_that_memorised_a_melody_is_heard_continuing_it()
    {
        // The model memorised the player's sequence followed by two more notes; at temperature ~0.7 it plays them.
        var probe = new ModelPhraseGenerator(new RandomLogits(1, contextLength: 256));
        PhrasePlayer.Play(probe, Phrase);
        probe.Prompt.CloseHeld();
        int[] prompt = probe.Prompt.Tokens.ToArray();
        int bar = Vocabulary.Bar;
        int[] memorised =
        [
            .. prompt, bar, Vocabulary.PositionToken(0), Vocabulary.PitchToken(67), Vocabulary.DurationToken(DurationBuckets.IndexOf(12)), Vocabulary.VelocityToken(5),
            Vocabulary.PositionToken(12), Vocabulary.PitchToken(65), Vocabulary.DurationToken(DurationBuckets.IndexOf(24)), Vocabulary.VelocityToken(5), Vocabulary.Eos,
        ];
        var generator = new ModelPhraseGenerator(new MemorisingLogits(memorised));
        PhrasePlayer.Play(generator, Phrase);
        var answer = new GeneratedNote[8];
        int n = generator.Generate(new GenerationRequest(8, answer.Length, 0f, 1), answer);

        Assert.Equal(2, n);
        Assert.Equal(new GeneratedNote(0, 1, 67, VelocityBuckets.Representative(5) / 127f), answer[0]);
        Assert.Equal(new GeneratedNote(1, 2, 65, VelocityBuckets.Representative(5) / 127f), answer[1]);
    }

    [Fact]
    public void Nothing_played_means_no_answer_and_limits_are_kept()
    {
        var generator = new ModelPhraseGenerator(new RandomLogits(9, contextLength: 256));
        var answer = new GeneratedNote[4];
        Assert.Equal(0, generator.Generate(new GenerationRequest(8, 4, 0.5f, 1), answer));
        PhrasePlayer.Play(generator, Phrase);
        Assert.Equal(0, generator.Generate(new GenerationRequest(0, 4, 0.5f, 1), answer));
        Assert.InRange(generator.Generate(new GenerationRequest(64, 4, 1f, 1), answer), 0, 4);
        Assert.InRange(generator.Generate(new GenerationRequest(64, 2, 1f, 1), answer), 0, 2);
    }

    [Fact]
    public void Observe_end_phrase_and_generate_allocate_nothing_once_warm()
    {
        var generator = new ModelPhraseGenerator(new RandomLogits(11, contextLength: 256));
        NoteEvent[] events = PhrasePlayer.Events(Phrase);
        var answer = new GeneratedNote[64];
        var request = new GenerationRequest(16, answer.Length, 0.6f, 3);
        for (int i = 0; i < 3; i++)
        {
            Round();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int notes = 0;
        for (int i = 0; i < 50; i++)
        {
            notes += Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(notes > 0);

        int Round()
        {
            foreach (NoteEvent e in events)
            {
                generator.Observe(e);
            }

            generator.EndPhrase();
            return generator.Generate(request, answer);
        }
    }

    /// <summary>Passes through to another source and records every token the generator fed.</summary>
    internal sealed class RecordingLogits(ILogitsSource inner) : ILogitsSource
    {
        public List<int> Read { get; } = [];

        public int Resets { get; private set; }

        public int VocabSize => inner.VocabSize;

        public int ContextLength => inner.ContextLength;

        public int Position => inner.Position;

        public ReadOnlySpan<float> Hidden => inner.Hidden;

        public void Reset()
        {
            Resets++;
            Read.Clear();
            inner.Reset();
        }

        public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
        {
            Read.AddRange(tokens.ToArray());
            return inner.Prefill(tokens);
        }

        public ReadOnlySpan<float> Step(int token)
        {
            Read.Add(token);
            return inner.Step(token);
        }

        public void Rewind(int position)
        {
            Read.RemoveRange(position, Read.Count - position);
            inner.Rewind(position);
        }
    }
}
