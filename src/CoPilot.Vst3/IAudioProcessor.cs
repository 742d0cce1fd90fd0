using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: IAudioProcessor.</summary>
/// <remarks>Process is called on the host's audio thread; everything else on the UI thread.</remarks>
public unsafe interface IAudioProcessor
{
    int SetBusArrangements(ulong* inputs, int numIns, ulong* outputs, int numOuts);

    int GetBusArrangement(int dir, int index, ulong* arr);

    int CanProcessSampleSize(int symbolicSampleSize);

    uint GetLatencySamples();

    int SetupProcessing(ProcessSetup* setup);

    int SetProcessing(bool state);

    /// <summary>[audio thread] No allocation, no locks, no blocking, no exceptions.</summary>
    int Process_rt(ProcessData* data);

    uint GetTailSamples();
}

/// <summary>pluginterfaces/vst/ivstaudioprocessor.h: IProcessContextRequirements.</summary>
public interface IProcessContextRequirements
{
    uint GetProcessContextRequirements();
}

/// <summary>
/// Runs around every process() call, as nih-plug's process wrapper does: it measures managed allocation
/// on the audio thread and counts the calls that allocated (tests assert there are none).
/// </summary>
/// <remarks>
/// On in every build: it costs two reads of a thread-local counter per block, and it lets host-level
/// tests of the release bundle see audio-thread allocation exactly (CoPilot_GetThreadAllocations),
/// which the process-wide, allocation-context-granular counter cannot.
/// </remarks>
public static class RealtimeGuard
{
    private static long s_violations;
    private static long s_lastViolationBytes;
    private static long s_totalBytes;

    /// <summary>process() calls that allocated managed memory.</summary>
    public static long Violations => Interlocked.Read(ref s_violations);

    public static long LastViolationBytes => Interlocked.Read(ref s_lastViolationBytes);

    /// <summary>Managed bytes allocated inside process() calls since load (or the last Reset).</summary>
    public static long TotalBytes => Interlocked.Read(ref s_totalBytes);

    /// <summary>Measuring can be switched off, e.g. to compare its cost in a benchmark.</summary>
    public static bool Enabled { get; set; } = true;

    internal static long Enter() => Enabled ? GC.GetAllocatedBytesForCurrentThread() : 0;

    internal static void Exit(long before)
    {
        if (!Enabled)
        {
            return;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated != 0)
        {
            Interlocked.Increment(ref s_violations);
            Interlocked.Exchange(ref s_lastViolationBytes, allocated);
            Interlocked.Add(ref s_totalBytes, allocated);
        }
    }

    public static void Reset()
    {
        Interlocked.Exchange(ref s_violations, 0);
        Interlocked.Exchange(ref s_lastViolationBytes, 0);
        Interlocked.Exchange(ref s_totalBytes, 0);
    }
}

/// <summary>The C++ vtable of IAudioProcessor.</summary>
public static unsafe class IAudioProcessorVtbl
{
    public static readonly ComInterface Interface = new(Build(), Iids.IAudioProcessor);

    private static void** Build()
    {
        void** v = ComObject.NewVtable(8);
        v[3] = (delegate* unmanaged<nint, ulong*, int, ulong*, int, int>)&SetBusArrangements;
        v[4] = (delegate* unmanaged<nint, int, int, ulong*, int>)&GetBusArrangement;
        v[5] = (delegate* unmanaged<nint, int, int>)&CanProcessSampleSize;
        v[6] = (delegate* unmanaged<nint, uint>)&GetLatencySamples;
        v[7] = (delegate* unmanaged<nint, ProcessSetup*, int>)&SetupProcessing;
        v[8] = (delegate* unmanaged<nint, byte, int>)&SetProcessing;
        v[9] = (delegate* unmanaged<nint, ProcessData*, int>)&Process;
        v[10] = (delegate* unmanaged<nint, uint>)&GetTailSamples;
        return v;
    }

    private static IAudioProcessor Self(nint self) => ComObject.FromThis<IAudioProcessor>(self);

    [UnmanagedCallersOnly]
    private static int SetBusArrangements(nint self, ulong* inputs, int numIns, ulong* outputs, int numOuts)
    {
        try
        {
            if (numIns < 0 || numOuts < 0 || (numIns > 0 && inputs == null) || (numOuts > 0 && outputs == null))
            {
                return Result.kInvalidArgument;
            }

            return Self(self).SetBusArrangements(inputs, numIns, outputs, numOuts);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetBusArrangement(nint self, int dir, int index, ulong* arr)
    {
        try
        {
            return arr == null ? Result.kInvalidArgument : Self(self).GetBusArrangement(dir, index, arr);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int CanProcessSampleSize(nint self, int size)
    {
        try
        {
            return Self(self).CanProcessSampleSize(size);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static uint GetLatencySamples(nint self)
    {
        try
        {
            return Self(self).GetLatencySamples();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetupProcessing(nint self, ProcessSetup* setup)
    {
        try
        {
            return setup == null ? Result.kInvalidArgument : Self(self).SetupProcessing(setup);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetProcessing(nint self, byte state)
    {
        try
        {
            return Self(self).SetProcessing(state != 0);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Process(nint self, ProcessData* data)
    {
        long before = RealtimeGuard.Enter();
        try
        {
            return data == null ? Result.kInvalidArgument : Self(self).Process_rt(data);
        }
        catch (Exception e)
        {
            // Unreachable by design (the audio path throws nothing); a last resort so the host survives.
            return Boundary.Fail(e);
        }
        finally
        {
            RealtimeGuard.Exit(before);
        }
    }

    [UnmanagedCallersOnly]
    private static uint GetTailSamples(nint self)
    {
        try
        {
            return Self(self).GetTailSamples();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }
}

/// <summary>The C++ vtable of IProcessContextRequirements.</summary>
public static unsafe class IProcessContextRequirementsVtbl
{
    public static readonly ComInterface Interface = new(Build(), Iids.IProcessContextRequirements);

    private static void** Build()
    {
        void** v = ComObject.NewVtable(1);
        v[3] = (delegate* unmanaged<nint, uint>)&GetProcessContextRequirements;
        return v;
    }

    [UnmanagedCallersOnly]
    private static uint GetProcessContextRequirements(nint self)
    {
        try
        {
            return ComObject.FromThis<IProcessContextRequirements>(self).GetProcessContextRequirements();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }
}
