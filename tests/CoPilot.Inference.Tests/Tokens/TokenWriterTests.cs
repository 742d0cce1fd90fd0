using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Tests.Tokens;

public class TokenWriterTests
{
    [Fact]
    public void Writing_event_by_event_gives_the_encoding_of_the_piece()
    {
        var notes = new PieceNote[] { new(6, 6, 60, 3, Voice.Melody), new(60, 12, 62, 3, Voice.Melody), new(150, 24, 64, 3, Voice.Melody) };
        var chords = new PieceChord[] { new(0, new Chord(PitchClass.C, ChordQuality.Major)), new(60, new Chord(PitchClass.G, ChordQuality.Dominant7)) };
        var piece = new QuantisedPiece(Style.Jazz, GenerationTask.Accompany, 4, [new MetreChange(0, Metre.FourFour)], [new KeyChange(0, 0)], notes, chords);
        var expected = new int[256];
        int count = TokenEncoder.Encode(piece, expected).Count;

        var buffer = new int[256];
        var writer = default(TokenWriter);
        Assert.Equal(TokenStatus.Ok, writer.WriteHeader(buffer, Style.Jazz, GenerationTask.Accompany, 0, Metre.FourFour));
        Assert.Equal(TokenStatus.Ok, writer.WriteChord(buffer, chords[0]));
        Assert.Equal(TokenStatus.Ok, writer.WriteNote(buffer, notes[0]));
        Assert.Equal(TokenStatus.Ok, writer.WriteChord(buffer, chords[1]));
        Assert.Equal(TokenStatus.Ok, writer.WriteNote(buffer, notes[1]));
        Assert.Equal(TokenStatus.OutOfOrder, writer.WriteNote(buffer, notes[0]));
        Assert.Equal(TokenStatus.Ok, writer.WriteNote(buffer, notes[2]));
        Assert.Equal(3, writer.BarIndex);
        Assert.Equal(TokenStatus.Ok, writer.WriteEnd(buffer));
        Assert.Equal(TokenStatus.Ended, writer.WriteBar(buffer));
        Assert.Equal(expected[..count], buffer[..writer.Count]);
    }

    [Fact]
    public void A_full_buffer_takes_no_part_of_an_event()
    {
        var buffer = new int[9];
        var writer = default(TokenWriter);
        Assert.Equal(TokenStatus.HeaderMissing, writer.WriteNote(buffer, new PieceNote(0, 12, 60, 3, Voice.Melody)));
        Assert.Equal(TokenStatus.Ok, writer.WriteHeader(buffer, Style.Pop, GenerationTask.ContinueMelody, -1, Metre.FourFour));
        Assert.Equal(TokenStatus.BufferFull, writer.WriteNote(buffer, new PieceNote(0, 12, 60, 3, Voice.Melody)));
        Assert.Equal(5, writer.Count);
        Assert.Equal(TokenStatus.Ok, writer.WriteBar(buffer));
        Assert.Equal(TokenStatus.Ok, writer.WriteChord(buffer, new PieceChord(0, Chord.None)));
        Assert.Equal(8, writer.Count);
    }

    [Fact]
    public void Appending_live_allocates_nothing()
    {
        var buffer = new int[4096];
        var writer = default(TokenWriter);
        int failures = Run(ref writer, buffer, 50);
        Assert.Equal(0, failures);

        long before = GC.GetAllocatedBytesForCurrentThread();
        failures = Run(ref writer, buffer, 200);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);

        // No xunit asserts in here: they allocate. Each round writes a sequence, transposes and reads it back.
        static int Run(ref TokenWriter writer, int[] buffer, int rounds)
        {
            int failures = 0;
            for (int round = 0; round < rounds; round++)
            {
                writer.Reset();
                failures += writer.WriteHeader(buffer, Style.Pop, GenerationTask.ContinueMelody, round % 24, Metre.FourFour) == TokenStatus.Ok ? 0 : 1;
                for (int i = 0; i < 100; i++)
                {
                    int onset = i * 9;
                    if (i % 8 == 0)
                    {
                        failures += writer.WriteChord(buffer, new PieceChord(onset, new Chord(new PitchClass(i), ChordQuality.Minor7, new PitchClass(i + 3)))) == TokenStatus.Ok ? 0 : 1;
                    }

                    failures += writer.WriteNote(buffer, new PieceNote(onset, 9, 60 + (i % 12), i % 8, Voice.Melody)) == TokenStatus.Ok ? 0 : 1;
                    failures += writer.WriteNote(buffer, new PieceNote(onset, 18, 40 + (i % 5), 4, Voice.Bass)) == TokenStatus.Ok ? 0 : 1;
                }

                failures += writer.WriteEnd(buffer) == TokenStatus.Ok ? 0 : 1;
                Span<int> tokens = buffer.AsSpan(0, writer.Count);
                failures += TokenTransposer.TryTranspose(tokens, (round % 13) - 6) ? 0 : 1;
                var reader = new TokenReader(tokens);
                int notes = 0;
                ReadOutcome outcome;
                while ((outcome = reader.Read(out TokenEvent e)) == ReadOutcome.Event)
                {
                    notes += e.Kind == TokenEventKind.Note ? 1 : 0;
                }

                failures += outcome == ReadOutcome.End && notes == 200 ? 0 : 1;
            }

            return failures;
        }
    }
}
