using System.Diagnostics;
using Xunit.Abstractions;

namespace CoPilot.Data.Tests;

public class Pop909Tests(ITestOutputHelper output)
{
    private static readonly Lazy<Song> Song001 = new(() => Pop909Loader.LoadSong(Path.Combine(DataRoot.Pop909, "001")));

    [Fact]
    public void Song_001_midi_has_the_three_named_tracks_at_480_ppq()
    {
        var midi = MidiReader.Read(Path.Combine(DataRoot.Pop909, "001", "001.mid"));
        Assert.Equal(480, midi.TicksPerBeat);
        Assert.Contains("MELODY", midi.TrackNames);
        Assert.Contains("BRIDGE", midi.TrackNames);
        Assert.Contains("PIANO", midi.TrackNames);
        Assert.InRange(midi.Notes.Count, 500, 10_000);
        Assert.Contains(midi.Notes, n => n.Voice == "MELODY");
        Assert.Contains(midi.Notes, n => n.Voice == "PIANO");
    }

    [Fact]
    public void Song_001_is_valid_with_chords_and_key()
    {
        var song = Song001.Value;
        Assert.Equal("001", song.Id);
        Assert.Equal(Split.Valid, song.Split);
        Assert.Equal(StyleTag.Pop, song.Style);
        Assert.Equal("N", song.Chords[0].Label);
        Assert.Equal(0.055333, song.Chords[0].StartSeconds!.Value, 6);
        Assert.Equal("B:maj", song.Chords.First(c => c.Label != "N").Label);
        var key = Assert.Single(song.Keys);
        Assert.Equal("Gb:maj", key.Label);
        Assert.Equal(2.670294784580499, key.StartSeconds!.Value, 9);
        Assert.True(key.EndBeat > key.StartBeat);
    }

    [Fact]
    public void Labels_in_seconds_keep_the_midi_beat_grid_through_the_tempo_map()
    {
        // beat_midi.txt was extracted from the MIDI: through the tempo map successive beats are one beat apart
        // and the chords start on the same grid (POP909 shifts the whole grid by a constant lead-in).
        var song = Song001.Value;
        Assert.NotEmpty(song.Beats);
        var offset = song.Beats[0].Beat;
        output.WriteLine($"001: beat grid offset {offset:F4} beats, first note at {song.Notes[0].StartBeat:F4}, tempo {song.Tempos[0].BeatsPerMinute:F2} bpm");
        foreach (var beat in song.Beats)
        {
            Assert.Equal(Math.Round(beat.Beat - offset), beat.Beat - offset, 2);
        }
        foreach (var chord in song.Chords)
        {
            Assert.Equal(Math.Round(chord.StartBeat - offset), chord.StartBeat - offset, 2);
        }
    }

    [Fact]
    public void Test_and_train_songs_get_their_splits()
    {
        Assert.Equal(Split.Test, Pop909Loader.LoadSong(Path.Combine(DataRoot.Pop909, "010")).Split);
        Assert.Equal(Split.Train, Pop909Loader.LoadSong(Path.Combine(DataRoot.Pop909, "002")).Split);
    }

    [Fact]
    public void Missing_folder_is_reported_with_its_path()
    {
        var e = Assert.Throws<DataLoadException>(() => Pop909Loader.LoadSong(Path.Combine(DataRoot.Pop909, "999")));
        Assert.Equal(LoadProblem.Io, e.Problem);
        Assert.Contains("999", e.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void All_909_songs_load()
    {
        var clock = Stopwatch.StartNew();
        var report = Pop909Loader.LoadAll(DataRoot.Pop909);
        output.WriteLine($"POP909: {report.Loaded} loaded, {report.Failed} failed in {clock.Elapsed.TotalSeconds:F2} s; "
            + $"{report.Items.Sum(s => s.Notes.Count)} notes, {report.Items.Sum(s => s.Chords.Count)} chords");
        var repairs = report.Items.Select(s => s.Repairs!).ToList();
        output.WriteLine($"repairs: {repairs.Sum(r => r.OrphanNoteOffs)} orphan note-offs, {repairs.Sum(r => r.OverlapsClosed)} overlaps closed, "
            + $"{repairs.Sum(r => r.UnterminatedNotes)} unterminated, {repairs.Sum(r => r.ZeroLengthNotes)} zero-length");
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure.ToString());
        }
        Assert.True(report.Loaded >= 900, $"{report.Loaded} loaded");
        Assert.Equal(909, report.Loaded + report.Failed);
        if (report.Failed == 0)
        {
            Assert.Equal(90, report.Items.Count(s => s.Split == Split.Test));
            Assert.Equal(91, report.Items.Count(s => s.Split == Split.Valid));
        }
    }
}
