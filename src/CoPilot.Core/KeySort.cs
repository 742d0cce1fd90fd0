namespace CoPilot.Core;

/// <summary>
/// In-place sort of 64-bit keys for the audio thread.
/// </summary>
/// <remarks>
/// Why not <c>Span&lt;long&gt;.Sort()</c>: under NativeAOT it goes through <c>ArraySortHelper&lt;T&gt;</c>,
/// which allocates a <c>Comparison&lt;T&gt;</c> delegate on every call (seen with gdb on the host's audio
/// thread). Insertion sort for the usual handful of events per block (nearly sorted already), heapsort
/// above that: O(n log n) worst case, no recursion, no allocation.
/// </remarks>
public static class KeySort
{
    private const int InsertionLimit = 24;

    public static void Sort(Span<long> keys)
    {
        if (keys.Length <= InsertionLimit)
        {
            InsertionSort(keys);
            return;
        }

        for (int i = (keys.Length / 2) - 1; i >= 0; i--)
        {
            SiftDown(keys, i, keys.Length);
        }

        for (int end = keys.Length - 1; end > 0; end--)
        {
            (keys[0], keys[end]) = (keys[end], keys[0]);
            SiftDown(keys, 0, end);
        }
    }

    private static void InsertionSort(Span<long> keys)
    {
        for (int i = 1; i < keys.Length; i++)
        {
            long key = keys[i];
            int j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = key;
        }
    }

    private static void SiftDown(Span<long> keys, int root, int count)
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && keys[child + 1] > keys[child])
            {
                child++;
            }

            if (keys[root] >= keys[child])
            {
                return;
            }

            (keys[root], keys[child]) = (keys[child], keys[root]);
            root = child;
        }
    }
}
