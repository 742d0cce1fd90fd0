using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CoPilot.Core;

/// <summary>
/// A bounded single-producer single-consumer queue of unmanaged values, for crossing between the audio
/// thread and one other thread.
/// </summary>
/// <remarks>
/// The algorithm is Lamport's ring with the refinements of cameron314/readerwriterqueue and farbot:
/// <list type="bullet">
/// <item>Capacity is a power of two, allocated once; the indices run freely and are masked on use.</item>
/// <item>The producer owns <c>tail</c>, the consumer owns <c>head</c>; each is written by one thread only
/// (a counter written by both threads is the classic bug) and sits on its own cache line, next to the
/// owner's cached copy of the other index, so the fast path reads no line the other thread writes.</item>
/// <item>Publication is release/acquire: the producer writes the slot and then the tail with
/// <see cref="Volatile.Write(ref long, long)"/>; the consumer reads the tail with
/// <see cref="Volatile.Read(ref long)"/> before the slot.</item>
/// <item>Full policy: <see cref="TryWrite"/> fails and counts the overflow; nothing blocks, nothing grows,
/// nothing allocates. Empty policy: <see cref="TryRead"/> fails.</item>
/// </list>
/// </remarks>
public sealed class SpscRing<T>
    where T : unmanaged
{
    private readonly T[] _slots;
    private readonly long _mask;
    private RingIndices _indices;

    /// <param name="capacity">Rounded up to a power of two.</param>
    public SpscRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = GC.AllocateUninitializedArray<T>(size, pinned: true);
        _mask = size - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Writes refused because the ring was full (producer's count, readable from any thread).</summary>
    public long Overflows => Volatile.Read(ref _indices.Overflows);

    /// <summary>Approximate number of items waiting (exact when called by either endpoint while the other is idle).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref _indices.Tail) - Volatile.Read(ref _indices.Head));

    /// <summary>[producer] Appends <paramref name="item"/>; false (and counted) if full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(in T item)
    {
        long tail = _indices.Tail;
        if (tail - _indices.HeadCache >= _slots.Length)
        {
            _indices.HeadCache = Volatile.Read(ref _indices.Head);
            if (tail - _indices.HeadCache >= _slots.Length)
            {
                Volatile.Write(ref _indices.Overflows, _indices.Overflows + 1);
                return false;
            }
        }

        _slots[tail & _mask] = item;
        Volatile.Write(ref _indices.Tail, tail + 1);
        return true;
    }

    /// <summary>[consumer] Takes the oldest item; false if empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out T item)
    {
        if (!TryPeek(out item))
        {
            return false;
        }

        Volatile.Write(ref _indices.Head, _indices.Head + 1);
        return true;
    }

    /// <summary>[consumer] Looks at the oldest item without taking it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPeek(out T item)
    {
        long head = _indices.Head;
        if (head >= _indices.TailCache)
        {
            _indices.TailCache = Volatile.Read(ref _indices.Tail);
            if (head >= _indices.TailCache)
            {
                item = default;
                return false;
            }
        }

        item = _slots[head & _mask];
        return true;
    }

    /// <summary>[consumer] Drops everything currently readable; returns how many.</summary>
    public int Clear()
    {
        long tail = Volatile.Read(ref _indices.Tail);
        long head = _indices.Head;
        _indices.TailCache = tail;
        Volatile.Write(ref _indices.Head, tail);
        return (int)(tail - head);
    }
}

/// <summary>
/// The ring's indices, each owner's on its own cache line (128 bytes rather than 64: adjacent-line
/// prefetching on x86 pulls lines in pairs). A separate non-generic type: generic types cannot have
/// explicit layout.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
internal struct RingIndices
{
    private const int CacheLine = 128;

    // Consumer line: head (owned) and the consumer's cached view of tail.
    [FieldOffset(CacheLine)] public long Head;
    [FieldOffset(CacheLine + 8)] public long TailCache;

    // Producer line: tail (owned), the producer's cached view of head, and the overflow count.
    [FieldOffset(2 * CacheLine)] public long Tail;
    [FieldOffset((2 * CacheLine) + 8)] public long HeadCache;
    [FieldOffset((2 * CacheLine) + 16)] public long Overflows;
}

