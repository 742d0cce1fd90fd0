using CoPilot.Core;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Generation;

public sealed class LivePromptTests
{
    private static readonly PlayedNote[] Phrase =
    [
        new(0, 0.5, 60), new(0.5, 0.5, 62), new(1, 1, 64), new(2.5, 0.5, 65), new(3, 1, 67), new(4.25, 0.25, 69), new(4.5, 1.5, 67),
    ];

    [Fact]
    public void A_phrase_becomes_a_canonical_melody_sequence_on_the_grid_from_its_first_bar()
    {
        var prompt = new LivePrompt(128);
        // Starts in the engine's third bar, a little late: bars count from the bar of the first note.
        PhrasePlayer.Play(Observer(prompt), Phrase, offset: 8.02);
        prompt.CloseHeld();

        Assert.True(TokenDecoder.TryDecode([.. prompt.Tokens, Vocabulary.Eos], out QuantisedPiece? piece, out var error), error.ToString());
        Assert.Equal(GenerationTask.ContinueMelody, piece.Task);
        Assert.Equal(Style.Pop, piece.Style);
        Assert.Equal(Metre.FourFour, piece.Metres[0].Metre);
        Assert.Equal(Phrase.Length, piece.Notes.Length);
        for (int i = 0; i < Phrase.Length; i++)
        {
            PieceNote n = piece.Notes[i];
            Assert.Equal(Phrase[i].Pitch, n.Pitch);
            Assert.Equal((int)(Phrase[i].Onset * 12), n.Onset);
            Assert.Equal((int)(Phrase[i].Duration * 12), n.Duration);
            Assert.Equal(Voice.Melody, n.Voice);
        }

        Assert.Equal(Phrase.Length, prompt.NoteCount);
        Assert.Equal(48, prompt.OpenBarStart);
        Assert.Equal(54, prompt.LastOnset);
    }

    [Fact]
    public void Of_notes_struck_together_the_top_one_is_the_melody()
    {
        var prompt = new LivePrompt(128);
        PlayedNote[] chords = [new(0, 1, 48), new(0, 1, 64), new(0.01, 1, 55), new(1, 1, 50), new(1, 1, 65)];
        PhrasePlayer.Play(Observer(prompt), chords);
        prompt.CloseHeld();

        Assert.True(TokenDecoder.TryDecode([.. prompt.Tokens, Vocabulary.Eos], out QuantisedPiece? piece, out _));
        Assert.Equal([64, 65], piece.Notes.ToArray().Select(n => n.Pitch));
    }

    [Fact]
    public void A_long_pause_is_shortened_to_one_empty_bar()
    {
        var prompt = new LivePrompt(128);
        PlayedNote[] notes = [new(0, 1, 60), new(40, 1, 62)];
        PhrasePlayer.Play(Observer(prompt), notes);
        prompt.CloseHeld();

        Assert.True(TokenDecoder.TryDecode([.. prompt.Tokens, Vocabulary.Eos], out QuantisedPiece? piece, out _));
        Assert.Equal(3, piece.Bars); // the first note's bar, one empty bar, the second note's bar
        Assert.Equal(96, piece.Notes[1].Onset);
    }

    [Fact]
    public void A_long_performance_slides_the_window_and_every_version_decodes()
    {
        var prompt = new LivePrompt(96);
        var random = new Random(3);
        int revision = prompt.Revision, slides = 0;
        double beat = 0;
        for (int i = 0; i < 400; i++)
        {
            double length = random.Next(1, 5) * 0.25;
            foreach (NoteEvent e in PhrasePlayer.Events([new PlayedNote(beat, length, (byte)random.Next(55, 80))]))
            {
                prompt.Observe(e);
            }

            beat += length;
            Assert.InRange(prompt.Count, 0, prompt.SlideAt);
            if (prompt.Revision != revision)
            {
                revision = prompt.Revision;
                slides++;
                Assert.InRange(prompt.Count, 1, (prompt.SlideAt / 2) + 12);
            }

            Assert.True(TokenDecoder.TryDecode([.. prompt.Tokens, Vocabulary.Eos], out _, out var error), $"note {i}: {error}");
        }

        Assert.InRange(slides, 10, 400);
        Assert.True(prompt.NoteCount > 5);
    }

    [Fact]
    public void The_key_the_player_plays_in_enters_the_sequence_at_the_next_bar()
    {
        var prompt = new LivePrompt(256);
        // Two bars of A major scale runs, then a note in the third bar.
        byte[] scale = [69, 71, 73, 74, 76, 78, 80, 81];
        var notes = new List<PlayedNote>();
        for (int i = 0; i < 16; i++)
        {
            notes.Add(new PlayedNote(i * 0.5, 0.5, scale[i % 8]));
        }

        notes.Add(new PlayedNote(8, 1, 69));
        PhrasePlayer.Play(Observer(prompt), notes);
        prompt.CloseHeld();

        Assert.Equal(9, prompt.KeyIndex); // A major
        Assert.True(TokenDecoder.TryDecode([.. prompt.Tokens, Vocabulary.Eos], out QuantisedPiece? piece, out _));
        Assert.Equal(prompt.KeyIndex, piece.Keys[^1].KeyIndex);
    }

    [Fact]
    public void Observing_allocates_nothing()
    {
        var prompt = new LivePrompt(96);
        NoteEvent[] events = PhrasePlayer.Events([.. Enumerable.Range(0, 200).Select(i => new PlayedNote(i * 0.5, 0.5, (byte)(60 + (i * 7 % 12))))]);
        foreach (NoteEvent e in events)
        {
            prompt.Observe(e);
        }

        prompt.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (NoteEvent e in events)
        {
            prompt.Observe(e);
        }

        prompt.CloseHeld();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static PromptObserver Observer(LivePrompt prompt) => new(prompt);

    private sealed class PromptObserver(LivePrompt prompt) : IPhraseGenerator
    {
        public int LearnedNotes => prompt.NoteCount;

        public void Observe(in NoteEvent e) => prompt.Observe(e);

        public void EndPhrase() => prompt.CloseHeld();

        public int Generate(in GenerationRequest request, Span<GeneratedNote> output) => 0;

        public void Reset() => prompt.Reset();
    }
}
