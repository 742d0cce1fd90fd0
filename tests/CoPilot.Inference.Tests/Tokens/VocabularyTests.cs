using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Tokens;

public class VocabularyTests
{
    [Fact]
    public void Vocabulary_has_400_ids_each_with_its_own_name()
    {
        Assert.Equal(400, Vocabulary.Size);
        Assert.True(Vocabulary.Size <= 600);
        var names = Enumerable.Range(0, Vocabulary.Size).Select(Vocabulary.Describe).ToList();
        Assert.Equal(Vocabulary.Size, names.Distinct().Count());
        Assert.DoesNotContain(names, n => n.StartsWith("Invalid", StringComparison.Ordinal));
        Assert.Equal("Invalid_400", Vocabulary.Describe(Vocabulary.Size));
    }

    [Fact]
    public void Names_read_as_the_musician_would()
    {
        Assert.Equal("Pitch_60", Vocabulary.Describe(Vocabulary.PitchToken(60)));
        Assert.Equal("Position_18", Vocabulary.Describe(Vocabulary.PositionToken(18)));
        Assert.Equal("Metre_6/8", Vocabulary.Describe(Vocabulary.MetreToken(Vocabulary.MetreIndex(new Metre(6, 8)))));
        Assert.Equal("Key_F#m", Vocabulary.Describe(Vocabulary.KeyToken(12 + 6)));
        Assert.Equal("Duration_18", Vocabulary.Describe(Vocabulary.DurationToken(DurationBuckets.IndexOf(18))));
        Assert.Equal("Voice_Bass", Vocabulary.Describe(Vocabulary.VoiceToken(Voice.Bass)));
    }

    [Fact]
    public void Counts_match_their_tables()
    {
        Assert.Equal(Vocabulary.DurationCount, DurationBuckets.Count);
        Assert.Equal(Vocabulary.MetreCount, Vocabulary.Metres.Length);
        foreach (Metre metre in Vocabulary.Metres)
        {
            Assert.InRange(metre.BarTicks, 1, Vocabulary.MaxBarTicks);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(25, 24)]
    [InlineData(29, 28)]
    [InlineData(31, 30)]
    [InlineData(50, 48)]
    [InlineData(52, 54)]
    [InlineData(100, 96)]
    [InlineData(103, 108)]
    [InlineData(10_000, 384)]
    [InlineData(0, 1)]
    public void Lengths_snap_to_the_nearest_bucket(int ticks, int bucket) => Assert.Equal(bucket, DurationBuckets.Nearest(ticks));

    [Fact]
    public void Every_length_up_to_two_beats_is_exact()
    {
        for (int t = 1; t <= 2 * Vocabulary.TicksPerBeat; t++)
        {
            Assert.Equal(t, DurationBuckets.Nearest(t));
        }
    }

    [Fact]
    public void Velocity_buckets_cover_the_midi_range_and_play_back_inside_their_bucket()
    {
        Assert.Equal(0, VelocityBuckets.Of(1));
        Assert.Equal(7, VelocityBuckets.Of(127));
        for (int b = 0; b < VelocityBuckets.Count; b++)
        {
            Assert.Equal(b, VelocityBuckets.Of(VelocityBuckets.Representative(b)));
        }
    }

    [Fact]
    public void The_fingerprint_names_this_layout_and_changes_with_it()
    {
        // Pinned: a change to the token layout must be deliberate, because every exported model carries the
        // fingerprint and is refused by a plugin whose layout differs. Retrain and re-export when it changes.
        Assert.Equal("v1-e08f51b99891526a", Vocabulary.Fingerprint);
        Assert.StartsWith("v1-", Vocabulary.Fingerprint, StringComparison.Ordinal);
    }
}
