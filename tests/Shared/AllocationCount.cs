namespace CoPilot.TestSupport;

/// <summary>
/// Bytes the current thread allocates while an action runs, read in a stretch without a garbage collection.
/// </summary>
/// <remarks>
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> can move when a collection runs in the middle of the
/// measurement (dotnet/coreclr#10207): a 256-step decoder run under the CI's parallel test load once read
/// 6,128 B although the same run reads 0 B whenever no other test collects meanwhile. So an attempt that a
/// collection interrupted and that counted bytes is measured again. The last attempt's count stands whatever
/// happened, so code that really allocates still fails with its number.
/// </remarks>
internal static class AllocationCount
{
    public static long During(Action action, int attempts = 5)
    {
        ArgumentNullException.ThrowIfNull(action);
        long allocated = 0;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0 || GC.CollectionCount(0) == collections)
            {
                return allocated;
            }
        }

        return allocated;
    }
}
