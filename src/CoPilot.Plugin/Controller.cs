using System.Buffers.Binary;
using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>
/// The edit controller: parameter list, display strings, MIDI controller mapping and controller state.
/// No editor of its own: hosts show their generic parameter editor.
/// </summary>
/// <remarks>[UI thread] Hosts poll value strings while the transport plays, so nothing here allocates
/// after initialize.</remarks>
internal sealed unsafe class Controller : ComObject, IEditController, IConnectionPoint, IMidiMapping
{
    private const ushort StateVersion = 1;
    private static ReadOnlySpan<byte> StateMagic => "CoPc"u8;

    private readonly double[] _values = new double[Parameters.Count];
    private FUnknownPtr _host;
    private ConnectionPeer _peer;
    private IComponentHandlerPtr _handler;
    private bool _initialized;

    public Controller()
        : base(IEditControllerVtbl.Interface, IConnectionPointVtbl.Interface, IMidiMappingVtbl.Interface)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = Parameters.All[i].DefaultNormalized;
        }
    }

    // ---- IPluginBase ----

    public int Initialize(FUnknownPtr context)
    {
        if (_initialized)
        {
            return Result.kResultFalse;
        }

        _host = context;
        _host.AddRef();
        _initialized = true;
        return Result.kResultOk;
    }

    public int Terminate()
    {
        if (!_initialized)
        {
            return Result.kResultFalse;
        }

        new FUnknownPtr(_handler.Ptr).Release();
        _handler = default;
        _peer.Release();
        _host.Release();
        _host = default;
        _initialized = false;
        return Result.kResultOk;
    }

    // ---- IEditController ----

    public int SetComponentState(IBStreamPtr state)
    {
        if (ComponentState.TryRead(state, out ComponentState loaded) != ComponentState.ReadError.None)
        {
            return Result.kResultFalse;
        }

        foreach (uint id in ComponentState.ParameterIds)
        {
            _values[Parameters.IndexOf(id)] = loaded.Normalized(id);
        }

        return Result.kResultOk;
    }

    /// <summary>Controller state: "CoPc", u16 version, u16 payload length (0 in version 1: the editor-side
    /// settings will live here; everything a musician sets today is processor state).</summary>
    public int SetState(IBStreamPtr state)
    {
        Span<byte> header = stackalloc byte[8];
        if (!state.ReadExactly(header) || !header[..4].SequenceEqual(StateMagic))
        {
            return Result.kResultFalse;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        return version is >= 1 and <= StateVersion && length == 0 ? Result.kResultOk : Result.kResultFalse;
    }

    public int GetState(IBStreamPtr state)
    {
        Span<byte> header = stackalloc byte[StateSize];
        WriteState(header);
        return state.WriteAll(header) ? Result.kResultOk : Result.kResultFalse;
    }

    internal const int StateSize = 8;

    /// <summary>The controller's state bytes (also stored in factory presets).</summary>
    internal static void WriteState(Span<byte> dst)
    {
        StateMagic.CopyTo(dst);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[4..], StateVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[6..], 0);
    }

    public int GetParameterCount() => Parameters.Count;

    public int GetParameterInfo(int paramIndex, ParameterInfo* info)
    {
        if ((uint)paramIndex >= (uint)Parameters.Count)
        {
            return Result.kInvalidArgument;
        }

        ParameterSpec p = Parameters.All[paramIndex];
        *info = default;
        info->id = p.Id;
        Strings.CopyUtf16(p.Title, info->title, 128);
        Strings.CopyUtf16(p.ShortTitle, info->shortTitle, 128);
        Strings.CopyUtf16(p.Units, info->units, 128);
        info->stepCount = p.StepCount;
        info->defaultNormalizedValue = p.DefaultNormalized;
        info->unitId = 0; // kRootUnitId
        info->flags = p.Flags;
        return Result.kResultOk;
    }

    public int GetParamStringByValue(uint id, double valueNormalized, Span<char> text) =>
        Parameters.TryGet(id, out ParameterSpec p) && p.TryFormat(valueNormalized, text) ? Result.kResultOk : Result.kInvalidArgument;

    public int GetParamValueByString(uint id, ReadOnlySpan<char> text, out double valueNormalized)
    {
        valueNormalized = 0;
        return Parameters.TryGet(id, out ParameterSpec p) && p.TryParse(text, out valueNormalized) ? Result.kResultOk : Result.kInvalidArgument;
    }

    public double NormalizedParamToPlain(uint id, double valueNormalized) =>
        Parameters.TryGet(id, out ParameterSpec p) ? p.ToPlain(valueNormalized) : valueNormalized;

    public double PlainParamToNormalized(uint id, double plainValue) =>
        Parameters.TryGet(id, out ParameterSpec p) ? p.ToNormalized(plainValue) : plainValue;

    public double GetParamNormalized(uint id)
    {
        int index = Parameters.IndexOf(id);
        return index >= 0 ? _values[index] : 0;
    }

    public int SetParamNormalized(uint id, double value)
    {
        int index = Parameters.IndexOf(id);
        if (index < 0 || !double.IsFinite(value))
        {
            return Result.kInvalidArgument;
        }

        _values[index] = Math.Clamp(value, 0, 1);
        return Result.kResultOk;
    }

    public int SetComponentHandler(IComponentHandlerPtr handler)
    {
        if (handler.Ptr == _handler.Ptr)
        {
            return Result.kResultOk;
        }

        new FUnknownPtr(handler.Ptr).AddRef();
        new FUnknownPtr(_handler.Ptr).Release();
        _handler = handler;
        return Result.kResultOk;
    }

    public nint CreateView(ReadOnlySpan<byte> name) => 0; // generic host editor

    // ---- IConnectionPoint ----

    public int Connect(IConnectionPointPtr other) => _peer.Connect(other);

    public int Disconnect(IConnectionPointPtr other) => _peer.Disconnect(other);

    public int Notify(IMessagePtr message) => Result.kResultFalse;

    // ---- IMidiMapping ----

    public int GetMidiControllerAssignment(int busIndex, short channel, short midiControllerNumber, out uint id)
    {
        id = 0;
        if (busIndex != 0 || (uint)channel >= NoteTracker.Channels)
        {
            return Result.kResultFalse;
        }

        int k = Array.IndexOf(Parameters.MappedControllers, midiControllerNumber);
        if (k < 0)
        {
            // All Sounds Off stops CoPilot's notes just as All Notes Off does.
            if (midiControllerNumber != ControllerNumbers.kCtrlAllSoundsOff)
            {
                return Result.kResultFalse;
            }

            k = Array.IndexOf(Parameters.MappedControllers, ControllerNumbers.kCtrlAllNotesOff);
        }

        id = Parameters.MidiControllerId(channel, k);
        return Result.kResultOk;
    }

    protected override void OnFinalRelease()
    {
        if (_initialized)
        {
            Terminate();
        }
    }
}
