namespace CoPilot.Data.Tests;

/// <summary>
/// Malformed and unusual MIDI files built byte by byte: each either reads with its repairs counted or fails with
/// a <see cref="DataLoadException"/> whose message names the file and the problem.
/// </summary>
public class BadMidiTests
{
    private const string Name = "bad.mid";

    private static DataLoadException Fails(byte[] bytes, LoadProblem problem)
    {
        var e = Assert.Throws<DataLoadException>(() => MidiReader.Read(bytes, Name));
        Assert.Equal(problem, e.Problem);
        Assert.StartsWith($"{Name}: {problem}: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(Name, e.Path);
        return e;
    }

    private static byte[] Track(params byte[] body) =>
        [(byte)'M', (byte)'T', (byte)'r', (byte)'k', (byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(0x7FFF)]
    public void Odd_ticks_per_beat_scale_notes_to_beats(int ppq)
    {
        var song = MidiReader.Read(MidiBytes.File(0, ppq, new MidiBytes().On(ppq, 60).Off(2 * ppq, 60)), Name);
        Assert.Equal(new Note(1, 2, 60, 100, "track 0", 1), Assert.Single(song.Notes));
    }

    [Fact]
    public void Zero_ticks_per_beat() => Fails(MidiBytes.File(0, 0, new MidiBytes().On(0, 60).Off(1, 60)), LoadProblem.Unsupported);

    [Fact]
    public void Format_2_is_refused() =>
        Assert.Contains("format 2", Fails(MidiBytes.File(2, 480, new MidiBytes().On(0, 60).Off(480, 60)), LoadProblem.Unsupported).Detail, StringComparison.Ordinal);

    [Fact]
    public void Smpte_30_drop_frame() =>
        Assert.Contains("29 frames/s", Fails(MidiBytes.File(1, 0xE350, new MidiBytes().On(0, 60).Off(80, 60)), LoadProblem.SmpteDivision).Detail, StringComparison.Ordinal);

    [Fact]
    public void Tracks_without_notes_read_as_a_song_without_notes()
    {
        var conductor = new MidiBytes().Tempo(0, 600_000).Name("conductor");
        var empty = new MidiBytes().Name("empty").Event(480, 0xB0, 7, 100);
        var song = MidiReader.Read(MidiBytes.File(1, 480, conductor, empty), Name);
        Assert.Empty(song.Notes);
        Assert.Equal(["conductor", "empty"], song.TrackNames);
        Assert.Equal(100.0, song.Tempo.BeatsPerMinuteAt(0), 9);
        Assert.Equal(1.0, song.EndBeat);
    }

    [Fact]
    public void Running_status_survives_a_meta_event_and_a_channel_change()
    {
        // 0x91 sets running status; the meta event in between must not turn the next data bytes into garbage
        // (many writers rely on this although the standard cancels running status only for sysex).
        byte[] body =
        [
            0x00, 0x91, 60, 100,
            0x00, 62, 100,                // running status: note-on ch 2
            0x83, 0x60, 0xFF, 0x01, 0x01, (byte)'x', // text meta
            0x00, 0x81, 60, 0,            // explicit note-off
            0x00, 62, 0,                  // running status note-off ch 2
            0x00, 0xFF, 0x2F, 0x00,
        ];
        var song = MidiReader.Read([.. MidiBytes.Header(0, 1, 480), .. Track(body)], Name);
        Assert.Equal([new Note(0, 1, 60, 100, "track 0", 2), new Note(0, 1, 62, 100, "track 0", 2)], song.Notes);
        Assert.Equal(new MidiRepairs(0, 0, 0, 0), song.Repairs);
    }

    [Fact]
    public void Data_byte_with_no_running_status_is_corrupt()
    {
        // The first event of a track starts with a data byte: there is no status to run on.
        var e = Fails([.. MidiBytes.Header(0, 1, 480), .. Track(0x00, 60, 100, 0x00, 0xFF, 0x2F, 0x00)], LoadProblem.Corrupt);
        Assert.Equal("track 0, byte 23: data byte 0x3C with no running status", e.Detail);
    }

    [Fact]
    public void Delta_time_cut_at_the_end_of_the_track()
    {
        var e = Fails([.. MidiBytes.Header(0, 1, 480), .. Track(0x00, 0x90, 60, 100, 0x83)], LoadProblem.Truncated);
        Assert.Equal("track 0 ends inside a delta time at byte 27", e.Detail);
    }

    [Fact]
    public void Status_byte_where_a_data_byte_belongs() =>
        Assert.Equal("track 0, byte 25: 0x80 where a data byte of status 0x90 belongs",
            Fails([.. MidiBytes.Header(0, 1, 480), .. Track(0x00, 0x90, 60, 0x80, 60, 0)], LoadProblem.Corrupt).Detail);

    [Fact]
    public void System_realtime_byte_in_a_track() =>
        Assert.Contains("status 0xF8 is not allowed", Fails([.. MidiBytes.Header(0, 1, 480), .. Track(0x00, 0xF8, 0x00, 0xFF, 0x2F, 0x00)], LoadProblem.Corrupt).Detail, StringComparison.Ordinal);

    [Fact]
    public void Meta_event_longer_than_its_track() =>
        Assert.Contains("declares 100 bytes", Fails([.. MidiBytes.Header(0, 1, 480), .. Track(0x00, 0xFF, 0x01, 100, (byte)'x')], LoadProblem.Truncated).Detail, StringComparison.Ordinal);

    [Fact]
    public void Unknown_chunks_between_tracks_are_skipped()
    {
        byte[] alien = [(byte)'X', (byte)'F', (byte)'I', (byte)'H', 0, 0, 0, 3, 1, 2, 3];
        var one = new MidiBytes().On(0, 60).Off(480, 60).Chunk();
        var two = new MidiBytes().On(0, 64).Off(480, 64).Chunk();
        var song = MidiReader.Read([.. MidiBytes.Header(1, 2, 480), .. alien, .. one, .. alien, .. two], Name);
        Assert.Equal([60, 64], song.Notes.Select(n => n.Pitch));
        Assert.Equal(2, song.TrackNames.Count);
    }

    [Fact]
    public void Binary_garbage_where_a_track_should_start() =>
        Assert.Contains("where track 0 should start, is not MTrk",
            Fails([.. MidiBytes.Header(0, 1, 480), 0x00, 0x90, 0x3C, 0x64, 0, 0, 0, 0], LoadProblem.Corrupt).Detail, StringComparison.Ordinal);

    [Fact]
    public void Track_without_end_of_track_still_reads()
    {
        var song = MidiReader.Read([.. MidiBytes.Header(0, 1, 480), .. Track(0x00, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0)], Name);
        Assert.Equal(new Note(0, 1, 60, 100, "track 0", 1), Assert.Single(song.Notes));
    }

    [Fact]
    public void Track_length_beyond_the_file() =>
        Assert.Contains("declares 4294967295 bytes", Fails([.. MidiBytes.Header(0, 1, 480), (byte)'M', (byte)'T', (byte)'r', (byte)'k', 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x90], LoadProblem.Truncated).Detail, StringComparison.Ordinal);

    [Fact]
    public void Note_offs_without_note_ons_only()
    {
        var song = MidiReader.Read(MidiBytes.File(0, 480, new MidiBytes().Off(0, 60).Off(10, 61).Off(10, 62)), Name);
        Assert.Empty(song.Notes);
        Assert.Equal(3, song.Repairs.OrphanNoteOffs);
    }

    [Fact]
    public void Overlapping_same_pitch_on_two_channels_are_two_notes()
    {
        var song = MidiReader.Read(MidiBytes.File(0, 480, new MidiBytes().On(0, 60, 100, 0).On(0, 60, 90, 1).Off(480, 60, 0).Off(480, 60, 1)), Name);
        Assert.Equal([new Note(0, 1, 60, 100, "track 0", 1), new Note(0, 2, 60, 90, "track 0", 2)], song.Notes.OrderBy(n => n.Channel));
        Assert.Equal(0, song.Repairs.OverlapsClosed);
    }

    [Fact]
    public void Same_pitch_restruck_at_the_same_tick_drops_the_empty_note()
    {
        var song = MidiReader.Read(MidiBytes.File(0, 480, new MidiBytes().On(0, 60).On(0, 60).Off(480, 60)), Name);
        Assert.Equal(new Note(0, 1, 60, 100, "track 0", 1), Assert.Single(song.Notes));
        Assert.Equal(new MidiRepairs(0, 1, 0, 1), song.Repairs);
    }

    [Fact]
    public void Bytes_over_the_limit_are_refused_before_parsing()
    {
        // A valid file padded past the limit with a long track of running-status notes.
        var events = new byte[((MidiReader.MaxFileBytes / 3) + 1) * 3];
        for (var i = 0; i < events.Length; i += 3)
        {
            events[i] = 0x00;
            events[i + 1] = 60;
            events[i + 2] = (byte)(i / 3 % 2 == 0 ? 100 : 0);
        }
        byte[] bytes = [.. MidiBytes.Header(0, 1, 480), .. Track([0x00, 0x90, 60, 100, .. events])];
        Assert.True(bytes.LongLength > MidiReader.MaxFileBytes);
        Assert.Contains("limit", Fails(bytes, LoadProblem.TooLarge).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_file_on_disk_is_refused_without_reading_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"copilot-huge-{Environment.ProcessId}.mid");
        try
        {
            using (var stream = File.Create(path))
            {
                stream.Write(MidiBytes.Header(0, 1, 480));
                stream.SetLength(MidiReader.MaxFileBytes * 64); // sparse: 512 MiB that is never read
            }
            var e = Assert.Throws<DataLoadException>(() => MidiReader.Read(path));
            Assert.Equal(LoadProblem.TooLarge, e.Problem);
            Assert.StartsWith(path + ": TooLarge: ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Zero_length_file_on_disk_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"copilot-empty-{Environment.ProcessId}.mid");
        try
        {
            File.WriteAllBytes(path, []);
            var e = Assert.Throws<DataLoadException>(() => MidiReader.Read(path));
            Assert.Equal($"{path}: Empty: the file is empty (0 bytes)", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
