namespace CoPilot.Data.Tests;

public class MidiReaderTests
{
    private static DataLoadException Fails(byte[] bytes) =>
        Assert.Throws<DataLoadException>(() => MidiReader.Read(bytes, "test.mid"));

    [Fact]
    public void Type_1_with_odd_ppq_tempo_and_named_tracks()
    {
        var conductor = new MidiBytes().Tempo(0, 1_000_000).Event(0, 0xFF, 0x58, 0x04, 3, 2, 24, 8).Tempo(96, 500_000);
        var lead = new MidiBytes().Name("LEAD").On(0, 60).Off(96, 60).On(0, 62).Off(48, 62);
        var song = MidiReader.Read(MidiBytes.File(1, 96, conductor, lead), "test.mid");

        Assert.Equal(96, song.TicksPerBeat);
        Assert.Equal(["track 0", "LEAD"], song.TrackNames);
        Assert.Equal([new Note(0, 1, 60, 100, "LEAD", 1), new Note(1, 0.5, 62, 100, "LEAD", 1)], song.Notes);
        Assert.Equal(new TimeSignatureChange(0, 3, 4), Assert.Single(song.Metres));
        Assert.Equal(1.0, song.Tempo.BeatsToSeconds(1), 9);   // 60 bpm for the first beat
        Assert.Equal(1.25, song.Tempo.BeatsToSeconds(1.5), 9); // then 120 bpm
        Assert.Equal(new MidiRepairs(0, 0, 0, 0), song.Repairs);
    }

    [Fact]
    public void Type_0_running_status_and_velocity_0_note_off()
    {
        // 0x90 once, then running status; velocity 0 ends the note.
        var track = new MidiBytes().Event(0, 0x90, 60, 90).Event(480, 60, 0).Event(0, 64, 80).Event(240, 64, 0);
        var song = MidiReader.Read(MidiBytes.File(0, 480, track), "test.mid");
        Assert.Equal(0, song.Format);
        Assert.Equal([new Note(0, 1, 60, 90, "track 0", 1), new Note(1, 0.5, 64, 80, "track 0", 1)], song.Notes);
    }

    [Fact]
    public void Note_off_without_note_on_is_ignored_and_counted()
    {
        var track = new MidiBytes().Off(0, 61).On(0, 60).Off(480, 60).Off(0, 60);
        var song = MidiReader.Read(MidiBytes.File(0, 480, track), "test.mid");
        Assert.Single(song.Notes);
        Assert.Equal(2, song.Repairs.OrphanNoteOffs);
    }

    [Fact]
    public void Overlapping_same_pitch_closes_the_earlier_note_at_the_new_onset()
    {
        var track = new MidiBytes().On(0, 60, 100).On(240, 60, 50).Off(480, 60).Off(0, 60);
        var song = MidiReader.Read(MidiBytes.File(0, 480, track), "test.mid");
        Assert.Equal([new Note(0, 0.5, 60, 100, "track 0", 1), new Note(0.5, 1, 60, 50, "track 0", 1)], song.Notes);
        Assert.Equal(1, song.Repairs.OverlapsClosed);
        Assert.Equal(1, song.Repairs.OrphanNoteOffs); // the second note-off has nothing left to end
    }

    [Fact]
    public void Notes_left_sounding_end_with_their_track()
    {
        var track = new MidiBytes().On(0, 60).Event(960, 0xB0, 64, 0);
        var song = MidiReader.Read(MidiBytes.File(0, 480, track), "test.mid");
        Assert.Equal(new Note(0, 2, 60, 100, "track 0", 1), Assert.Single(song.Notes));
        Assert.Equal(1, song.Repairs.UnterminatedNotes);
    }

    [Fact]
    public void Zero_length_file()
    {
        var e = Fails([]);
        Assert.Equal(LoadProblem.Empty, e.Problem);
        Assert.StartsWith("test.mid: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_a_midi_file() => Assert.Equal(LoadProblem.NotMidi, Fails("RIFF....WAVEfmt "u8.ToArray()).Problem);

    [Fact]
    public void Truncated_header() =>
        Assert.Equal(LoadProblem.Truncated, Fails(MidiBytes.Header(1, 1, 480)[..10]).Problem);

    [Fact]
    public void Truncated_track()
    {
        var bytes = MidiBytes.File(1, 480, new MidiBytes().On(0, 60).Off(480, 60), new MidiBytes().On(0, 64).Off(480, 64));
        var e = Fails(bytes[..^5]);
        Assert.Equal(LoadProblem.Truncated, e.Problem);
        Assert.Contains("track 1", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_tracks() =>
        Assert.Equal(LoadProblem.Truncated, Fails([.. MidiBytes.Header(1, 3, 480), .. new MidiBytes().Chunk()]).Problem);

    [Fact]
    public void Smpte_division_is_a_clear_error()
    {
        // 0xE7 = -25 frames per second, 40 ticks per frame.
        var e = Fails(MidiBytes.File(0, 0xE728, new MidiBytes().On(0, 60).Off(40, 60)));
        Assert.Equal(LoadProblem.SmpteDivision, e.Problem);
        Assert.Contains("25 frames/s", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_inside_a_well_framed_track_is_a_typed_error_not_a_crash()
    {
        // A chunk whose declared length cuts the last event in half.
        byte[] body = [0x00, 0x90, 60, 100, 0x83, 0x60, 0x80, 60];
        byte[] bytes = [.. MidiBytes.Header(0, 1, 480), (byte)'M', (byte)'T', (byte)'r', (byte)'k', 0, 0, 0, (byte)body.Length, .. body];
        var e = Fails(bytes);
        Assert.True(e.Problem is LoadProblem.Truncated or LoadProblem.Corrupt, e.Message);
    }

    [Fact]
    public void Missing_file_is_an_io_error() =>
        Assert.Equal(LoadProblem.Io, Assert.Throws<DataLoadException>(() => MidiReader.Read("/nonexistent/x.mid")).Problem);
}
