using CoPilot.Core;

namespace CoPilot.Core.Tests;

public sealed class AnswerSchedulerTests
{
    private static BeatClock ClockAt(double beat, double tempo = 120, int samples = 512)
    {
        var c = new BeatClock();
        c.SetSampleRate(48000);
        c.Advance(new TransportInfo { HasContext = true, Playing = true, TempoValid = true, Tempo = tempo, ProjectTimeMusicValid = true, ProjectTimeMusic = beat }, samples);
        return c;
    }

    private static void Next(BeatClock c, double tempo = 120, int samples = 512) =>
        c.Advance(new TransportInfo { HasContext = true, Playing = true, TempoValid = true, Tempo = tempo, ProjectTimeMusicValid = true, ProjectTimeMusic = c.BlockEndBeat }, samples);

    [Fact]
    public void Notes_land_on_the_sample_their_beat_falls_on()
    {
        var s = new AnswerScheduler();
        BeatClock c = ClockAt(10.0);
        // 120 BPM, 48 kHz: 24000 samples per beat. 10.01 beats = sample 240 of this block.
        Assert.True(s.TryAdd(new ScheduledNote(1, 10.01, 10.015, 64, 0.8f)));
        var events = new BlockNoteEvent[16];
        int n = s.CollectBlock(c, events);
        Assert.Equal(2, n);
        Assert.Equal(new BlockNoteEvent(240, true, 64, 0.8f), events[0]);
        Assert.Equal(new BlockNoteEvent(360, false, 64, 0f), events[1]);
        Assert.Equal(0, s.Pending);
    }

    [Fact]
    public void A_note_spanning_blocks_starts_in_one_and_ends_in_a_later_one()
    {
        var s = new AnswerScheduler();
        BeatClock c = ClockAt(0);
        s.TryAdd(new ScheduledNote(1, 0.01, 0.1, 60, 1f));
        var events = new BlockNoteEvent[16];
        Assert.Equal(1, s.CollectBlock(c, events));
        Assert.True(events[0].IsNoteOn);
        int offs = 0;
        for (int i = 0; i < 10; i++)
        {
            Next(c);
            int n = s.CollectBlock(c, events);
            for (int k = 0; k < n; k++)
            {
                Assert.False(events[k].IsNoteOn);
                Assert.Equal((int)Math.Round((0.1 - c.BlockStartBeat) * 24000), events[k].Offset, 1.0);
                offs++;
            }
        }

        Assert.Equal(1, offs);
    }

    [Fact]
    public void Tempo_change_during_an_answer_moves_later_notes_in_samples()
    {
        var s = new AnswerScheduler();
        BeatClock c = ClockAt(0);
        s.TryAdd(new ScheduledNote(1, 1.0, 1.5, 60, 1f));
        var events = new BlockNoteEvent[4];
        // at 60 BPM a beat is 48000 samples: the note at beat 1.0 comes 48000 samples after beat 0
        long samples = 512;
        while (s.CollectBlock(c, events) == 0)
        {
            Next(c, tempo: 60);
            samples += 512;
        }

        Assert.Equal(1.0, c.BeatAt(events[0].Offset), 3);
        Assert.InRange(samples, 47000, 49000);
    }

    [Fact]
    public void Late_notes_play_at_block_start_within_tolerance_and_are_dropped_beyond()
    {
        var s = new AnswerScheduler { LateToleranceBeats = 0.25 };
        BeatClock c = ClockAt(8.0);
        s.TryAdd(new ScheduledNote(1, 7.9, 8.2, 60, 1f)); // 0.1 late: play now
        s.TryAdd(new ScheduledNote(1, 7.0, 8.2, 62, 1f)); // 1 beat late: drop
        var events = new BlockNoteEvent[8];
        int n = s.CollectBlock(c, events);
        Assert.Equal(1, n);
        Assert.Equal(new BlockNoteEvent(0, true, 60, 1f), events[0]);
        Assert.Equal(1, s.LateDropped);
    }

    [Fact]
    public void Malformed_or_too_many_notes_are_refused_and_counted()
    {
        var s = new AnswerScheduler();
        Assert.False(s.TryAdd(new ScheduledNote(1, 2, 2, 60, 1f)));
        Assert.False(s.TryAdd(new ScheduledNote(1, double.NaN, 3, 60, 1f)));
        Assert.False(s.TryAdd(new ScheduledNote(1, 2, 3, 200, 1f)));
        for (int i = 0; i < AnswerScheduler.Capacity; i++)
        {
            Assert.True(s.TryAdd(new ScheduledNote(1, 100 + i, 101 + i, 60, 1f)));
        }

        Assert.False(s.TryAdd(new ScheduledNote(1, 1, 2, 60, 1f)));
        Assert.Equal(4, s.Refused);
    }

    [Fact]
    public void Output_is_sorted_with_note_offs_first_at_equal_offsets_and_bounded()
    {
        var s = new AnswerScheduler();
        BeatClock c = ClockAt(0, samples: 4096);
        for (int i = 0; i < 20; i++)
        {
            // back-to-back notes: each ends exactly where the next starts
            s.TryAdd(new ScheduledNote(1, 0.15 - (i * 0.005), 0.155 - (i * 0.005), 60, 1f));
        }

        var events = new BlockNoteEvent[10];
        int n = s.CollectBlock(c, events);
        Assert.True(n <= 10);
        for (int i = 1; i < n; i++)
        {
            Assert.True(events[i - 1].Offset < events[i].Offset || (events[i - 1].Offset == events[i].Offset && !events[i - 1].IsNoteOn));
        }

        int total = n;
        var more = new BlockNoteEvent[64];
        total += s.CollectBlock(c, more);
        Assert.Equal(40, total); // the rest came in the next call, nothing lost
    }
}
