using CoPilot.Core;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Tests.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests;

public sealed class InferenceWorkerMetreTests
{
    [Fact]
    public void The_hosts_metre_reaches_the_generator_once_per_change_and_before_the_notes_played_in_it()
    {
        var generator = new MetreLog();
        var input = new SpscRing<EngineMessage>(64);
        var worker = new InferenceWorker(generator, input, new SpscRing<ScheduledNote>(64));
        (byte, byte)[] metres = [(4, 4), (4, 4), (3, 4), (0, 0), (3, 4), (6, 8)];
        foreach ((byte n, byte d) in metres)
        {
            Assert.True(input.TryWrite(new EngineMessage(EngineMessageKind.Note, new NoteEvent(0, 0, -1, NoteEventKind.NoteOn, 0, 60, 0.5f), 0, 0, 0, 0, 0, 0, MetreNumerator: n, MetreDenominator: d)));
        }

        worker.Pump();

        Assert.Equal(["4/4", "note", "note", "3/4", "note", "note", "note", "6/8", "note"], generator.Log);
    }

    [Fact]
    public void A_model_answering_in_three_four_counts_its_bars_in_three_four()
    {
        var generator = new ModelPhraseGenerator(new RandomLogits(3, contextLength: 256));
        generator.SetMetre(3, 4);
        PlayedNote[] waltz = [new(0, 1, 67), new(1, 1, 64), new(2, 1, 64), new(3, 1, 65), new(4, 1, 62), new(5, 1, 62)];
        PhrasePlayer.Play(generator, waltz);
        generator.EndPhrase();

        Assert.True(TokenDecoder.TryDecode([.. generator.Prompt.Tokens, Vocabulary.Eos], out QuantisedPiece? piece, out DecodeError error), error.ToString());
        Assert.Equal(new Metre(3, 4), piece.Metres[0].Metre);
        Assert.Equal(2, piece.Bars);

        generator.SetMetre(11, 8); // no token for 11/8: ignored, the waltz stays
        Assert.Equal(new Metre(3, 4), generator.Prompt.Metre);
    }

    private sealed class MetreLog : IPhraseGenerator
    {
        public List<string> Log { get; } = [];

        public int LearnedNotes => 0;

        public void Observe(in NoteEvent e) => Log.Add("note");

        public void EndPhrase()
        {
        }

        public int Generate(in GenerationRequest request, Span<GeneratedNote> output) => 0;

        public void Reset()
        {
        }

        public void SetMetre(int numerator, int denominator) => Log.Add($"{numerator}/{denominator}");
    }
}
