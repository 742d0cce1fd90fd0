using CoPilot.Core;

namespace CoPilot.Core.Tests;

public sealed class PhraseDetectorTests
{
    // 120 BPM at 48 kHz, 4/4, blocks of 480 samples = 0.02 beats.
    private static BeatClock PlayingClock(out Func<double, bool> advanceTo)
    {
        var clock = new BeatClock();
        clock.SetSampleRate(48000);
        double beat = 0;
        clock.Advance(new TransportInfo { HasContext = true, Playing = true, TempoValid = true, Tempo = 120, ProjectTimeMusicValid = true, ProjectTimeMusic = 0 }, 480);
        advanceTo = target =>
        {
            while (clock.BlockEndBeat <= target)
            {
                beat = clock.BlockEndBeat;
                clock.Advance(new TransportInfo { HasContext = true, Playing = true, TempoValid = true, Tempo = 120, ProjectTimeMusicValid = true, ProjectTimeMusic = beat }, 480);
            }

            return true;
        };
        return clock;
    }

    [Fact]
    public void Phrase_ends_after_the_silence_threshold_when_no_bar_line_comes_first()
    {
        BeatClock clock = PlayingClock(out var advanceTo);
        var d = new PhraseDetector { SilenceBeats = 1.0, MinBarLineGapBeats = 0.5 };
        d.NoteOn(0, 60, 0.0);
        d.NoteOff(0, 60, 0.5);
        d.NoteOn(0, 62, 1.0);
        d.NoteOff(0, 62, 1.5); // silence from 1.5: ends at 2.5 (bar line at 4 comes later)

        double? ended = null;
        while (ended is null && clock.BlockStartBeat < 8)
        {
            if (d.TryEnd(clock, out double end, out double length))
            {
                ended = end;
                Assert.Equal(1.5, length, 9);
            }
            else
            {
                advanceTo(clock.BlockEndBeat);
            }
        }

        Assert.NotNull(ended);
        Assert.Equal(2.5, ended.Value, 1);
        Assert.False(d.InPhrase);
    }

    [Fact]
    public void A_bar_line_after_half_a_beat_of_silence_ends_the_phrase_early()
    {
        BeatClock clock = PlayingClock(out var advanceTo);
        var d = new PhraseDetector { SilenceBeats = 2.0, MinBarLineGapBeats = 0.5 };
        d.NoteOn(0, 60, 2.0);
        d.NoteOff(0, 60, 3.4); // bar line at 4.0 is 0.6 beats later
        advanceTo(3.9);
        Assert.False(d.TryEnd(clock, out _, out _));
        advanceTo(4.0);
        Assert.True(d.TryEnd(clock, out double end, out _));
        Assert.Equal(4.0, end, 1);
    }

    [Fact]
    public void Held_keys_keep_the_phrase_open_however_long()
    {
        BeatClock clock = PlayingClock(out var advanceTo);
        var d = new PhraseDetector();
        d.NoteOn(0, 60, 0);
        d.NoteOn(0, 64, 0.1);
        d.NoteOff(0, 60, 0.5);
        advanceTo(10);
        Assert.False(d.TryEnd(clock, out _, out _));
        Assert.Equal(1, d.HeldKeys);
        d.NoteOff(0, 64, 10);
        advanceTo(11.5);
        Assert.True(d.TryEnd(clock, out _, out _));
    }

    [Fact]
    public void Stray_note_offs_and_invalid_keys_do_not_confuse_it()
    {
        BeatClock clock = PlayingClock(out var advanceTo);
        var d = new PhraseDetector();
        d.NoteOff(0, 60, 0);
        d.NoteOn(16, 60, 0);
        d.NoteOn(0, 128, 0);
        advanceTo(5);
        Assert.False(d.TryEnd(clock, out _, out _)); // no phrase started
        Assert.Equal(0, d.HeldKeys);

        d.NoteOn(0, 60, 5);
        d.NoteOn(0, 60, 5.1); // retrigger of a held key counts once
        d.NoteOff(0, 60, 5.5);
        Assert.Equal(0, d.HeldKeys);
    }

    [Fact]
    public void Cancel_forgets_the_phrase_in_progress()
    {
        BeatClock clock = PlayingClock(out var advanceTo);
        var d = new PhraseDetector();
        d.NoteOn(0, 60, 0);
        d.NoteOff(0, 60, 0.5);
        d.CancelPhrase();
        advanceTo(6);
        Assert.False(d.TryEnd(clock, out _, out _));
    }
}
