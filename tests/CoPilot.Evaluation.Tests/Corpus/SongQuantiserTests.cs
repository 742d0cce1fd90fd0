using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Tests.Corpus;

public class SongQuantiserTests
{
    private static Song Song(CorpusSet set, Note[] notes, ChordLabel[]? chords = null, KeyLabel[]? keys = null, TimeSignatureChange[]? metres = null, BeatMark[]? beats = null) =>
        new("t", set, Split.Train, notes, chords ?? [], keys ?? [], [], metres ?? [])
        {
            Beats = beats ?? [],
        };

    private static Note Melody(double start, double length, int pitch) => new(start, length, pitch, 80, NottinghamLoader.MelodyVoice);

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(2.9, 3)]
    [InlineData(3.4, 3)]
    [InlineData(4.1, 4)]
    [InlineData(2.4, 2)]
    [InlineData(2.6, 3)]
    [InlineData(11.9, 12)]
    [InlineData(-0.2, 0)]
    [InlineData(13.0, 12)]
    public void Times_snap_to_sixteenths_or_triplets(double ticks, int expected) => Assert.Equal(expected, GridSnap.Snap(ticks));

    [Fact]
    public void A_metre_change_inside_a_bar_cuts_it_and_the_cut_bar_gets_the_metre_of_its_length()
    {
        // 3/4 for one bar and a half, then 4/4: the second bar is cut to a 3/8 bar; beat 9 is in the fourth bar.
        Song song = Song(CorpusSet.Nottingham, [Melody(0, 1, 60), Melody(4.5, 1, 62), Melody(9, 1, 64)],
            metres: [new(0, 3, 4), new(4.5, 4, 4)]);
        QuantisedPiece piece = SongQuantiser.Quantise(song, CorpusView.Melody).Piece!;
        Assert.Equal([new MetreChange(0, new Metre(3, 4)), new MetreChange(1, new Metre(3, 8)), new MetreChange(2, new Metre(4, 4))], piece.Metres.ToArray());
        Assert.Equal([0, 54, 108], piece.Notes.ToArray().Select(n => n.Onset));
        Assert.Equal(4, piece.Bars);
    }

    [Fact]
    public void Pop909_bars_come_from_the_downbeats_with_a_pickup_before_the_first()
    {
        // Beats every 0.5 MIDI beats from 1.0; the first downbeat is the third beat; then bars of 4.
        var beats = Enumerable.Range(0, 14).Select(i => new BeatMark(i, 1.0 + (i * 0.5), (i - 2) % 4 == 0 && i >= 2, false)).ToArray();
        Song song = Song(CorpusSet.Pop909,
            [new Note(1.0, 0.5, 67, 100, "MELODY"), new Note(2.0, 0.25, 72, 100, "MELODY"), new Note(2.125, 0.125, 74, 100, "MELODY"), new Note(2.0, 1.0, 48, 60, "PIANO")],
            keys: [new KeyLabel("Gb:maj", 0, 100)],
            beats: beats);
        QuantisedPiece piece = SongQuantiser.Quantise(song, CorpusView.Full).Piece!;
        Assert.Equal(new MetreChange(0, new Metre(2, 4)), piece.Metres[0]);
        Assert.Equal(new MetreChange(1, Metre.FourFour), piece.Metres[1]);
        Assert.Equal(Key.FromPitchClass(PitchClass.FSharp, Mode.Major).Index, piece.Keys[0].KeyIndex);
        // MIDI beat 2.0 is annotated beat 2, the downbeat: tick 24; half a MIDI beat is one annotated beat.
        Assert.Equal(
            [new PieceNote(0, 12, 67, VelocityBuckets.Of(100), Voice.Melody), new PieceNote(24, 6, 72, VelocityBuckets.Of(100), Voice.Melody),
             new PieceNote(24, 24, 48, VelocityBuckets.Of(60), Voice.Accompaniment), new PieceNote(27, 3, 74, VelocityBuckets.Of(100), Voice.Melody)],
            piece.Notes.ToArray());
        Assert.Equal(0, SongQuantiser.Quantise(song, CorpusView.Melody).Piece!.Notes.ToArray().Count(n => n.Voice != Voice.Melody));
    }

    [Fact]
    public void Songs_without_what_the_view_needs_are_rejected_with_the_reason()
    {
        Song chordsOnly = Song(CorpusSet.Billboard, [], [new ChordLabel("A:min", 0, 4)]);
        Assert.Equal(RejectionReason.EmptyView, SongQuantiser.Quantise(chordsOnly, CorpusView.Melody).Rejection!.Reason);
        Song nineFour = Song(CorpusSet.Billboard, [], [new ChordLabel("A:min", 0, 9)], metres: [new(0, 9, 4)]);
        Rejection rejection = SongQuantiser.Quantise(nineFour, CorpusView.Chords).Rejection!;
        Assert.Equal(RejectionReason.MetreWithoutToken, rejection.Reason);
        Assert.Contains("9/4", rejection.Detail, StringComparison.Ordinal);
        Song noDownbeats = Song(CorpusSet.Pop909, [new Note(0, 1, 60, 90, "MELODY")], beats: [new(0, 0, false, false), new(0.5, 1, false, false)]);
        Assert.Equal(RejectionReason.NoBarLines, SongQuantiser.Quantise(noDownbeats, CorpusView.Melody).Rejection!.Reason);
    }

    [Fact]
    public void Chords_merge_repeats_and_a_label_shorter_than_a_grid_step_gives_way()
    {
        Song song = Song(CorpusSet.Billboard, [],
            [new("A:min", 0, 4), new("A:min", 4, 8), new("G:maj/3", 8, 8.01), new("F:maj7", 8.01, 12), new("N", 12, 16), new("&pause", 16, 20)],
            keys: [new KeyLabel("A", 0, 20)]);
        QuantiseResult result = SongQuantiser.Quantise(song, CorpusView.Chords);
        QuantisedPiece piece = result.Piece!;
        Assert.Equal(
            [new PieceChord(0, new Chord(PitchClass.A, ChordQuality.Minor)), new PieceChord(96, new Chord(PitchClass.F, ChordQuality.Major7)), new PieceChord(144, Chord.None)],
            piece.Chords.ToArray());
        // Billboard gives the tonic only: A with more A minor than A major chords is A minor.
        Assert.Equal(Key.MajorMinorCount / 2 + PitchClass.A.Value, piece.Keys[0].KeyIndex);
        Assert.Equal(5, piece.Bars);
    }

    [Theory]
    [InlineData("G:maj/3", CorpusSet.Pop909, "G/B")]
    [InlineData("C#:min7", CorpusSet.Billboard, "C#m7")]
    [InlineData("Bbmaj7", CorpusSet.JazzProgressions, "Bbmaj7")]
    [InlineData("Ab7#9", CorpusSet.JazzProgressions, "Ab7")]
    [InlineData("F#m7b5", CorpusSet.JazzProgressions, "F#m7b5")]
    [InlineData("NC", CorpusSet.JazzProgressions, "N.C.")]
    [InlineData("N", CorpusSet.Pop909, "N.C.")]
    public void Chord_labels_parse_by_the_set_s_notation(string label, CorpusSet set, string expected)
    {
        Assert.True(SongQuantiser.TryParseChord(label, set, out Chord chord));
        Assert.Equal(expected, chord.ToString());
    }

    [Fact]
    public void A_jazz_key_signature_is_the_relative_minor_when_the_tune_ends_on_the_minor_tonic()
    {
        Song minor = Song(CorpusSet.JazzProgressions, [], [new("Bm7b5", 0, 2), new("E7", 2, 4), new("Am7", 4, 8)], keys: [new KeyLabel("C", 0, 8)]);
        Song major = Song(CorpusSet.JazzProgressions, [], [new("Dm7", 0, 2), new("G7", 2, 4), new("Cmaj7", 4, 8)], keys: [new KeyLabel("C", 0, 8)]);
        Assert.Equal(12 + PitchClass.A.Value, SongQuantiser.Quantise(minor, CorpusView.Chords).Piece!.Keys[0].KeyIndex);
        Assert.Equal(PitchClass.C.Value, SongQuantiser.Quantise(major, CorpusView.Chords).Piece!.Keys[0].KeyIndex);
    }
}
