using CoPilot.Evaluation.Harness;
using CoPilot.Export;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Tests.Harness;

public sealed class RepeatProbeTests : IDisposable
{
    private static readonly TransformerConfig Shape = new(VocabSize: Vocabulary.Size, ContextLength: 64, Layers: 2, Dim: 32, Heads: 2);
    private readonly OnnxDecoder _decoder = OnnxDecoder.Load(DecoderExporter.Export(NeuralScoringTests.RandomWeights(Shape, seed: 5), OnnxWeightFormat.Float32, "test"));

    public void Dispose() => _decoder.Dispose();

    [Fact]
    public void The_opening_up_to_its_last_bar_line_is_written_twice_after_the_header()
    {
        int[] song = NextChordProbeTests.Song(("C", 0), (null, 0), ("G", 0), ("Em", 24), (null, 0), ("F", 0));

        int[]? repeated = RepeatProbe.Repeated(song, TokenTrack.HeaderLength, out int second);

        // Header, then "Bar Pos C | Bar Pos G Pos Em" (the last bar, F, is cut: the repeat sign comes at a bar line).
        int[] opening = song[TokenTrack.HeaderLength..Array.LastIndexOf(song, Vocabulary.Bar)];
        Assert.Equal(11, opening.Length);
        Assert.NotNull(repeated);
        Assert.Equal([.. song[..TokenTrack.HeaderLength], .. opening, .. opening], repeated);
        Assert.Equal(TokenTrack.HeaderLength + opening.Length, second);
    }

    [Fact]
    public void Songs_without_a_chord_or_a_bar_line_to_cut_at_are_left_out()
    {
        int[] noChord = NextChordProbeTests.Song((null, 0), (null, 0));
        int[] oneBar = NextChordProbeTests.Song(("C", 0), ("G", 24));

        RepeatResult result = new RepeatProbe(_decoder).Run([noChord, oneBar]);

        Assert.Null(RepeatProbe.Repeated(oneBar, TokenTrack.HeaderLength, out _));
        Assert.Equal(0, result.Songs);
        Assert.Equal(0, result.Roots);
    }

    [Fact]
    public void Both_readings_score_as_a_fresh_read_of_every_prefix()
    {
        int[][] songs =
        [
            NextChordProbeTests.Song(("C", 0), (null, 0), ("Am", 0), ("F", 24), (null, 0), ("G7", 0), (null, 0), ("C", 0)),
            NextChordProbeTests.Song(("Dm7", 0), ("G7", 24), (null, 0), ("Cmaj7", 0), (null, 0), ("A7", 0), (null, 0)),
        ];
        long roots = 0;
        double[] hits = new double[2], probability = new double[2];
        foreach (int[] song in songs)
        {
            int[] repeated = RepeatProbe.Repeated(song, TokenTrack.HeaderLength, out int second)!;
            for (int j = TokenTrack.HeaderLength + 1; j < repeated.Length; j++)
            {
                if (!Vocabulary.IsChordRoot(repeated[j]))
                {
                    continue;
                }

                _decoder.Reset();
                ReadOnlySpan<float> rows = _decoder.Prefill(repeated.AsSpan(0, j));
                double[] p = NextChordProbeTests.Softmax(rows[^_decoder.VocabSize..].Slice(Vocabulary.ChordRootBase, PitchClass.Count));
                int target = repeated[j] - Vocabulary.ChordRootBase;
                int reading = j >= second ? 1 : 0;
                roots += 1 - reading;
                probability[reading] += p[target];
                hits[reading] += p.Any(x => x > p[target]) ? 0 : 1;
            }
        }

        RepeatResult result = new RepeatProbe(_decoder).Run(songs);

        Assert.Equal(2, result.Songs);
        Assert.Equal(roots, result.Roots);
        Assert.Equal(hits[0] / roots, result.FirstTop1, 9);
        Assert.Equal(hits[1] / roots, result.SecondTop1, 9);
        Assert.Equal(probability[0] / roots, result.FirstProbability, 4);
        Assert.Equal(probability[1] / roots, result.SecondProbability, 4);
    }
}
