using CoPilot.Core;

namespace CoPilot.Core.Tests;

public sealed class KeySortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(200)]
    [InlineData(4096)]
    public void Sorts_like_Array_Sort_including_duplicates_and_negatives(int n)
    {
        var rng = new Random(n);
        for (int round = 0; round < 20; round++)
        {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++)
            {
                keys[i] = round % 3 == 0 ? rng.Next(-5, 5) : rng.NextInt64(long.MinValue, long.MaxValue);
            }

            long[] expected = (long[])keys.Clone();
            Array.Sort(expected);
            KeySort.Sort(keys);
            Assert.Equal(expected, keys);
        }
    }

    [Fact]
    public void Allocates_nothing()
    {
        long[] keys = new long[300];
        var rng = new Random(1);
        KeySort.Sort(keys);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = rng.NextInt64();
            }

            KeySort.Sort(keys.AsSpan(0, round % 2 == 0 ? 10 : 300));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
