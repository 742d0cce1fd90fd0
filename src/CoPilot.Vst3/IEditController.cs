using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>pluginterfaces/vst/ivsteditcontroller.h: IEditController. [UI thread]</summary>
/// <remarks>
/// Hosts poll GetParamStringByValue from their UI while the transport plays, so implementations format
/// into the host's buffer without allocating (a GC on any plugin thread stalls the audio thread).
/// </remarks>
public unsafe interface IEditController : IPluginBase
{
    int SetComponentState(IBStreamPtr state);

    int SetState(IBStreamPtr state);

    int GetState(IBStreamPtr state);

    int GetParameterCount();

    int GetParameterInfo(int paramIndex, ParameterInfo* info);

    /// <param name="text">The host's String128: 128 UTF-16 units including the terminating zero.</param>
    int GetParamStringByValue(uint id, double valueNormalized, Span<char> text);

    int GetParamValueByString(uint id, ReadOnlySpan<char> text, out double valueNormalized);

    double NormalizedParamToPlain(uint id, double valueNormalized);

    double PlainParamToNormalized(uint id, double plainValue);

    double GetParamNormalized(uint id);

    int SetParamNormalized(uint id, double value);

    int SetComponentHandler(IComponentHandlerPtr handler);

    /// <summary>Returns an IPlugView* or 0 when the plugin has no editor of that name.</summary>
    nint CreateView(ReadOnlySpan<byte> name);
}

/// <summary>The C++ vtable of IEditController.</summary>
public static unsafe class IEditControllerVtbl
{
    public static readonly ComInterface Interface = new(Build(), Iids.IEditController, Iids.IPluginBase);

    private static void** Build()
    {
        void** v = ComObject.NewVtable(15);
        IPluginBaseThunks.Fill(v);
        v[5] = (delegate* unmanaged<nint, nint, int>)&SetComponentState;
        v[6] = (delegate* unmanaged<nint, nint, int>)&SetState;
        v[7] = (delegate* unmanaged<nint, nint, int>)&GetState;
        v[8] = (delegate* unmanaged<nint, int>)&GetParameterCount;
        v[9] = (delegate* unmanaged<nint, int, ParameterInfo*, int>)&GetParameterInfo;
        v[10] = (delegate* unmanaged<nint, uint, double, char*, int>)&GetParamStringByValue;
        v[11] = (delegate* unmanaged<nint, uint, char*, double*, int>)&GetParamValueByString;
        v[12] = (delegate* unmanaged<nint, uint, double, double>)&NormalizedParamToPlain;
        v[13] = (delegate* unmanaged<nint, uint, double, double>)&PlainParamToNormalized;
        v[14] = (delegate* unmanaged<nint, uint, double>)&GetParamNormalized;
        v[15] = (delegate* unmanaged<nint, uint, double, int>)&SetParamNormalized;
        v[16] = (delegate* unmanaged<nint, nint, int>)&SetComponentHandler;
        v[17] = (delegate* unmanaged<nint, byte*, nint>)&CreateView;
        return v;
    }

    private static IEditController Self(nint self) => ComObject.FromThis<IEditController>(self);

    [UnmanagedCallersOnly]
    private static int SetComponentState(nint self, nint state)
    {
        try
        {
            return state == 0 ? Result.kInvalidArgument : Self(self).SetComponentState(new IBStreamPtr(state));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetState(nint self, nint state)
    {
        try
        {
            return state == 0 ? Result.kInvalidArgument : Self(self).SetState(new IBStreamPtr(state));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetState(nint self, nint state)
    {
        try
        {
            return state == 0 ? Result.kInvalidArgument : Self(self).GetState(new IBStreamPtr(state));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParameterCount(nint self)
    {
        try
        {
            return Self(self).GetParameterCount();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParameterInfo(nint self, int index, ParameterInfo* info)
    {
        try
        {
            return info == null ? Result.kInvalidArgument : Self(self).GetParameterInfo(index, info);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParamStringByValue(nint self, uint id, double value, char* text)
    {
        try
        {
            return text == null ? Result.kInvalidArgument : Self(self).GetParamStringByValue(id, value, new Span<char>(text, 128));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetParamValueByString(nint self, uint id, char* text, double* value)
    {
        try
        {
            if (text == null || value == null)
            {
                return Result.kInvalidArgument;
            }

            int length = 0;
            while (length < 128 && text[length] != '\0')
            {
                length++;
            }

            int result = Self(self).GetParamValueByString(id, new ReadOnlySpan<char>(text, length), out double parsed);
            *value = parsed;
            return result;
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static double NormalizedParamToPlain(nint self, uint id, double value)
    {
        try
        {
            return Self(self).NormalizedParamToPlain(id, value);
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static double PlainParamToNormalized(nint self, uint id, double value)
    {
        try
        {
            return Self(self).PlainParamToNormalized(id, value);
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static double GetParamNormalized(nint self, uint id)
    {
        try
        {
            return Self(self).GetParamNormalized(id);
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static int SetParamNormalized(nint self, uint id, double value)
    {
        try
        {
            return Self(self).SetParamNormalized(id, value);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetComponentHandler(nint self, nint handler)
    {
        try
        {
            return Self(self).SetComponentHandler(new IComponentHandlerPtr(handler));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static nint CreateView(nint self, byte* name)
    {
        try
        {
            ReadOnlySpan<byte> n = name == null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            return Self(self).CreateView(n);
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }
}

/// <summary>pluginterfaces/vst/ivstmessage.h: IConnectionPoint. [UI thread]</summary>
public interface IConnectionPoint
{
    int Connect(IConnectionPointPtr other);

    int Disconnect(IConnectionPointPtr other);

    int Notify(IMessagePtr message);
}

/// <summary>The C++ vtable of IConnectionPoint.</summary>
public static unsafe class IConnectionPointVtbl
{
    public static readonly ComInterface Interface = new(Build(), Iids.IConnectionPoint);

    private static void** Build()
    {
        void** v = ComObject.NewVtable(3);
        v[3] = (delegate* unmanaged<nint, nint, int>)&Connect;
        v[4] = (delegate* unmanaged<nint, nint, int>)&Disconnect;
        v[5] = (delegate* unmanaged<nint, nint, int>)&Notify;
        return v;
    }

    private static IConnectionPoint Self(nint self) => ComObject.FromThis<IConnectionPoint>(self);

    [UnmanagedCallersOnly]
    private static int Connect(nint self, nint other)
    {
        try
        {
            return other == 0 ? Result.kInvalidArgument : Self(self).Connect(new IConnectionPointPtr(other));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Disconnect(nint self, nint other)
    {
        try
        {
            return other == 0 ? Result.kInvalidArgument : Self(self).Disconnect(new IConnectionPointPtr(other));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Notify(nint self, nint message)
    {
        try
        {
            return message == 0 ? Result.kInvalidArgument : Self(self).Notify(new IMessagePtr(message));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }
}

/// <summary>pluginterfaces/vst/ivsteditcontroller.h: IMidiMapping. [UI thread]</summary>
public interface IMidiMapping
{
    int GetMidiControllerAssignment(int busIndex, short channel, short midiControllerNumber, out uint id);
}

/// <summary>The C++ vtable of IMidiMapping.</summary>
public static unsafe class IMidiMappingVtbl
{
    public static readonly ComInterface Interface = new(Build(), Iids.IMidiMapping);

    private static void** Build()
    {
        void** v = ComObject.NewVtable(1);
        v[3] = (delegate* unmanaged<nint, int, short, short, uint*, int>)&GetMidiControllerAssignment;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int GetMidiControllerAssignment(nint self, int busIndex, short channel, short controller, uint* id)
    {
        try
        {
            if (id == null)
            {
                return Result.kInvalidArgument;
            }

            int result = ComObject.FromThis<IMidiMapping>(self).GetMidiControllerAssignment(busIndex, channel, controller, out uint assigned);
            *id = assigned;
            return result;
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }
}
