using CoPilot.Core;

namespace CoPilot.Core.Tests;

public class NoteTrackerTests
{
    private static SentNote Off(int channel, int pitch, int noteId, int offset = 0) => SentNote.NoteOff(channel, pitch, noteId, offset);

    [Fact]
    public void Release_sends_exactly_the_note_that_was_held_for_the_key()
    {
        var tracker = new NoteTracker();
        var sink = new RecordingSink();
        tracker.Hold(NoteLayer.Generated, 0, 60, new EmittedNote(5, 67, 42));
        Assert.True(tracker.IsOpen(NoteLayer.Generated, 0, 60));
        Assert.False(tracker.IsOpen(NoteLayer.Thru, 0, 60));
        Assert.True(tracker.TryGetHeld(NoteLayer.Generated, 0, 60, out EmittedNote held));
        Assert.Equal(new EmittedNote(5, 67, 42), held);

        Assert.True(tracker.Release(ref sink, NoteLayer.Generated, 0, 60, 17));
        Assert.Equal([Off(5, 67, 42, 17)], sink.Events);
        Assert.False(tracker.IsOpen(NoteLayer.Generated, 0, 60));
        Assert.Equal(0, tracker.OpenCount);
    }

    [Fact]
    public void Releasing_a_free_key_sends_nothing_and_succeeds()
    {
        var tracker = new NoteTracker();
        var sink = new RecordingSink();
        Assert.True(tracker.Release(ref sink, NoteLayer.Thru, 3, 64, 0));
        Assert.Empty(sink.Events);
    }

    [Fact]
    public void Holding_an_open_key_twice_throws()
    {
        var tracker = new NoteTracker();
        tracker.Hold(NoteLayer.Thru, 0, 60, new EmittedNote(0, 60, 1));
        Assert.Throws<InvalidOperationException>(() => tracker.Hold(NoteLayer.Thru, 0, 60, new EmittedNote(0, 60, 2)));
        Assert.Equal(1, tracker.OpenCount);
    }

    [Fact]
    public void Layers_and_keys_are_independent()
    {
        var tracker = new NoteTracker();
        tracker.Hold(NoteLayer.Thru, 0, 60, new EmittedNote(0, 60, 1));
        tracker.Hold(NoteLayer.Generated, 0, 60, new EmittedNote(1, 72, 1));
        tracker.Hold(NoteLayer.Thru, 1, 60, new EmittedNote(1, 60, 2));
        Assert.Equal(3, tracker.OpenCount);
        Assert.Equal(2, tracker.OpenCountOf(NoteLayer.Thru));
        Assert.Equal(1, tracker.OpenCountOf(NoteLayer.Generated));

        var sink = new RecordingSink();
        Assert.True(tracker.ReleaseLayer(ref sink, NoteLayer.Thru, 5));
        Assert.Equal([Off(0, 60, 1, 5), Off(1, 60, 2, 5)], sink.Events);
        Assert.Equal(1, tracker.OpenCount);
        Assert.True(tracker.IsOpen(NoteLayer.Generated, 0, 60));
    }

    [Fact]
    public void A_full_sink_leaves_the_release_pending_once_and_flush_delivers_it()
    {
        var tracker = new NoteTracker();
        var sink = new RecordingSink { Capacity = 0 };
        tracker.Hold(NoteLayer.Thru, 2, 50, new EmittedNote(2, 50, 9));

        Assert.False(tracker.Release(ref sink, NoteLayer.Thru, 2, 50, 0));
        Assert.False(tracker.Release(ref sink, NoteLayer.Thru, 2, 50, 0)); // retried: still one pending
        Assert.Equal(1, tracker.PendingCount);
        Assert.Equal(1, tracker.OpenCount);
        Assert.True(tracker.IsOpen(NoteLayer.Thru, 2, 50));
        Assert.False(tracker.TryGetHeld(NoteLayer.Thru, 2, 50, out _)); // pending, not held
        Assert.Throws<InvalidOperationException>(() => tracker.Hold(NoteLayer.Thru, 2, 50, new EmittedNote(2, 50, 10)));
        Assert.Empty(sink.Events);

        Assert.False(tracker.FlushPending(ref sink, 0));
        sink.Capacity = -1;
        Assert.True(tracker.FlushPending(ref sink, 3));
        Assert.Equal([Off(2, 50, 9, 3)], sink.Events);
        Assert.Equal(0, tracker.PendingCount);
        Assert.Equal(0, tracker.OpenCount);
        Assert.True(tracker.FlushPending(ref sink, 3));
        Assert.Single(sink.Events);
    }

    [Fact]
    public void Flush_with_partial_room_delivers_what_fits_and_keeps_the_rest()
    {
        var tracker = new NoteTracker();
        var sink = new RecordingSink { Capacity = 0 };
        for (int p = 60; p < 63; p++)
        {
            tracker.Hold(NoteLayer.Generated, 0, p, new EmittedNote(1, (byte)(p + 12), p));
        }

        Assert.False(tracker.ReleaseAll(ref sink, 0));
        Assert.Equal(3, tracker.PendingCount);

        sink.Capacity = 2;
        Assert.False(tracker.FlushPending(ref sink, 0));
        Assert.Equal(2, sink.Events.Count);
        Assert.Equal(1, tracker.PendingCount);
        Assert.Equal(1, tracker.OpenCount);

        sink.Capacity = -1;
        Assert.True(tracker.FlushPending(ref sink, 0));
        Assert.Equal([Off(1, 72, 60), Off(1, 73, 61), Off(1, 74, 62)], sink.Events);
        Assert.Equal(0, tracker.OpenCount);
    }

    [Fact]
    public void Reset_forgets_everything_without_sending()
    {
        var tracker = new NoteTracker();
        var sink = new RecordingSink { Capacity = 0 };
        tracker.Hold(NoteLayer.Thru, 0, 1, new EmittedNote(0, 1, 1));
        tracker.Hold(NoteLayer.Thru, 0, 2, new EmittedNote(0, 2, 2));
        tracker.Release(ref sink, NoteLayer.Thru, 0, 1, 0);

        tracker.Reset();
        Assert.Equal(0, tracker.OpenCount);
        Assert.Equal(0, tracker.PendingCount);
        sink.Capacity = -1;
        Assert.True(tracker.ReleaseAll(ref sink, 0));
        Assert.True(tracker.FlushPending(ref sink, 0));
        Assert.Empty(sink.Events);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(16, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 128)]
    public void Keys_outside_16_channels_by_128_pitches_are_rejected(int channel, int pitch)
    {
        var tracker = new NoteTracker();
        Assert.False(NoteTracker.IsValidKey(channel, pitch));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.IsOpen(NoteLayer.Thru, channel, pitch));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Hold(NoteLayer.Thru, channel, pitch, default));
        Assert.True(NoteTracker.IsValidKey(15, 127));
    }

    [Fact]
    public void Layer_count_is_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoteTracker(layers: 0));
        var one = new NoteTracker(layers: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => one.IsOpen(NoteLayer.Generated, 0, 0));
    }
}
