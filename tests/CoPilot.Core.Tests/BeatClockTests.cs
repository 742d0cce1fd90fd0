using CoPilot.Core;

namespace CoPilot.Core.Tests;

public sealed class BeatClockTests
{
    private static TransportInfo Playing(double beat, double tempo = 120, int num = 4, int den = 4) => new()
    {
        HasContext = true,
        Playing = true,
        TempoValid = true,
        Tempo = tempo,
        TimeSignatureValid = true,
        Numerator = num,
        Denominator = den,
        ProjectTimeMusicValid = true,
        ProjectTimeMusic = beat,
    };

    private static BeatClock Clock(double sampleRate = 48000)
    {
        var c = new BeatClock();
        c.SetSampleRate(sampleRate);
        return c;
    }

    [Fact]
    public void Follows_the_host_position_block_by_block_without_reporting_jumps()
    {
        BeatClock c = Clock();
        double beat = 3.0;
        for (int i = 0; i < 100; i++)
        {
            c.Advance(Playing(beat), 512);
            Assert.Equal(beat, c.BlockStartBeat, 9);
            Assert.False(c.Jumped);
            beat += 512 / 24000.0; // 120 BPM at 48 kHz: 24000 samples per beat
        }

        Assert.Equal(24000, c.SamplesPerBeat, 6);
        Assert.Equal(12000, c.OffsetOf(c.BlockStartBeat + 0.5));
    }

    [Fact]
    public void A_relocation_or_loop_wrap_is_a_jump_and_playback_start_is_not()
    {
        BeatClock c = Clock();
        c.Advance(Playing(16), 512);
        Assert.True(c.Started);
        Assert.False(c.Jumped);
        c.Advance(Playing(16 + (512 / 24000.0)), 512);
        Assert.False(c.Jumped);
        c.Advance(Playing(8), 512); // loop back
        Assert.True(c.Jumped);
        c.Advance(Playing(8 + (512 / 24000.0)), 512);
        Assert.False(c.Jumped);
    }

    [Fact]
    public void Stopped_transport_runs_free_at_the_last_tempo()
    {
        BeatClock c = Clock();
        c.Advance(Playing(0, tempo: 90), 480);
        c.Advance(new TransportInfo { HasContext = true, Playing = false, ProjectTimeMusicValid = true, ProjectTimeMusic = 0 }, 480);
        Assert.True(c.Stopped);
        Assert.False(c.Playing);
        double start = c.BlockStartBeat;
        c.Advance(new TransportInfo { HasContext = true }, 480);
        Assert.Equal(start + (480 * 90 / 60.0 / 48000), c.BlockStartBeat, 9);
        Assert.Equal(90, c.Tempo);
        Assert.False(c.Jumped);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-120.0)]
    [InlineData(5000.0)]
    public void Invalid_tempo_keeps_the_last_good_one(double tempo)
    {
        BeatClock c = Clock();
        c.Advance(Playing(0, tempo: 100), 256);
        c.Advance(Playing(256 * 100 / 60.0 / 48000, tempo: tempo), 256);
        Assert.Equal(100, c.Tempo);
        Assert.True(double.IsFinite(c.BeatsPerSample) && c.BeatsPerSample > 0);
    }

    [Fact]
    public void Missing_flags_and_context_give_defaults()
    {
        BeatClock c = Clock();
        c.Advance(new TransportInfo { HasContext = true, Playing = true, Tempo = 0, Numerator = 0, Denominator = 0 }, 512);
        Assert.Equal(120, c.Tempo);
        Assert.Equal(4, c.Numerator);
        Assert.Equal(4, c.Denominator);
        c.Advance(TransportInfo.None, 512);
        Assert.False(c.Playing);
        Assert.True(c.Stopped);
    }

    [Theory]
    [InlineData(3, 4, 3.0)]
    [InlineData(6, 8, 3.0)]
    [InlineData(7, 8, 3.5)]
    [InlineData(5, 4, 5.0)]
    public void Metre_sets_beats_per_bar_and_bar_lines(int num, int den, double beatsPerBar)
    {
        BeatClock c = Clock();
        c.Advance(Playing(beatsPerBar * 2.25, num: num, den: den), 64);
        Assert.Equal(beatsPerBar, c.BeatsPerBar);
        Assert.Equal(beatsPerBar * 2, c.BarStartBeat, 9);
        Assert.Equal(beatsPerBar * 3, c.NextBarLineAfter(beatsPerBar * 2.5), 9);
    }

    [Fact]
    public void Invalid_time_signature_is_ignored()
    {
        BeatClock c = Clock();
        c.Advance(Playing(0, num: 3, den: 4), 64);
        c.Advance(Playing(0.01, num: 3, den: 3), 64); // denominator not a power of two
        Assert.Equal(3, c.Numerator);
        Assert.Equal(4, c.Denominator);
    }

    [Fact]
    public void Sample_rate_change_changes_samples_per_beat_not_the_position()
    {
        BeatClock c = Clock(44100);
        c.Advance(Playing(4), 441);
        Assert.Equal(22050, c.SamplesPerBeat, 6);
        c.SetSampleRate(96000);
        c.SetSampleRate(double.NaN); // ignored
        c.Advance(Playing(4 + (441 / 22050.0)), 960);
        Assert.Equal(48000, c.SamplesPerBeat, 6);
        Assert.False(c.Jumped);
    }

    [Fact]
    public void A_tempo_change_inside_the_previous_block_is_not_a_jump()
    {
        // The host changed 192 -> 103 BPM half-way through the last block: its position is behind the
        // prediction (made at 192 BPM) by half a block's worth of the difference.
        BeatClock c = Clock();
        c.Advance(Playing(10, tempo: 192), 512);
        double predicted = c.BlockEndBeat;
        double actual = 10 + (256 * 192 / 60.0 / 48000) + (256 * 103 / 60.0 / 48000);
        c.Advance(Playing(actual, tempo: 103), 512);
        Assert.True(predicted - actual > 0.004);
        Assert.False(c.Jumped);
        c.Advance(Playing(c.BlockEndBeat - 0.5, tempo: 103), 512); // half a beat back: a real jump
        Assert.True(c.Jumped);
    }

    [Fact]
    public void Tempo_change_mid_run_is_followed_without_a_jump()
    {
        BeatClock c = Clock();
        c.Advance(Playing(0, tempo: 120), 480);
        double next = 480 / 24000.0;
        c.Advance(Playing(next, tempo: 60), 480);
        Assert.False(c.Jumped);
        Assert.Equal(48000, c.SamplesPerBeat, 6);
        Assert.Equal(next + 0.01, c.BlockEndBeat, 9);
    }
}
