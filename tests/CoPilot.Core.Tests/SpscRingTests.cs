using System.Diagnostics;
using CoPilot.Core;
using CoPilot.TestSupport;
using CsCheck;
using Xunit.Abstractions;

namespace CoPilot.Core.Tests;

/// <summary>
/// The ring that carries events between the audio thread and the inference thread: its single-thread
/// semantics, a model check against <see cref="Queue{T}"/>, two real threads moving millions of items
/// (order, loss and overflow accounting), and allocation-freedom.
/// </summary>
public class SpscRingTests(ITestOutputHelper output)
{
    // A two-thread run must end well inside this, even on two busy cores; past it the test fails, not hangs.
    private static readonly TimeSpan ThreadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// 24 bytes: a sequence number and a checksum of it in separate words, so a slot read while the producer
    /// is still writing it (a torn or early read) shows up as a checksum mismatch.
    /// </summary>
    private readonly record struct Item(long Seq, long Check, int Tag)
    {
        public static Item For(long seq) => new(seq, Checksum(seq), (int)(seq * 31));

        public bool IsIntact => Check == Checksum(Seq) && Tag == (int)(Seq * 31);

        private static long Checksum(long seq) => (seq * unchecked((long)0x9E3779B97F4A7C15)) ^ 0x5DEECE66DL;
    }

    // ---- single thread ----

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 8)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(1000, 1024)]
    [InlineData((1 << 24) - 1, 1 << 24)]
    [InlineData(1 << 24, 1 << 24)]
    public void Capacity_is_rounded_up_to_a_power_of_two(int requested, int expected)
    {
        var ring = new SpscRing<byte>(requested);
        Assert.Equal(expected, ring.Capacity);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData((1 << 24) + 1)]
    [InlineData(int.MaxValue)]
    public void Capacity_outside_1_to_2_pow_24_is_rejected(int requested)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<byte>(requested));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(100)]
    public void Rounded_capacity_is_usable_in_full(int requested)
    {
        var ring = new SpscRing<int>(requested);
        for (int i = 0; i < ring.Capacity; i++)
        {
            Assert.True(ring.TryWrite(i));
        }

        Assert.False(ring.TryWrite(-1));
        Assert.Equal(ring.Capacity, ring.Count);
        Assert.Equal(1, ring.Overflows);
    }

    [Fact]
    public void Items_come_out_in_the_order_they_went_in()
    {
        var ring = new SpscRing<Item>(16);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(ring.TryWrite(Item.For(i)));
        }

        for (int i = 0; i < 10; i++)
        {
            Assert.True(ring.TryRead(out Item item));
            Assert.Equal(Item.For(i), item);
        }

        Assert.False(ring.TryRead(out _));
    }

    [Fact]
    public void Read_from_an_empty_ring_fails_with_default()
    {
        var ring = new SpscRing<Item>(4);
        Assert.False(ring.TryRead(out Item item));
        Assert.Equal(default, item);
        Assert.False(ring.TryPeek(out Item peeked));
        Assert.Equal(default, peeked);
        Assert.Equal(0, ring.Count);

        // Empty again after traffic.
        Assert.True(ring.TryWrite(Item.For(1)));
        Assert.True(ring.TryRead(out _));
        Assert.False(ring.TryRead(out item));
        Assert.Equal(default, item);
        Assert.Equal(0, ring.Overflows);
    }

    [Fact]
    public void Write_to_a_full_ring_fails_and_each_refusal_is_counted()
    {
        var ring = new SpscRing<int>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryWrite(i));
        }

        for (int n = 1; n <= 5; n++)
        {
            Assert.False(ring.TryWrite(100 + n));
            Assert.Equal(n, ring.Overflows);
        }

        // The refused items were not stored, the stored ones are intact.
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryRead(out int v));
            Assert.Equal(i, v);
        }

        Assert.False(ring.TryRead(out _));

        // Room again: writes succeed and the overflow count stays where it was.
        Assert.True(ring.TryWrite(7));
        Assert.Equal(5, ring.Overflows);
    }

    [Fact]
    public void Peek_does_not_consume()
    {
        var ring = new SpscRing<int>(4);
        Assert.True(ring.TryWrite(10));
        Assert.True(ring.TryWrite(11));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(ring.TryPeek(out int p));
            Assert.Equal(10, p);
            Assert.Equal(2, ring.Count);
        }

        Assert.True(ring.TryRead(out int a));
        Assert.Equal(10, a);
        Assert.True(ring.TryPeek(out int q));
        Assert.Equal(11, q);
        Assert.True(ring.TryRead(out int b));
        Assert.Equal(11, b);
        Assert.False(ring.TryPeek(out _));
    }

    [Fact]
    public void Clear_drops_everything_readable_and_returns_how_many()
    {
        var ring = new SpscRing<int>(8);
        Assert.Equal(0, ring.Clear());
        for (int i = 0; i < 5; i++)
        {
            Assert.True(ring.TryWrite(i));
        }

        Assert.True(ring.TryRead(out _));
        Assert.Equal(4, ring.Clear());
        Assert.Equal(0, ring.Count);
        Assert.False(ring.TryRead(out _));
        Assert.False(ring.TryPeek(out _));
        Assert.Equal(0, ring.Clear());

        // Full capacity is available again after a clear, and order continues.
        for (int i = 0; i < 8; i++)
        {
            Assert.True(ring.TryWrite(100 + i));
        }

        Assert.False(ring.TryWrite(-1));
        Assert.Equal(8, ring.Clear());
        Assert.True(ring.TryWrite(42));
        Assert.True(ring.TryRead(out int v));
        Assert.Equal(42, v);
        Assert.Equal(1, ring.Overflows);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 3)]
    [InlineData(4, 4)]
    [InlineData(8, 5)]
    [InlineData(1024, 1000)]
    public void Indices_wrap_around_over_many_cycles(int capacity, int batch)
    {
        // Every case moves about 4 million items: thousands of laps of the ring, a million for the small ones.
        int cycles = Math.Min(200_000, 8_000_000 / batch);
        var ring = new SpscRing<long>(capacity);
        long next = 0, expected = 0, mismatches = 0;
        for (int cycle = 0; cycle < cycles && mismatches == 0; cycle++)
        {
            // Batches of different sizes, so every slot is hit at every phase of the free-running indices.
            int n = 1 + (cycle % batch);
            for (int i = 0; i < n; i++)
            {
                mismatches += ring.TryWrite(next++) ? 0 : 1;
            }

            for (int i = 0; i < n; i++)
            {
                mismatches += ring.TryRead(out long v) && v == expected++ ? 0 : 1;
            }

            mismatches += ring.Count == 0 ? 0 : 1;
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(next, expected);
        Assert.True(next >= cycles);
        Assert.Equal(0, ring.Overflows);
    }

    // ---- model check ----

    private enum Op : byte
    {
        Write,
        Read,
        Peek,
        Clear,
    }

    /// <summary>
    /// Random capacity and a random interleaving of bursts (a burst of writes fills a small ring, a burst of
    /// reads drains it), checked step by step against a bounded <see cref="Queue{T}"/>.
    /// </summary>
    [Fact]
    public void Behaves_like_a_bounded_queue()
    {
        Gen<(Op Op, int Count)> step = Gen.Select(
            Gen.Frequency((10, Op.Write), (10, Op.Read), (3, Op.Peek), (1, Op.Clear)),
            Gen.Int[1, 1100]);
        Gen<(int Capacity, (Op Op, int Count)[] Steps)> gen = Gen.Select(Gen.Int[1, 1024], step.Array[0, 60]);

        gen.Sample(
            (capacity, steps) =>
            {
                var ring = new SpscRing<int>(capacity);
                int size = ring.Capacity;
                var model = new Queue<int>();
                long modelOverflows = 0;
                int next = 0;
                if (size != (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity))
                {
                    return false;
                }

                foreach ((Op op, int count) in steps)
                {
                    for (int i = 0; i < count; i++)
                    {
                        bool ok;
                        switch (op)
                        {
                            case Op.Write:
                                bool modelOk = model.Count < size;
                                if (modelOk)
                                {
                                    model.Enqueue(next);
                                }
                                else
                                {
                                    modelOverflows++;
                                }

                                ok = ring.TryWrite(next++) == modelOk;
                                break;
                            case Op.Read:
                                ok = ring.TryRead(out int r) == model.TryDequeue(out int m) && r == m;
                                break;
                            case Op.Peek:
                                ok = ring.TryPeek(out int p) == model.TryPeek(out int mp) && p == mp;
                                break;
                            default:
                                ok = ring.Clear() == model.Count;
                                model.Clear();
                                i = count; // one clear per step is enough
                                break;
                        }

                        if (!ok || ring.Count != model.Count || ring.Overflows != modelOverflows)
                        {
                            return false;
                        }
                    }
                }

                // Drain: whatever is left comes out in the model's order.
                while (model.TryDequeue(out int expected))
                {
                    if (!ring.TryRead(out int actual) || actual != expected)
                    {
                        return false;
                    }
                }

                return !ring.TryRead(out _) && ring.Overflows == modelOverflows;
            },
            iter: 1000,
            threads: 1);
    }

    // ---- two threads ----

    /// <summary>Capacities from 1 (every item is a hand-over) to 4096, with an item count that keeps each run short.</summary>
    private static readonly Gen<(int Capacity, int Items, int Seed)> ConcurrentRun =
        Gen.Select(Gen.OneOf(1, 2, 3, 7, 16, 64, 100, 256, 1000, 4096), Gen.Int[0, 1_000_000])
            .Select(t => (t.Item1, t.Item1 < 16 ? 150_000 : 4_000_000, t.Item2));

    [Fact]
    public void Retrying_producer_delivers_every_item_in_order()
    {
        foreach (int capacity in new[] { 1, 64, 1024 })
        {
            AssertRetryingRun(capacity, capacity == 1 ? 150_000 : 4_000_000, seed: capacity, clearEvery: 0);
        }

        ConcurrentRun.Sample((capacity, items, seed) => AssertRetryingRun(capacity, items, seed, clearEvery: 0), iter: 3, threads: 1);
    }

    [Fact]
    public void Non_retrying_producer_loses_exactly_the_refused_writes()
    {
        foreach (int capacity in new[] { 1, 16, 1024 })
        {
            AssertDroppingRun(capacity, capacity == 1 ? 150_000 : 4_000_000, seed: capacity);
        }

        ConcurrentRun.Sample((capacity, items, seed) => AssertDroppingRun(capacity, items, seed), iter: 3, threads: 1);
    }

    [Fact]
    public void Consumer_clearing_while_the_producer_writes_drops_only_what_it_reports()
    {
        AssertRetryingRun(capacity: 256, items: 2_000_000, seed: 7, clearEvery: 10_007);
        AssertRetryingRun(capacity: 4, items: 300_000, seed: 8, clearEvery: 1_009);
    }

    /// <summary>
    /// Producer retries on full. Consumer checks every item is intact and exactly the next sequence
    /// number (or, after a Clear, further on by no more than Clear reported), peeking before every few reads.
    /// </summary>
    private void AssertRetryingRun(int capacity, int items, int seed, int clearEvery)
    {
        var ring = new SpscRing<Item>(capacity);
        var abort = new CancellationTokenSource();
        long producerFullSpins = 0;

        void Produce()
        {
            var spin = new SpinWait();
            for (long seq = 0; seq < items;)
            {
                if (ring.TryWrite(Item.For(seq)))
                {
                    seq++;
                    spin.Reset();
                    continue;
                }

                producerFullSpins++;
                if (abort.IsCancellationRequested)
                {
                    return;
                }

                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        long delivered = 0, cleared = 0, expected = 0, broken = 0, outOfOrder = 0, peekMismatches = 0;
        long firstBadSeq = -1;

        void Consume()
        {
            var rng = new Random(seed);
            var spin = new SpinWait();
            long reads = 0;
            while (expected < items)
            {
                Item p = default;
                bool peeked = (reads & 7) == 0 && ring.TryPeek(out p);
                if (!ring.TryRead(out Item item))
                {
                    if (abort.IsCancellationRequested)
                    {
                        return;
                    }

                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                spin.Reset();
                reads++;
                if (peeked && p != item)
                {
                    peekMismatches++;
                }

                if (!item.IsIntact)
                {
                    broken++;
                    firstBadSeq = firstBadSeq < 0 ? item.Seq : firstBadSeq;
                }

                if (item.Seq != expected)
                {
                    outOfOrder++;
                    firstBadSeq = firstBadSeq < 0 ? item.Seq : firstBadSeq;
                }

                expected = item.Seq + 1;
                delivered++;

                if (clearEvery > 0 && rng.Next(clearEvery) == 0)
                {
                    // What Clear drops is exactly the run of sequence numbers after the last one read.
                    int dropped = ring.Clear();
                    cleared += dropped;
                    expected += dropped;
                }
            }
        }

        TimeSpan elapsed = RunPair(Produce, Consume, abort, $"capacity {capacity}, {items} items");
        output.WriteLine($"retrying: capacity {ring.Capacity}, {items} items, {delivered} read, {cleared} cleared, {producerFullSpins} full, {elapsed.TotalMilliseconds:F0} ms");

        Assert.True(
            broken == 0 && outOfOrder == 0 && peekMismatches == 0,
            $"capacity {capacity} (seed {seed}): {broken} torn, {outOfOrder} out of order, {peekMismatches} peek mismatches, first bad seq {firstBadSeq}");
        Assert.Equal(items, delivered + cleared);
        Assert.Equal(items, expected);
        if (clearEvery == 0)
        {
            Assert.Equal(items, delivered);
        }
        Assert.Equal(0, ring.Count);
        // A retrying producer still counts its refused attempts.
        Assert.Equal(producerFullSpins, ring.Overflows);
    }

    /// <summary>
    /// Producer does not retry: every attempt is either stored or refused. The consumer (pausing now and then
    /// so the ring fills) must receive exactly the stored ones, in order, intact.
    /// </summary>
    private void AssertDroppingRun(int capacity, int items, int seed)
    {
        var ring = new SpscRing<Item>(capacity);
        var abort = new CancellationTokenSource();
        bool[] stored = new bool[items];
        long refused = 0;
        int producerDone = 0;

        void Produce()
        {
            var rng = new Random(seed);
            for (long seq = 0; seq < items; seq++)
            {
                if (ring.TryWrite(Item.For(seq)))
                {
                    stored[seq] = true;
                }
                else
                {
                    refused++;
                }

                // Bursts and pauses on the producer side too, so the ring sees both full and empty phases.
                if ((seq & 1023) == 0 && rng.Next(4) == 0)
                {
                    Thread.SpinWait(rng.Next(2_000));
                }
            }

            Volatile.Write(ref producerDone, 1);
        }

        long delivered = 0, last = -1, broken = 0, outOfOrder = 0, notStored = 0;

        void Consume()
        {
            var rng = new Random(~seed);
            var spin = new SpinWait();
            while (true)
            {
                // Read the flag before trying: if the producer was done and the ring is still empty, nothing more comes.
                bool done = Volatile.Read(ref producerDone) == 1;
                if (!ring.TryRead(out Item item))
                {
                    if (done || abort.IsCancellationRequested)
                    {
                        return;
                    }

                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                spin.Reset();
                broken += item.IsIntact ? 0 : 1;
                outOfOrder += item.Seq > last ? 0 : 1;
                last = item.Seq;
                delivered++;
                if ((delivered & 255) == 0 && rng.Next(3) == 0)
                {
                    Thread.SpinWait(rng.Next(4_000));
                }
            }
        }

        TimeSpan elapsed = RunPair(Produce, Consume, abort, $"capacity {capacity}, {items} attempts");
        output.WriteLine($"dropping: capacity {ring.Capacity}, {items} attempts, {delivered} delivered, {refused} refused, {elapsed.TotalMilliseconds:F0} ms");

        // The consumer finished after the producer: the stored flags are all visible now.
        for (int i = 0; i < items; i++)
        {
            notStored += stored[i] ? 0 : 1;
        }

        Assert.True(broken == 0 && outOfOrder == 0, $"capacity {capacity} (seed {seed}): {broken} torn, {outOfOrder} out of order");
        Assert.Equal(items, delivered + refused);
        Assert.Equal(refused, ring.Overflows);
        Assert.Equal(refused, notStored);
        Assert.Equal(0, ring.Count);
    }

    /// <summary>Runs both ends on their own threads and joins them; past the timeout both are told to stop and the test fails.</summary>
    private static TimeSpan RunPair(Action produce, Action consume, CancellationTokenSource abort, string what)
    {
        Exception? error = null;
        Thread Start(Action body, string name)
        {
            var t = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    error = e;
                    abort.Cancel();
                }
            })
            {
                IsBackground = true,
                Name = name,
            };
            t.Start();
            return t;
        }

        var clock = Stopwatch.StartNew();
        Thread consumer = Start(consume, "ring consumer");
        Thread producer = Start(produce, "ring producer");
        bool joined = producer.Join(ThreadTimeout) && consumer.Join(ThreadTimeout - clock.Elapsed > TimeSpan.Zero ? ThreadTimeout - clock.Elapsed : TimeSpan.Zero);
        if (!joined)
        {
            abort.Cancel();
            producer.Join(TimeSpan.FromSeconds(5));
            consumer.Join(TimeSpan.FromSeconds(5));
        }

        Assert.Null(error);
        Assert.True(joined, $"{what}: producer and consumer did not finish within {ThreadTimeout.TotalSeconds} s");
        return clock.Elapsed;
    }

    // ---- allocation ----

    [Fact]
    public void Write_and_read_allocate_nothing()
    {
        const int Pairs = 1_000_000;
        var ring = new SpscRing<Item>(64);

        // Warm-up: JIT the paths (tiering compiles on another thread; this one only runs the code).
        long failures = Pump(ring, 10_000);
        failures += Pump(ring, 10_000);

        long allocated = AllocationCount.During(() => failures += Pump(ring, Pairs));

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
        Assert.Equal(0, ring.Overflows);

        static long Pump(SpscRing<Item> ring, int pairs)
        {
            long failed = 0;
            for (int i = 0; i < pairs; i++)
            {
                // Half-full on average, so the wrap and the cached-index refresh are both on the measured path.
                if (!ring.TryWrite(Item.For(i)))
                {
                    failed++;
                }

                if ((i & 31) == 31)
                {
                    for (int k = 0; k < 32; k++)
                    {
                        if (!ring.TryRead(out Item item) || !item.IsIntact)
                        {
                            failed++;
                        }
                    }
                }
            }

            while (ring.TryRead(out _))
            {
            }

            return failed;
        }
    }
}
