using CoPilot.Core;

namespace CoPilot.Core.Tests;

public sealed class ChordGridTests
{
    [Theory]
    [InlineData(4, 4, 2.0)] // common time: chords may move at beat 3
    [InlineData(2, 2, 2.0)] // cut time: on each minim
    [InlineData(6, 8, 1.5)] // compound duple: on each dotted crotchet
    [InlineData(12, 8, 3.0)]
    [InlineData(3, 4, 3.0)] // waltz: one chord a bar
    [InlineData(2, 4, 2.0)] // a march bar is too short to split
    [InlineData(5, 4, 5.0)] // odd metres do not split evenly
    public void Slots_are_half_bars_in_even_metres_of_three_beats_or_more(int numerator, int denominator, double slot)
    {
        double beatsPerBar = numerator * 4.0 / denominator;
        Assert.Equal(slot, ChordGrid.SlotBeats(numerator, beatsPerBar));
        Assert.Equal(slot < beatsPerBar, ChordGrid.SplitsBar(numerator, beatsPerBar));
    }
}
