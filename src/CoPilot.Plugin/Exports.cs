using System.Runtime.InteropServices;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>
/// The C entry points a VST3 host looks up in the module (pluginterfaces/base/ipluginbase.h and the
/// module loaders of the SDK: ModuleEntry/ModuleExit on Linux, bundleEntry/bundleExit on macOS,
/// InitDll/ExitDll on Windows).
/// </summary>
/// <remarks>
/// The library is linked -z nodelete: after dlclose and dlopen the statics are the same, so every
/// entry point is idempotent and counted, as the SDK's module loaders expect.
/// </remarks>
internal static unsafe class Exports
{
    private static readonly Lock s_gate = new();
    private static int s_moduleRefs;
    private static PluginFactory? s_factory;

    [UnmanagedCallersOnly(EntryPoint = "GetPluginFactory")]
    public static nint GetPluginFactory()
    {
        try
        {
            lock (s_gate)
            {
                if (s_factory is { IsReleased: false } factory)
                {
                    factory.AddRef();
                    return factory.GetInterfacePointer(Iids.IPluginFactory);
                }

                factory = PluginInfo.CreateFactory();
                factory.Released += static f =>
                {
                    lock (s_gate)
                    {
                        if (ReferenceEquals(s_factory, f))
                        {
                            s_factory = null;
                        }
                    }
                };
                s_factory = factory;
                return factory.GetInterfacePointer(Iids.IPluginFactory);
            }
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ModuleEntry")]
    public static byte ModuleEntry(nint sharedLibraryHandle) => Enter();

    [UnmanagedCallersOnly(EntryPoint = "ModuleExit")]
    public static byte ModuleExit() => Exit();

    [UnmanagedCallersOnly(EntryPoint = "bundleEntry")]
    public static byte BundleEntry(nint bundleRef) => Enter();

    [UnmanagedCallersOnly(EntryPoint = "bundleExit")]
    public static byte BundleExit() => Exit();

    [UnmanagedCallersOnly(EntryPoint = "InitDll")]
    public static byte InitDll() => Enter();

    [UnmanagedCallersOnly(EntryPoint = "ExitDll")]
    public static byte ExitDll() => Exit();

    /// <summary>
    /// Diagnostic export for host-level tests: garbage collections so far (all generations) and managed
    /// bytes allocated since load. Native allocation counters cannot see managed allocation (DESIGN.md).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "CoPilot_GetRuntimeStats")]
    public static int GetRuntimeStats(long* gcCollections, long* allocatedBytes)
    {
        try
        {
            if (gcCollections != null)
            {
                long collections = 0;
                for (int g = 0; g <= GC.MaxGeneration; g++)
                {
                    collections += GC.CollectionCount(g);
                }

                *gcCollections = collections;
            }

            if (allocatedBytes != null)
            {
                // Not precise: the precise count suspends every managed thread, the audio thread included, which
                // would stall the very run it measures. The cost is granularity: allocations are seen in
                // allocation-context chunks (about 8 KB), so one small allocation shows as ~8 KB, never as 0.
                *allocatedBytes = GC.GetTotalAllocatedBytes(precise: false);
            }

            return 0;
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 1;
        }
    }

    /// <summary>
    /// Diagnostic export: managed bytes allocated since load on the audio thread (inside process(), measured
    /// per call) and on the inference threads (measured per thread). Exact, unlike the process-wide count.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "CoPilot_GetThreadAllocations")]
    public static int GetThreadAllocations(long* audioThreadBytes, long* inferenceThreadBytes)
    {
        try
        {
            if (audioThreadBytes != null)
            {
                *audioThreadBytes = RealtimeGuard.TotalBytes;
            }

            if (inferenceThreadBytes != null)
            {
                *inferenceThreadBytes = Inference.InferenceWorker.AllWorkersAllocatedBytes;
            }

            return 0;
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 1;
        }
    }

    private static byte Enter()
    {
        lock (s_gate)
        {
            s_moduleRefs++;
            return 1;
        }
    }

    private static byte Exit()
    {
        lock (s_gate)
        {
            if (s_moduleRefs == 0)
            {
                return 0; // exit without entry: tell the host, change nothing
            }

            s_moduleRefs--;
            return 1;
        }
    }
}
