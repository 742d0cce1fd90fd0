using System.Runtime.CompilerServices;

namespace CoPilot.Vst3;

// Interfaces the host implements and the plugin calls, as thin structs over the C++ object pointer.
// Each call goes through the object's vtable with a function pointer: no delegates, no allocation, so
// the audio thread may use the event and parameter lists. Slot numbers follow the headers' declaration
// order after FUnknown's three methods.

internal static unsafe class VtblOf
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void* Slot(nint obj, int index) => (*(void***)obj)[index];
}

/// <summary>pluginterfaces/base/funknown.h: FUnknown, as a host object.</summary>
public readonly unsafe struct FUnknownPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    /// <summary>queryInterface; the returned pointer carries a reference the caller must release.</summary>
    public nint QueryInterface(in Tuid iid)
    {
        if (Ptr == 0)
        {
            return 0;
        }

        void* obj = null;
        Tuid copy = iid;
        int r = ((delegate* unmanaged<nint, Tuid*, void**, int>)VtblOf.Slot(Ptr, 0))(Ptr, &copy, &obj);
        return r == Result.kResultOk ? (nint)obj : 0;
    }

    public uint AddRef() => Ptr == 0 ? 0 : ((delegate* unmanaged<nint, uint>)VtblOf.Slot(Ptr, 1))(Ptr);

    public uint Release() => Ptr == 0 ? 0 : ((delegate* unmanaged<nint, uint>)VtblOf.Slot(Ptr, 2))(Ptr);
}

/// <summary>pluginterfaces/base/ibstream.h: IBStream.</summary>
public readonly unsafe struct IBStreamPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public int Read(void* buffer, int numBytes, out int numBytesRead)
    {
        int n = 0;
        int r = ((delegate* unmanaged<nint, void*, int, int*, int>)VtblOf.Slot(Ptr, 3))(Ptr, buffer, numBytes, &n);
        numBytesRead = n;
        return r;
    }

    public int Write(void* buffer, int numBytes, out int numBytesWritten)
    {
        int n = 0;
        int r = ((delegate* unmanaged<nint, void*, int, int*, int>)VtblOf.Slot(Ptr, 4))(Ptr, buffer, numBytes, &n);
        numBytesWritten = n;
        return r;
    }

    public int Seek(long pos, int mode, out long result)
    {
        long p = 0;
        int r = ((delegate* unmanaged<nint, long, int, long*, int>)VtblOf.Slot(Ptr, 5))(Ptr, pos, mode, &p);
        result = p;
        return r;
    }

    public int Tell(out long pos)
    {
        long p = 0;
        int r = ((delegate* unmanaged<nint, long*, int>)VtblOf.Slot(Ptr, 6))(Ptr, &p);
        pos = p;
        return r;
    }

    /// <summary>Reads exactly buffer.Length bytes, looping over short reads; false if the stream ends first.</summary>
    public bool ReadExactly(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                if (Read(p + done, buffer.Length - done, out int n) != Result.kResultOk || n <= 0 || n > buffer.Length - done)
                {
                    return false;
                }

                done += n;
            }
        }

        return true;
    }

    /// <summary>Reads up to buffer.Length bytes until the stream ends; returns how many were read.</summary>
    public int ReadToEnd(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                if (Read(p + done, buffer.Length - done, out int n) != Result.kResultOk || n <= 0 || n > buffer.Length - done)
                {
                    break;
                }

                done += n;
            }

            return done;
        }
    }

    public bool WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                if (Write(p + done, data.Length - done, out int n) != Result.kResultOk || n <= 0)
                {
                    return false;
                }

                done += n;
            }
        }

        return true;
    }
}

/// <summary>pluginterfaces/vst/ivstevents.h: IEventList. [audio thread]</summary>
public readonly unsafe struct IEventListPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    public int GetEventCount() => ((delegate* unmanaged<nint, int>)VtblOf.Slot(Ptr, 3))(Ptr);

    public int GetEvent(int index, Event* e) => ((delegate* unmanaged<nint, int, Event*, int>)VtblOf.Slot(Ptr, 4))(Ptr, index, e);

    public int AddEvent(Event* e) => ((delegate* unmanaged<nint, Event*, int>)VtblOf.Slot(Ptr, 5))(Ptr, e);
}

/// <summary>pluginterfaces/vst/ivstparameterchanges.h: IParamValueQueue. [audio thread]</summary>
public readonly unsafe struct IParamValueQueuePtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    public uint GetParameterId() => ((delegate* unmanaged<nint, uint>)VtblOf.Slot(Ptr, 3))(Ptr);

    public int GetPointCount() => ((delegate* unmanaged<nint, int>)VtblOf.Slot(Ptr, 4))(Ptr);

    public int GetPoint(int index, out int sampleOffset, out double value)
    {
        int offset = 0;
        double v = 0;
        int r = ((delegate* unmanaged<nint, int, int*, double*, int>)VtblOf.Slot(Ptr, 5))(Ptr, index, &offset, &v);
        sampleOffset = offset;
        value = v;
        return r;
    }

    public int AddPoint(int sampleOffset, double value, out int index)
    {
        int i = 0;
        int r = ((delegate* unmanaged<nint, int, double, int*, int>)VtblOf.Slot(Ptr, 6))(Ptr, sampleOffset, value, &i);
        index = i;
        return r;
    }
}

/// <summary>pluginterfaces/vst/ivstparameterchanges.h: IParameterChanges. [audio thread]</summary>
public readonly unsafe struct IParameterChangesPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    public int GetParameterCount() => ((delegate* unmanaged<nint, int>)VtblOf.Slot(Ptr, 3))(Ptr);

    public IParamValueQueuePtr GetParameterData(int index) =>
        new(((delegate* unmanaged<nint, int, nint>)VtblOf.Slot(Ptr, 4))(Ptr, index));

    public IParamValueQueuePtr AddParameterData(uint id, out int index)
    {
        int i = 0;
        uint copy = id;
        nint q = ((delegate* unmanaged<nint, uint*, int*, nint>)VtblOf.Slot(Ptr, 5))(Ptr, &copy, &i);
        index = i;
        return new IParamValueQueuePtr(q);
    }
}

/// <summary>pluginterfaces/vst/ivsteditcontroller.h: IComponentHandler. [UI thread]</summary>
public readonly unsafe struct IComponentHandlerPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    public int BeginEdit(uint id) => ((delegate* unmanaged<nint, uint, int>)VtblOf.Slot(Ptr, 3))(Ptr, id);

    public int PerformEdit(uint id, double valueNormalized) =>
        ((delegate* unmanaged<nint, uint, double, int>)VtblOf.Slot(Ptr, 4))(Ptr, id, valueNormalized);

    public int EndEdit(uint id) => ((delegate* unmanaged<nint, uint, int>)VtblOf.Slot(Ptr, 5))(Ptr, id);

    public int RestartComponent(int flags) => ((delegate* unmanaged<nint, int, int>)VtblOf.Slot(Ptr, 6))(Ptr, flags);
}

/// <summary>pluginterfaces/vst/ivstmessage.h: IConnectionPoint, as the peer object.</summary>
public readonly unsafe struct IConnectionPointPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    public int Connect(IConnectionPointPtr other) => ((delegate* unmanaged<nint, nint, int>)VtblOf.Slot(Ptr, 3))(Ptr, other.Ptr);

    public int Disconnect(IConnectionPointPtr other) => ((delegate* unmanaged<nint, nint, int>)VtblOf.Slot(Ptr, 4))(Ptr, other.Ptr);

    public int Notify(IMessagePtr message) => ((delegate* unmanaged<nint, nint, int>)VtblOf.Slot(Ptr, 5))(Ptr, message.Ptr);
}

/// <summary>pluginterfaces/vst/ivstmessage.h: IMessage.</summary>
public readonly unsafe struct IMessagePtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    /// <summary>The message ID as the host's zero-terminated ASCII string; empty if none.</summary>
    public ReadOnlySpan<byte> GetMessageID()
    {
        byte* id = ((delegate* unmanaged<nint, byte*>)VtblOf.Slot(Ptr, 3))(Ptr);
        return id == null ? default : System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(id);
    }

    public void SetMessageID(byte* id) => ((delegate* unmanaged<nint, byte*, void>)VtblOf.Slot(Ptr, 4))(Ptr, id);

    public IAttributeListPtr GetAttributes() => new(((delegate* unmanaged<nint, nint>)VtblOf.Slot(Ptr, 5))(Ptr));
}

/// <summary>pluginterfaces/vst/ivstattributes.h: IAttributeList.</summary>
public readonly unsafe struct IAttributeListPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    public int SetInt(byte* id, long value) => ((delegate* unmanaged<nint, byte*, long, int>)VtblOf.Slot(Ptr, 3))(Ptr, id, value);

    public int GetInt(byte* id, out long value)
    {
        long v = 0;
        int r = ((delegate* unmanaged<nint, byte*, long*, int>)VtblOf.Slot(Ptr, 4))(Ptr, id, &v);
        value = v;
        return r;
    }
}

/// <summary>pluginterfaces/vst/ivsthostapplication.h: IHostApplication.</summary>
public readonly unsafe struct IHostApplicationPtr(nint ptr)
{
    public nint Ptr { get; } = ptr;

    public bool IsNull => Ptr == 0;

    /// <summary>The host's name (String128), e.g. "REAPER" or "Ardour"; empty if it does not say.</summary>
    public int GetName(Span<char> name)
    {
        if (name.Length < 128)
        {
            return Result.kInvalidArgument;
        }

        fixed (char* p = name)
        {
            return ((delegate* unmanaged<nint, char*, int>)VtblOf.Slot(Ptr, 3))(Ptr, p);
        }
    }

    public int CreateInstance(Tuid* cid, Tuid* iid, void** obj) =>
        ((delegate* unmanaged<nint, Tuid*, Tuid*, void**, int>)VtblOf.Slot(Ptr, 4))(Ptr, cid, iid, obj);
}
