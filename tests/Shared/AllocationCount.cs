namespace CoPilot.TestSupport;

/// <summary>
/// Bytes the current thread allocates while an action runs once it is warm: the action is measured again when an
/// attempt counted bytes, and the last attempt's count stands.
/// </summary>
/// <remarks>
/// Under the CI's parallel load, three allocation tests (a 256-step decoder run, a million ring writes, ten model
/// answers) each once counted 6-8 KB on the test thread, about one allocation context, in code that counts 0 B in
/// every quiet run and whose every path had already run. A steady allocation (per step, per call, per answer) shows on
/// every attempt and still fails the test with its number; a one-off cost of the runtime's first use does not repeat.
/// A probe with another thread collecting a thousand times did not move the counter of a thread that allocated
/// nothing, so collections alone do not explain those bytes; the runtime's own first-use work under load (tiering,
/// on-stack replacement) is the likelier source, and is what this tolerates.
/// </remarks>
internal static class AllocationCount
{
    public static long During(Action action, int attempts = 3)
    {
        ArgumentNullException.ThrowIfNull(action);
        long allocated = 0;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return 0;
            }
        }

        return allocated;
    }
}
