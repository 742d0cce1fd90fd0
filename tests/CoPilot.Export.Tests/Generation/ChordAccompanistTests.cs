using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Export.Tests.Generation;

public sealed class ChordAccompanistTests : IDisposable
{
    // Random weights: the chords are noise, but every decision goes through the real reading, peeking and drawing.
    private static readonly TransformerConfig Shape = new(VocabSize: Vocabulary.Size, ContextLength: 64, Layers: 2, Dim: 32, Heads: 2);
    private static readonly Metre Common = new(4, 4);
    private readonly OnnxDecoder _decoder = OnnxDecoder.Load(DecoderExporter.Export(RandomWeights.Create(Shape, seed: 21), OnnxWeightFormat.Float32, "test"));

    public void Dispose() => _decoder.Dispose();

    [Theory]
    [InlineData(0f, 0.5f, 0)]
    [InlineData(1f, 0.5f, 0)]
    [InlineData(1f, 0f, 0)] // every bar and half bar with a note changes chord
    [InlineData(0f, 0.5f, 16)] // the melody ahead weighs in
    [InlineData(1f, 0.5f, 16)]
    public void The_lead_sheet_keeps_the_melody_and_adds_chords_only_on_bar_and_half_bar_lines(float temperature, float threshold, int lookAhead)
    {
        QuantisedPiece melody = Melody(bars: 12, restOnDownbeatOf: [0, 5]);
        var accompanist = new ChordAccompanist(_decoder);

        Accompaniment result = accompanist.Accompany(Encode(melody), new AccompanistSettings(temperature, threshold, Seed: 3, LookAhead: lookAhead));

        Assert.True(TokenDecoder.TryDecode(result.Tokens, out QuantisedPiece? piece, out DecodeError error), error.ToString());
        Assert.Equal(melody.Notes.ToArray(), piece.Notes.ToArray());
        Assert.Equal(result.Chords, piece.Chords.ToArray());
        Assert.NotEmpty(result.Chords);
        Assert.Equal(0, result.Chords[0].Onset); // the first bar always has a chord, even over a rest
        Assert.All(result.Chords, c => Assert.True(c.Onset % 48 is 0 or 24, $"chord at tick {c.Onset}"));
        for (int i = 1; i < result.Chords.Count; i++)
        {
            Assert.NotEqual(result.Chords[i - 1].Chord, result.Chords[i].Chord);
        }

        if (threshold == 0 && lookAhead == 0)
        {
            // Every bar line (with a note or not: the model still weighs the downbeat) and every half bar with a note.
            int halfBarsWithNotes = melody.Notes.ToArray().Select(n => n.Onset).Distinct().Count(t => t % 48 == 24);
            Assert.True(result.Chords.Count >= halfBarsWithNotes + 10, $"{result.Chords.Count} chords");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_chords_and_the_greedy_choice_ignores_the_seed()
    {
        int[] melody = Encode(Melody(bars: 8));
        var accompanist = new ChordAccompanist(_decoder);

        Assert.Equal(accompanist.Accompany(melody, new(1f, 0.3f, Seed: 5)).Tokens, accompanist.Accompany(melody, new(1f, 0.3f, Seed: 5)).Tokens);
        Assert.Equal(accompanist.Accompany(melody, new(0f, 0.3f, Seed: 5)).Tokens, accompanist.Accompany(melody, new(0f, 0.3f, Seed: 6)).Tokens);
    }

    [Fact]
    public void A_melody_with_chords_already_or_without_a_header_is_refused()
    {
        int[] melody = Encode(Melody(bars: 2));
        int[] withChord = [.. melody[..7], Vocabulary.ChordRootToken(new PitchClass(0)), Vocabulary.ChordQualityToken(ChordQuality.Major), .. melody[7..]];
        var accompanist = new ChordAccompanist(_decoder);

        Assert.Throws<ArgumentException>(() => accompanist.Accompany(withChord, default));
        Assert.Throws<ArgumentException>(() => accompanist.Accompany(melody.AsSpan(1), default));
    }

    [Theory]
    [InlineData(4, 4, 24)]
    [InlineData(2, 2, 24)]
    [InlineData(6, 8, 18)]
    [InlineData(12, 8, 36)]
    [InlineData(3, 4, -1)]
    [InlineData(2, 4, -1)]
    public void Chords_may_also_change_at_the_half_bar_of_even_metres(int numerator, int denominator, int tick) =>
        Assert.Equal(tick, ChordAccompanist.HalfBar(new Metre(numerator, denominator)));

    // Eighths and quarters on a C major scale pattern, bars of 4/4; the listed bars start with an eighth rest.
    private static QuantisedPiece Melody(int bars, int[]? restOnDownbeatOf = null)
    {
        var notes = new List<PieceNote>();
        int[] scale = [60, 62, 64, 65, 67, 69, 71, 72];
        for (int bar = 0; bar < bars; bar++)
        {
            for (int beat = 0; beat < 8; beat++)
            {
                if (beat == 0 && restOnDownbeatOf?.Contains(bar) == true)
                {
                    continue;
                }

                notes.Add(new PieceNote((bar * 48) + (beat * 6), 6, scale[(bar + beat) % scale.Length], 4, Voice.Melody));
            }
        }

        return new QuantisedPiece(Style.Pop, GenerationTask.NextChords, bars, [new MetreChange(0, Common)], [new KeyChange(0, 0)], notes, []);
    }

    private static int[] Encode(QuantisedPiece piece)
    {
        var tokens = new int[16 + (piece.Bars * 3) + (piece.Notes.Length * 5)];
        EncodeResult result = TokenEncoder.Encode(piece, tokens);
        Assert.True(result.Succeeded, result.ToString());
        return tokens[..result.Count];
    }
}
