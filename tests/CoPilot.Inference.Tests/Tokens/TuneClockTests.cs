using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Tokens;

public class TuneClockTests
{
    [Fact]
    public void A_note_off_before_any_note_on_does_not_start_the_clock()
    {
        var clock = new TuneClock();
        Assert.False(clock.TryStart(5.5, noteOn: false));
        Assert.False(clock.IsStarted);

        // The first note-on starts it at the bar that holds it: beat 5.5 in 4/4 is in the bar from beat 4.
        Assert.True(clock.TryStart(5.5, noteOn: true));
        Assert.Equal(Vocabulary.TicksPerBeat * 3 / 2, clock.Tick(5.5));

        // Running, it stays where it started, for note-ons and note-offs alike.
        Assert.True(clock.TryStart(9, noteOn: true));
        Assert.True(clock.TryStart(10, noteOn: false));
        Assert.Equal(Vocabulary.TicksPerBeat * 6, clock.Tick(10));

        clock.Stop();
        Assert.False(clock.TryStart(12, noteOn: false));
        Assert.True(clock.TryStart(13, noteOn: true));
        Assert.Equal(Vocabulary.TicksPerBeat, clock.Tick(13));
    }

    [Fact]
    public void A_long_pause_is_shortened_and_the_clock_keeps_the_cut()
    {
        var clock = new TuneClock();
        clock.TryStart(0, noteOn: true);
        int bar = clock.BarTicks;

        // Ten empty bars between a note in bar 0 and one in bar 11; two are kept.
        int tick = clock.ShortenPause(clock.Tick(44), lastHeard: 0, maxEmptyBars: 2);
        Assert.Equal(3 * bar, tick);
        Assert.Equal(3 * bar + Vocabulary.TicksPerBeat, clock.Tick(45));
    }
}
