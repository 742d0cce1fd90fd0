using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Tokens;

public class MalformedTests
{
    private const int C = Vocabulary.KeyBase;
    private static readonly int FourFour = Vocabulary.MetreToken(Vocabulary.MetreIndex(new Metre(4, 4)));
    private static readonly int[] Header = [Vocabulary.Bos, Vocabulary.StyleToken(Style.Pop), Vocabulary.TaskToken(GenerationTask.ContinueMelody), C, FourFour];

    private static int[] Note(int pitch, int duration = 12) =>
        [Vocabulary.PitchToken(pitch), Vocabulary.DurationToken(DurationBuckets.IndexOf(duration)), Vocabulary.VelocityToken(4)];

    private static int[] Seq(params int[][] parts) => [.. Header, .. parts.SelectMany(p => p)];

    private static readonly int[] Bar = [Vocabulary.Bar];
    private static readonly int[] Melody = [Vocabulary.VoiceToken(Voice.Melody)];
    private static readonly int[] End = [Vocabulary.Eos];

    private static int[] Pos(int tick) => [Vocabulary.PositionToken(tick)];

    private static DecodeError Error(int[] tokens)
    {
        Assert.False(TokenDecoder.TryDecode(tokens, out _, out DecodeError error));
        return error;
    }

    [Fact]
    public void A_well_formed_sequence_decodes() =>
        Assert.True(TokenDecoder.TryDecode(Seq(Bar, Pos(0), Melody, Note(60), End, [Vocabulary.Pad, Vocabulary.Pad]), out _, out _));

    [Fact]
    public void Each_kind_of_malformation_is_named_with_its_place()
    {
        Assert.Equal(new DecodeError(DecodeProblem.Truncated, 0), Error([]));
        Assert.Equal(new DecodeError(DecodeProblem.UnexpectedToken, 0), Error([Vocabulary.Bar, .. Header]));
        Assert.Equal(new DecodeError(DecodeProblem.TokenOutOfRange, 6), Error(Seq(Bar, [9999], End)));
        Assert.Equal(new DecodeError(DecodeProblem.MissingEos, 11), Error(Seq(Bar, Pos(0), Melody, Note(60))));
        Assert.Equal(new DecodeError(DecodeProblem.Truncated, 9), Error(Seq(Bar, Pos(0), Melody, [Vocabulary.PitchToken(60)])));
        Assert.Equal(new DecodeError(DecodeProblem.MissingPosition, 6), Error(Seq(Bar, Melody, Note(60), End)));
        Assert.Equal(new DecodeError(DecodeProblem.EmptyPosition, 7), Error(Seq(Bar, Pos(0), End)));
        Assert.Equal(DecodeProblem.PositionNotIncreasing, Error(Seq(Bar, Pos(12), Melody, Note(60), Pos(6), Note(60), End)).Problem);
        Assert.Equal(DecodeProblem.PositionBeyondBar, Error(Seq(Bar, Pos(48), Melody, Note(60), End)).Problem);
        Assert.Equal(DecodeProblem.NotesOutOfOrder, Error(Seq(Bar, Pos(0), Melody, Note(64), Note(60), End)).Problem);
        Assert.Equal(DecodeProblem.RedundantVoice, Error(Seq(Bar, Pos(0), Melody, Note(60), Melody, Note(64), End)).Problem);
        Assert.Equal(DecodeProblem.NoteWithoutVoice, Error(Seq(Bar, Pos(0), Note(60), End)).Problem);
        Assert.Equal(DecodeProblem.ChordOutOfOrder, Error(Seq(Bar, Pos(0), Melody, Note(60), [Vocabulary.NoChord], End)).Problem);
        Assert.Equal(DecodeProblem.RedundantChange, Error(Seq(Bar, Bar, [FourFour], End)).Problem);
        Assert.Equal(DecodeProblem.RedundantChange, Error(Seq(Bar, [C + 2], End)).Problem);
        Assert.Equal(DecodeProblem.RedundantBass, Error(Seq(Bar, Pos(0), [Vocabulary.ChordRootBase + 2, Vocabulary.ChordQualityBase, Vocabulary.ChordBassBase + 2], End)).Problem);
        Assert.Equal(DecodeProblem.TokensAfterEos, Error(Seq(Bar, End, Bar)).Problem);
        Assert.Equal(DecodeProblem.UnexpectedToken, Error(Seq(Pos(0), Melody, Note(60), End)).Problem);
    }
}
