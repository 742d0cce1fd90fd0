using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>FUnknown semantics of <see cref="ComObject"/>, exercised through the real vtables.</summary>
public unsafe class ComObjectTests
{
    private static void ReleaseAll(ConnectionMidiObject o)
    {
        while (!o.IsReleased)
        {
            o.Release();
        }
    }

    [Fact]
    public void Interface_pointers_are_distinct_slots_and_each_vtable_starts_with_the_funknown_thunks()
    {
        var o = new ConnectionMidiObject();
        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);
        nint mm = o.GetInterfacePointer(Iids.IMidiMapping);
        Assert.NotEqual(0, cp);
        Assert.NotEqual(0, mm);
        Assert.NotEqual(cp, mm);
        Assert.Equal(0, o.GetInterfacePointer(Iids.IEditController));

        // Both vtables share QueryInterface/AddRef/Release but differ after them.
        Assert.True(Vtbl.Slot(cp, 0) == Vtbl.Slot(mm, 0));
        Assert.True(Vtbl.Slot(cp, 1) == Vtbl.Slot(mm, 1));
        Assert.True(Vtbl.Slot(cp, 2) == Vtbl.Slot(mm, 2));
        Assert.True(Vtbl.Slot(cp, 3) != Vtbl.Slot(mm, 3));
        Assert.Equal(1, o.RefCount); // GetInterfacePointer adds no reference
        o.Release();
    }

    [Fact]
    public void QueryInterface_for_FUnknown_gives_one_identity_from_every_interface()
    {
        var o = new ConnectionMidiObject();
        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);
        nint mm = o.GetInterfacePointer(Iids.IMidiMapping);

        Assert.Equal(Result.kResultOk, Vtbl.QueryInterface(cp, Iids.FUnknown, out nint fromCp));
        Assert.Equal(Result.kResultOk, Vtbl.QueryInterface(mm, Iids.FUnknown, out nint fromMm));
        Assert.NotEqual(0, fromCp);
        Assert.Equal(fromCp, fromMm);
        Assert.Equal(3, o.RefCount); // each successful QI adds one

        // And back from the identity (and across interfaces) to each interface.
        Assert.Equal(Result.kResultOk, Vtbl.QueryInterface(fromCp, Iids.IMidiMapping, out nint mm2));
        Assert.Equal(mm, mm2);
        Assert.Equal(Result.kResultOk, Vtbl.QueryInterface(mm, Iids.IConnectionPoint, out nint cp2));
        Assert.Equal(cp, cp2);
        Assert.Equal(5, o.RefCount);

        Assert.Equal(4u, Vtbl.Release(fromCp));
        Assert.Equal(3u, Vtbl.Release(fromMm));
        Assert.Equal(2u, Vtbl.Release(mm2));
        Assert.Equal(1u, Vtbl.Release(cp2));
        Assert.False(o.IsReleased);
        Assert.Equal(0u, Vtbl.Release(cp));
        Assert.True(o.IsReleased);
    }

    [Fact]
    public void QueryInterface_for_an_unknown_iid_returns_kNoInterface_and_nulls_the_out_pointer()
    {
        var o = new ConnectionMidiObject();
        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);

        Assert.Equal(-1, Vtbl.QueryInterface(cp, Iids.IAudioProcessor, out nint p));
        Assert.Equal(0, p);
        Assert.Equal(-1, Vtbl.QueryInterface(cp, Tuid.FromWords(0xDEADBEEF, 1, 2, 3, comCompatible: false), out p));
        Assert.Equal(0, p);
        Assert.Equal(1, o.RefCount); // no reference added on failure
        ReleaseAll(o);
    }

    [Fact]
    public void QueryInterface_with_null_pointers_returns_kInvalidArgument()
    {
        var o = new ConnectionMidiObject();
        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);
        var qi = (delegate* unmanaged<nint, Tuid*, void**, int>)Vtbl.Slot(cp, 0);

        Tuid iid = Iids.IConnectionPoint;
        Assert.Equal(Result.kInvalidArgument, qi(cp, &iid, null));

        void* obj = (void*)0x1234;
        Assert.Equal(Result.kInvalidArgument, qi(cp, null, &obj));
        Assert.True(obj == null);
        Assert.Equal(1, o.RefCount);
        ReleaseAll(o);
    }

    [Fact]
    public void AddRef_and_Release_count_up_and_down_and_the_last_release_frees_once()
    {
        var o = new ConnectionMidiObject();
        nint mm = o.GetInterfacePointer(Iids.IMidiMapping);

        Assert.Equal(2u, Vtbl.AddRef(mm));
        Assert.Equal(3u, Vtbl.AddRef(mm));
        Assert.Equal(3, o.RefCount);
        Assert.Equal(2u, Vtbl.Release(mm));
        Assert.Equal(1u, Vtbl.Release(mm));
        Assert.False(o.IsReleased);
        Assert.Equal(0, o.FinalReleases);

        Assert.Equal(0u, Vtbl.Release(mm));
        Assert.True(o.IsReleased);
        Assert.Equal(1, o.FinalReleases);
        Assert.Equal(0, o.GetInterfacePointer(Iids.IMidiMapping));
        Assert.Equal(0, o.QueryInterfacePointer(Iids.FUnknown));

        // A host that over-releases must not finalize (or free) twice.
        Assert.Equal(0u, o.Release());
        Assert.Equal(1, o.FinalReleases);
    }

    [Fact]
    public void Methods_reach_the_managed_object_through_the_second_interface_slot()
    {
        var o = new ConnectionMidiObject();
        nint mm = o.GetInterfacePointer(Iids.IMidiMapping);
        var get = (delegate* unmanaged<nint, int, short, short, uint*, int>)Vtbl.Slot(mm, 3);

        uint id = 0;
        Assert.Equal(Result.kResultOk, get(mm, 0, 5, ControllerNumbers.kCtrlModWheel, &id));
        Assert.Equal(1005u, id);
        Assert.Equal(Result.kResultFalse, get(mm, 0, 5, ControllerNumbers.kCtrlSustainOnOff, &id));
        Assert.Equal(0u, id);
        Assert.Equal(Result.kInvalidArgument, get(mm, 0, 5, ControllerNumbers.kCtrlModWheel, null));

        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);
        var connect = (delegate* unmanaged<nint, nint, int>)Vtbl.Slot(cp, 3);
        var notify = (delegate* unmanaged<nint, nint, int>)Vtbl.Slot(cp, 5);
        Assert.Equal(Result.kResultOk, connect(cp, 0x4242));
        Assert.Equal(0x4242, o.Connected);
        Assert.Equal(Result.kInvalidArgument, connect(cp, 0));
        Assert.Equal(Result.kNotImplemented, notify(cp, 0x1111));
        ReleaseAll(o);
    }

    [Fact]
    public void An_object_without_interfaces_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new NoInterfaces());
    }

    private sealed class NoInterfaces : ComObject
    {
        public NoInterfaces()
            : base()
        {
        }
    }
}

[CollectionDefinition(nameof(BoundaryCollection), DisableParallelization = true)]
public sealed class BoundaryCollection
{
}

/// <summary>Exceptions must never cross the thunks; they come back as kInternalError and are counted.</summary>
[Collection(nameof(BoundaryCollection))]
public unsafe class BoundaryTests
{
    [Fact]
    public void An_exception_in_an_implementation_comes_back_as_kInternalError()
    {
        var o = new ConnectionMidiObject { ThrowOnConnect = new InvalidOperationException("boom") };
        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);
        var connect = (delegate* unmanaged<nint, nint, int>)Vtbl.Slot(cp, 3);

        int before = Boundary.Failures;
        int r = connect(cp, 0x4242);

        Assert.Equal(4, r);
        Assert.Equal(Result.kInternalError, r);
        Assert.Equal(before + 1, Boundary.Failures);
        Assert.Same(o.ThrowOnConnect, Boundary.LastException);
        Assert.Equal(0, o.Connected);
        o.Release();
    }

    [Fact]
    public void An_exception_in_OnFinalRelease_still_frees_the_object_and_is_counted()
    {
        var o = new ConnectionMidiObject { ThrowOnFinalRelease = new InvalidOperationException("final") };
        nint cp = o.GetInterfacePointer(Iids.IConnectionPoint);

        int before = Boundary.Failures;
        uint r = Vtbl.Release(cp);

        Assert.Equal(0u, r);
        Assert.True(o.IsReleased);
        Assert.Equal(1, o.FinalReleases);
        Assert.Equal(before + 1, Boundary.Failures);
        Assert.Same(o.ThrowOnFinalRelease, Boundary.LastException);
    }
}
