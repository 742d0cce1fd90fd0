using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>
/// Describes one C++ interface an object exposes: its vtable and every IID it answers to (its own and
/// its bases', as C++ single inheritance lays them out in one vtable).
/// </summary>
public sealed unsafe class ComInterface(void** vtbl, params Tuid[] iids)
{
    public void** Vtbl { get; } = vtbl;

    public Tuid[] Iids { get; } = iids;
}

/// <summary>
/// A managed object seen by the host as a C++ object with one vtable pointer per interface, like
/// multiple inheritance in the SDK's C++ classes.
/// </summary>
/// <remarks>
/// Layout: one native block of slots { void** vtbl; nint gcHandle; }. An interface pointer is the address
/// of its slot, so `this` in every thunk finds the managed object through the handle beside the vtable.
/// The handle is strong while the host holds a reference; the last Release frees it and the block.
/// Slot 0 answers FUnknown, so queryInterface(FUnknown) gives one identity as COM requires.
/// </remarks>
public abstract unsafe class ComObject
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public void** Vtbl;
        public nint Handle;
    }

    private readonly ComInterface[] _interfaces;
    private Slot* _slots;
    private GCHandle _handle;
    private int _refCount = 1;

    protected ComObject(params ComInterface[] interfaces)
    {
        if (interfaces.Length == 0)
        {
            throw new ArgumentException("A COM object needs at least one interface.", nameof(interfaces));
        }

        _interfaces = interfaces;
        _handle = GCHandle.Alloc(this, GCHandleType.Normal);
        _slots = (Slot*)NativeMemory.AllocZeroed((nuint)interfaces.Length, (nuint)sizeof(Slot));
        for (int i = 0; i < interfaces.Length; i++)
        {
            _slots[i].Vtbl = interfaces[i].Vtbl;
            _slots[i].Handle = GCHandle.ToIntPtr(_handle);
        }
    }

    /// <summary>The host's current reference count (for tests and diagnostics).</summary>
    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>True once the last reference was released and the native block freed.</summary>
    public bool IsReleased => _slots == null;

    /// <summary>Pointer for the given interface, without adding a reference; 0 if not implemented.</summary>
    public nint GetInterfacePointer(in Tuid iid)
    {
        if (_slots == null)
        {
            return 0;
        }

        if (iid == Iids.FUnknown)
        {
            return (nint)_slots;
        }

        for (int i = 0; i < _interfaces.Length; i++)
        {
            foreach (Tuid candidate in _interfaces[i].Iids)
            {
                if (candidate == iid)
                {
                    return (nint)(_slots + i);
                }
            }
        }

        return 0;
    }

    /// <summary>Pointer for the given interface with a reference added for the caller.</summary>
    public nint QueryInterfacePointer(in Tuid iid)
    {
        nint p = GetInterfacePointer(iid);
        if (p != 0)
        {
            AddRef();
        }

        return p;
    }

    public uint AddRef() => (uint)Interlocked.Increment(ref _refCount);

    public uint Release()
    {
        int count = Interlocked.Decrement(ref _refCount);
        if (count == 0)
        {
            try
            {
                OnFinalRelease();
            }
            finally
            {
                Slot* slots = _slots;
                _slots = null;
                NativeMemory.Free(slots);
                _handle.Free();
            }
        }

        return (uint)Math.Max(count, 0);
    }

    /// <summary>Called once when the host drops its last reference: release what this object holds.</summary>
    protected virtual void OnFinalRelease()
    {
    }

    /// <summary>The managed object behind an interface pointer the host passed as `this`.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromThis<T>(nint self)
        where T : class
    {
        nint handle = ((Slot*)self)->Handle;
        return (T)GCHandle.FromIntPtr(handle).Target!;
    }

    // ---- FUnknown thunks, shared by every vtable this binding builds ----

    [UnmanagedCallersOnly]
    internal static int QueryInterfaceThunk(nint self, Tuid* iid, void** obj)
    {
        if (obj == null)
        {
            return Result.kInvalidArgument;
        }

        *obj = null;
        if (iid == null)
        {
            return Result.kInvalidArgument;
        }

        try
        {
            nint p = FromThis<ComObject>(self).QueryInterfacePointer(*iid);
            *obj = (void*)p;
            return p != 0 ? Result.kResultOk : Result.kNoInterface;
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    internal static uint AddRefThunk(nint self)
    {
        try
        {
            return FromThis<ComObject>(self).AddRef();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    internal static uint ReleaseThunk(nint self)
    {
        try
        {
            return FromThis<ComObject>(self).Release();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    /// <summary>Allocates a vtable with the three FUnknown entries filled in and room for the rest (also for
    /// host-side objects written in C#, such as test hosts).</summary>
    public static void** NewVtable(int methodCount)
    {
        var vtbl = (void**)NativeMemory.AllocZeroed((nuint)(3 + methodCount), (nuint)sizeof(void*));
        vtbl[0] = (delegate* unmanaged<nint, Tuid*, void**, int>)&QueryInterfaceThunk;
        vtbl[1] = (delegate* unmanaged<nint, uint>)&AddRefThunk;
        vtbl[2] = (delegate* unmanaged<nint, uint>)&ReleaseThunk;
        return vtbl;
    }
}

/// <summary>
/// The exception boundary: no exception may leave an [UnmanagedCallersOnly] method (it aborts the host).
/// Every thunk catches, records here and returns kInternalError.
/// </summary>
public static class Boundary
{
    private static int s_failures;
    private static Exception? s_last;

    /// <summary>How many calls from the host failed with an exception since load.</summary>
    public static int Failures => Volatile.Read(ref s_failures);

    /// <summary>The most recent exception that reached the boundary.</summary>
    public static Exception? LastException => Volatile.Read(ref s_last);

    public static int Fail(Exception e)
    {
        Interlocked.Increment(ref s_failures);
        Volatile.Write(ref s_last, e);
        return Result.kInternalError;
    }
}
