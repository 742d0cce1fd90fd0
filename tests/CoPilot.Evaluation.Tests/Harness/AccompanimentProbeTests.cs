using CoPilot.Evaluation.Harness;
using CoPilot.Export;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Tests.Harness;

public sealed class AccompanimentProbeTests : IDisposable
{
    private static readonly TransformerConfig Shape = new(VocabSize: Vocabulary.Size, ContextLength: 64, Layers: 2, Dim: 32, Heads: 2);
    private readonly OnnxDecoder _decoder = OnnxDecoder.Load(DecoderExporter.Export(NeuralScoringTests.RandomWeights(Shape, seed: 61), OnnxWeightFormat.Float32, "test"));

    public void Dispose() => _decoder.Dispose();

    // Four bars of 4/4 in C major (the last in `secondMetre` if given), quarter notes; C for two bars, then G.
    private static int[] LeadSheet(Metre? secondMetre = null)
    {
        Key c = Enumerable.Range(0, Key.MajorMinorCount).Select(Key.FromIndex).First(k => k.TonicPitchClass == PitchClass.C && k.Mode == Mode.Major);
        int bar = Vocabulary.TicksPerBeat * 4;
        int beats = secondMetre is Metre last ? 12 + last.Numerator : 16;
        var notes = Enumerable.Range(0, beats).Select(i => new PieceNote(i * Vocabulary.TicksPerBeat, Vocabulary.TicksPerBeat, 60 + (2 * (i % 6)), 4, Voice.Melody));
        MetreChange[] metres = secondMetre is Metre m ? [new(0, new Metre(4, 4)), new(3, m)] : [new(0, new Metre(4, 4))];
        var piece = new QuantisedPiece(
            Style.Pop,
            GenerationTask.NextChords,
            4,
            metres,
            [new KeyChange(0, c.Index)],
            notes,
            [new PieceChord(0, new Chord(PitchClass.C, ChordQuality.Major)), new PieceChord(2 * bar, new Chord(new PitchClass(7), ChordQuality.Major))]);
        var tokens = new int[1024];
        EncodeResult result = TokenEncoder.Encode(piece, tokens);
        Assert.True(result.Succeeded, result.ToString());
        return tokens[..result.Count];
    }

    [Fact]
    public void The_tonic_floor_agrees_where_the_song_plays_its_tonic_chord()
    {
        AccompanimentResult tonic = AccompanimentProbe.RunTonic([LeadSheet()]);

        Assert.Equal(1, tonic.Songs);
        Assert.Equal(16, tonic.ScoredBeats);
        Assert.Equal(0.5, tonic.RootAccuracy, 9);
        Assert.Equal(0.5, tonic.ClassAccuracy, 9);
        Assert.Equal(0.5, tonic.ReferenceChangesPerBar, 9);
    }

    [Fact]
    public void A_live_accompanist_hears_the_melody_and_is_scored_on_songs_of_one_metre()
    {
        AccompanimentResult rules = AccompanimentProbe.RunLive([LeadSheet(), LeadSheet(new Metre(3, 4))], () => new RuleAccompanist());

        Assert.Equal(1, rules.Songs); // the song that changes metre is left out
        Assert.InRange(rules.RootAccuracy, 0.0, 1.0);
        Assert.True(rules.ChangesPerBar > 0);
    }

    [Fact]
    public void The_file_accompanist_is_scored_with_and_without_its_song_memory()
    {
        var probe = new AccompanimentProbe(_decoder);
        AccompanimentResult with = probe.Run([LeadSheet(), LeadSheet()], new AccompanistSettings(Temperature: 0));
        AccompanimentResult without = probe.Run([LeadSheet(), LeadSheet()], new AccompanistSettings(Temperature: 0, SongMemory: false));

        Assert.Equal(2, with.Songs);
        Assert.Equal(2, without.Songs);
        Assert.Equal(32, with.ScoredBeats);
        Assert.InRange(with.ClassAccuracy, 0.0, with.RootAccuracy);
        Assert.InRange(without.ClassAccuracy, 0.0, without.RootAccuracy);
    }
}
