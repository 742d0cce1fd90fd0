using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>Calls an object the way a C++ host does: through the function pointers in its vtable.</summary>
internal static unsafe class Vtbl
{
    public static void* Slot(nint obj, int index) => (*(void***)obj)[index];

    public static int QueryInterface(nint obj, Tuid iid, out nint result)
    {
        void* p = (void*)0xBADC0DE; // must be overwritten whatever the outcome
        int r = ((delegate* unmanaged<nint, Tuid*, void**, int>)Slot(obj, 0))(obj, &iid, &p);
        result = (nint)p;
        return r;
    }

    public static uint AddRef(nint obj) => ((delegate* unmanaged<nint, uint>)Slot(obj, 1))(obj);

    public static uint Release(nint obj) => ((delegate* unmanaged<nint, uint>)Slot(obj, 2))(obj);
}

/// <summary>A plugin-side object with two interfaces, like a controller that is also a connection point.</summary>
internal sealed class ConnectionMidiObject : ComObject, IConnectionPoint, IMidiMapping
{
    public ConnectionMidiObject()
        : base(IConnectionPointVtbl.Interface, IMidiMappingVtbl.Interface)
    {
    }

    public int FinalReleases { get; private set; }

    public Exception? ThrowOnConnect { get; set; }

    public Exception? ThrowOnFinalRelease { get; set; }

    public nint Connected { get; private set; }

    public int Connect(IConnectionPointPtr other)
    {
        if (ThrowOnConnect is { } e)
        {
            throw e;
        }

        Connected = other.Ptr;
        return Result.kResultOk;
    }

    public int Disconnect(IConnectionPointPtr other)
    {
        Connected = 0;
        return Result.kResultOk;
    }

    public int Notify(IMessagePtr message) => Result.kNotImplemented;

    public int GetMidiControllerAssignment(int busIndex, short channel, short midiControllerNumber, out uint id)
    {
        if (busIndex == 0 && midiControllerNumber == ControllerNumbers.kCtrlModWheel)
        {
            id = 1000u + (uint)channel;
            return Result.kResultOk;
        }

        id = 0;
        return Result.kResultFalse;
    }

    protected override void OnFinalRelease()
    {
        FinalReleases++;
        if (ThrowOnFinalRelease is { } e)
        {
            throw e;
        }
    }
}
