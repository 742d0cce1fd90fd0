namespace CoPilot.Music.Tests;

public class FormattingTests
{
    [Theory]
    [InlineData("F# major", "F#")]
    [InlineData("Eb minor", "Ebm")]
    [InlineData("Gb major", "Gb")]
    [InlineData("C# minor", "C#m")]
    [InlineData("D dorian", "Ddor")]
    [InlineData("Bb mixolydian", "Bbmix")]
    public void KeyNames(string name, string shortName)
    {
        Assert.True(Key.TryParse(name, out Key key));
        Assert.Equal(name, key.ToString());
        Assert.Equal(shortName, key.ToShortString());
        Assert.True(Key.TryParse(shortName, out Key fromShort));
        Assert.Equal(key, fromShort);
    }

    [Theory]
    [InlineData("C:maj", "C major")]
    [InlineData("A:min", "A minor")]
    [InlineData("Bb:minor", "Bb minor")]
    [InlineData("  e minor ", "E minor")]
    [InlineData("CM", "C major")]
    [InlineData("Cm", "C minor")]
    [InlineData("A aeolian", "A minor")]
    public void KeyLabelsFromDataSetsParse(string text, string expected)
    {
        Assert.True(Key.TryParse(text, out Key key));
        Assert.Equal(expected, key.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("H major")]
    [InlineData("C majestic")]
    public void NonsenseDoesNotParse(string text) => Assert.False(Key.TryParse(text, out _));

    [Fact]
    public void TryFormatReportsShortBuffers()
    {
        Key key = Key.Minor(NoteName.FromFifths(-3)); // Eb minor
        Span<char> small = stackalloc char[5];
        Assert.False(key.TryFormat(small, out int written));
        Assert.Equal(0, written);
        Span<char> exact = stackalloc char[8];
        Assert.True(key.TryFormat(exact, out written));
        Assert.Equal("Eb minor", new string(exact[..written]));
        Assert.True(key.TryFormatShort(small, out written));
        Assert.Equal("Ebm", new string(small[..written]));
        Assert.False(new Pitch(61).TryFormat(small[..2], out _));
        Assert.False(Interval.PerfectFifth.TryFormat(Span<char>.Empty, out _));
    }

    [Fact]
    public void FormattingDoesNotAllocate()
    {
        Span<char> buffer = stackalloc char[32];
        Key[] keys = [.. Enumerable.Range(0, 24).Select(Key.FromIndex)];
        int total = 0;
        for (int warm = 0; warm < 2; warm++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                Key key = keys[i % keys.Length];
                key.TryFormat(buffer, out int n);
                total += n;
                key.TryFormatShort(buffer, out n);
                total += n;
                key.Spell(new Pitch(40 + (i % 50))).TryFormat(buffer, out n);
                total += n;
                Interval.FromSemitones(i % 24).TryFormat(buffer, out n);
                total += n;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (warm == 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.True(total > 0);
    }
}
