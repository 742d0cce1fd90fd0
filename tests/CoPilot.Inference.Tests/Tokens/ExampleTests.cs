using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Tests.Tokens;

public class ExampleTests
{
    private static readonly Metre FourFour = new(4, 4);
    private const int CMajor = 0;

    private static QuantisedPiece Piece(int bars, PieceNote[] notes, PieceChord[]? chords = null, Metre? metre = null, MetreChange[]? changes = null) =>
        new(Style.Pop, GenerationTask.ContinueMelody, bars, changes ?? [new MetreChange(0, metre ?? FourFour)], [new KeyChange(0, CMajor)], notes, chords ?? []);

    private static string[] Names(QuantisedPiece piece)
    {
        var buffer = new int[1024];
        EncodeResult result = TokenEncoder.Encode(piece, buffer);
        Assert.True(result.Succeeded, result.ToString());
        Assert.True(TokenDecoder.TryDecode(buffer.AsSpan(0, result.Count), out QuantisedPiece? decoded, out DecodeError error), error.ToString());
        Assert.Equal(piece, decoded);
        return [.. buffer[..result.Count].Select(Vocabulary.Describe)];
    }

    private static PieceNote Melody(int onset, int duration, int pitch) => new(onset, duration, pitch, 5, Voice.Melody);

    [Fact]
    public void Triplet_eighths_sit_four_ticks_apart()
    {
        string[] names = Names(Piece(1, [Melody(0, 4, 60), Melody(4, 4, 62), Melody(8, 4, 64), Melody(12, 12, 65)]));
        Assert.Equal(
            ["Bos", "Style_Pop", "Task_ContinueMelody", "Key_C", "Metre_4/4", "Bar",
             "Position_0", "Voice_Melody", "Pitch_60", "Duration_4", "Velocity_5",
             "Position_4", "Pitch_62", "Duration_4", "Velocity_5",
             "Position_8", "Pitch_64", "Duration_4", "Velocity_5",
             "Position_12", "Pitch_65", "Duration_12", "Velocity_5", "Eos"],
            names);
    }

    [Fact]
    public void A_dotted_eighth_and_sixteenth_are_nine_and_three_ticks()
    {
        string[] names = Names(Piece(1, [Melody(0, 9, 67), Melody(9, 3, 65), Melody(12, 18, 64), Melody(30, 6, 62)]));
        Assert.Contains("Duration_9", names);
        Assert.Contains("Position_9", names);
        Assert.Contains("Duration_18", names);
        Assert.Contains("Position_30", names);
    }

    [Fact]
    public void A_six_eight_bar_has_36_ticks_and_the_next_bar_starts_there()
    {
        var six = new Metre(6, 8);
        string[] names = Names(Piece(2, [Melody(0, 6, 72), Melody(18, 18, 71), Melody(36, 36, 69)], metre: six));
        Assert.Equal(36, six.BarTicks);
        Assert.Equal(["Metre_6/8", "Bar", "Position_0"], names[4..7]);
        int secondBar = Array.LastIndexOf(names, "Bar");
        Assert.Equal(["Bar", "Position_0", "Pitch_69", "Duration_36"], names[secondBar..(secondBar + 4)]);
    }

    [Fact]
    public void A_slash_chord_writes_its_bass_and_a_root_position_chord_does_not()
    {
        var gOverB = new Chord(PitchClass.G, ChordQuality.Major, PitchClass.B);
        var c = new Chord(PitchClass.C, ChordQuality.Major);
        string[] names = Names(Piece(1, [Melody(0, 24, 62)], [new PieceChord(0, gOverB), new PieceChord(24, c), new PieceChord(36, Chord.None)]));
        Assert.Equal(["Position_0", "ChordRoot_G", "ChordQuality_Major", "ChordBass_B", "Voice_Melody", "Pitch_62"], names[6..12]);
        Assert.Equal(["Position_24", "ChordRoot_C", "ChordQuality_Major", "Position_36", "NoChord", "Eos"], names[^6..]);
    }

    [Fact]
    public void An_empty_bar_is_a_lone_bar_token()
    {
        string[] names = Names(Piece(3, [Melody(0, 48, 60), Melody(96, 48, 64)]));
        Assert.Equal(["Duration_48", "Velocity_5", "Bar", "Bar", "Position_0"], names[^9..^4]);
        Assert.Equal(["Bar", "Eos"], Names(Piece(1, []))[^2..]);
    }

    [Fact]
    public void Voice_tokens_appear_only_where_the_voice_changes()
    {
        var notes = new PieceNote[]
        {
            new(0, 12, 72, 4, Voice.Soprano), new(0, 12, 67, 4, Voice.Alto), new(0, 12, 64, 4, Voice.Tenor), new(0, 12, 48, 4, Voice.Bass),
            new(12, 12, 48, 4, Voice.Bass), new(24, 12, 50, 4, Voice.Bass), new(24, 12, 74, 4, Voice.Soprano),
        };
        string[] names = Names(Piece(1, notes));
        // S A T B at beat 1; the bass goes on alone at beat 2; at beat 3 the soprano comes first again.
        Assert.Equal(6, names.Count(n => n.StartsWith("Voice_", StringComparison.Ordinal)));
        int second = Array.IndexOf(names, "Position_12");
        Assert.Equal("Pitch_48", names[second + 1]);
        int third = Array.IndexOf(names, "Position_24");
        Assert.Equal(["Voice_Soprano", "Pitch_74"], names[(third + 1)..(third + 3)]);
        Assert.Equal(["Voice_Bass", "Pitch_50"], names[(third + 5)..(third + 7)]);
    }

    [Fact]
    public void Metre_and_key_changes_follow_the_bar_token()
    {
        var piece = new QuantisedPiece(
            Style.Folk,
            GenerationTask.Harmonize,
            3,
            [new MetreChange(0, new Metre(3, 4)), new MetreChange(2, new Metre(2, 4))],
            [new KeyChange(0, KeyChange.Unknown), new KeyChange(1, 7 + 12)],
            [Melody(36, 12, 64), Melody(72, 24, 60)],
            []);
        string[] names = Names(piece);
        Assert.Equal(["Bos", "Style_Folk", "Task_Harmonize", "Key_Unknown", "Metre_3/4", "Bar", "Bar", "Key_Gm"], names[..8]);
        Assert.Equal(["Bar", "Metre_2/4", "Position_0"], names[^7..^4]);
    }

    [Fact]
    public void Unrepresentable_pieces_are_refused_with_their_reason()
    {
        var buffer = new int[256];
        Assert.Equal(PieceProblem.MetreWithoutToken, TokenEncoder.Encode(Piece(1, [], metre: new Metre(11, 4)), buffer).Problem);
        Assert.Equal(PieceProblem.NoteOutsideBars, TokenEncoder.Encode(Piece(1, [Melody(48, 12, 60)]), buffer).Problem);
        Assert.Equal(PieceProblem.DurationNotABucket, TokenEncoder.Encode(Piece(1, [Melody(0, 25, 60)]), buffer).Problem);
        Assert.Equal(PieceProblem.PitchOutOfRange, TokenEncoder.Encode(Piece(1, [Melody(0, 12, 128)]), buffer).Problem);
        Assert.Equal(PieceProblem.ChordsAtSameOnset, TokenEncoder.Encode(Piece(1, [], [new PieceChord(0, Chord.None), new PieceChord(0, Chord.None)]), buffer).Problem);
        Assert.Equal(TokenStatus.BufferFull, TokenEncoder.Encode(Piece(1, [Melody(0, 12, 60)]), buffer.AsSpan(0, 8)).Status);
    }

    [Fact]
    public void Transposing_moves_keys_chords_and_pitches_and_refuses_to_leave_the_midi_range()
    {
        var piece = Piece(1, [Melody(0, 12, 60)], [new PieceChord(0, new Chord(PitchClass.G, ChordQuality.Major, PitchClass.B))]);
        Assert.True(piece.TryTranspose(-6, out QuantisedPiece? down));
        Assert.Equal(54, down.Notes[0].Pitch);
        Assert.Equal(new Chord(PitchClass.CSharp, ChordQuality.Major, PitchClass.F), down.Chords[0].Chord);
        Assert.Equal(6, down.Keys[0].KeyIndex);
        Assert.Equal(12 + 11, QuantisedPiece.TransposeKeyIndex(12 + 5, 6));
        Assert.False(Piece(1, [Melody(0, 12, 125)]).TryTranspose(3, out _));
    }
}
