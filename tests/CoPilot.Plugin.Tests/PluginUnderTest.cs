using System.Runtime.InteropServices;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>
/// Drives the plugin as a host does: factory → createInstance → calls through vtable slots, with host
/// objects for streams, events and parameter changes. Slot numbers are the headers' declaration order.
/// </summary>
internal sealed unsafe class PluginUnderTest : IDisposable
{
    public const int MaxBlock = 4096;

    private readonly PluginFactory _factory;
    private readonly float* _audio;
    private readonly float** _inChannels;
    private readonly float** _outChannels;
    private readonly AudioBusBuffers* _inBus;
    private readonly AudioBusBuffers* _outBus;
    private readonly ProcessContext* _context;

    public PluginUnderTest(bool initialize = true)
    {
        _factory = PluginInfo.CreateFactory();
        nint factory = _factory.GetInterfacePointer(Iids.IPluginFactory);
        Component = Create(factory, PluginInfo.ProcessorCid, Iids.IComponent);
        Processor = QueryInterface(Component, Iids.IAudioProcessor);
        Controller = Create(factory, PluginInfo.ControllerCid, Iids.IEditController);

        _audio = (float*)NativeMemory.AllocZeroed((nuint)(4 * MaxBlock), sizeof(float));
        _inChannels = (float**)NativeMemory.Alloc(2, (nuint)sizeof(float*));
        _outChannels = (float**)NativeMemory.Alloc(2, (nuint)sizeof(float*));
        for (int i = 0; i < 2; i++)
        {
            _inChannels[i] = _audio + (i * MaxBlock);
            _outChannels[i] = _audio + ((2 + i) * MaxBlock);
        }

        _inBus = (AudioBusBuffers*)NativeMemory.AllocZeroed(1, (nuint)sizeof(AudioBusBuffers));
        _outBus = (AudioBusBuffers*)NativeMemory.AllocZeroed(1, (nuint)sizeof(AudioBusBuffers));
        _context = (ProcessContext*)NativeMemory.AllocZeroed(1, (nuint)sizeof(ProcessContext));
        Data = (ProcessData*)NativeMemory.AllocZeroed(1, (nuint)sizeof(ProcessData));
        ResetProcessData();

        if (initialize)
        {
            Assert.Equal(Result.kResultOk, Initialize());
            Assert.Equal(Result.kResultOk, ControllerInitialize());
        }
    }

    public HostApplication Host { get; } = new();

    public HostEventList InputEvents { get; } = new(4096);

    public HostEventList OutputEvents { get; } = new(4096);

    public HostParameterChanges InputChanges { get; } = new(64);

    public HostParameterChanges OutputChanges { get; } = new(64);

    public nint Component { get; }

    public nint Processor { get; }

    public nint Controller { get; }

    public ProcessData* Data { get; }

    /// <summary>The host's transport position at the next block, in beats (see <see cref="ProcessPlaying"/>).</summary>
    public double TransportBeat { get; set; }

    public double Tempo { get; set; } = 120;

    public bool TransportPlaying { get; set; } = true;

    /// <summary>The processor object behind the component pointer.</summary>
    public Processor ProcessorObject => ComObject.FromThis<Processor>(Component);

    public Span<float> Input(int channel) => new(_inChannels[channel], MaxBlock);

    public Span<float> Output(int channel) => new(_outChannels[channel], MaxBlock);

    /// <summary>Restores a well-formed ProcessData for the next call (tests may break it on purpose).</summary>
    public void ResetProcessData()
    {
        *_inBus = default;
        _inBus->numChannels = 2;
        _inBus->channelBuffers32 = _inChannels;
        *_outBus = default;
        _outBus->numChannels = 2;
        _outBus->channelBuffers32 = _outChannels;
        _context->state = ProcessContext.kPlaying | ProcessContext.kTempoValid | ProcessContext.kTimeSigValid;
        _context->sampleRate = 48000;
        _context->tempo = 120;
        _context->timeSigNumerator = 4;
        _context->timeSigDenominator = 4;
        *Data = default;
        Data->processMode = ProcessModes.kRealtime;
        Data->symbolicSampleSize = SymbolicSampleSizes.kSample32;
        Data->numInputs = 1;
        Data->numOutputs = 1;
        Data->inputs = _inBus;
        Data->outputs = _outBus;
        Data->inputEvents = (void*)InputEvents.Ptr;
        Data->outputEvents = (void*)OutputEvents.Ptr;
        Data->inputParameterChanges = (void*)InputChanges.Ptr;
        Data->outputParameterChanges = (void*)OutputChanges.Ptr;
        Data->processContext = _context;
    }

    // ---- lifecycle helpers ----

    /// <summary>initialize → setupProcessing → setActive(true) → setProcessing(true), as hosts do.</summary>
    public void StartProcessing(int maxBlock = 512, double sampleRate = 48000)
    {
        Assert.Equal(Result.kResultOk, SetupProcessing(SymbolicSampleSizes.kSample32, maxBlock, sampleRate));
        Assert.Equal(Result.kResultOk, SetActive(true));
        Assert.Equal(Result.kResultOk, SetProcessing(true));
    }

    /// <summary>Switches the mode through a parameter flush, as automation would.</summary>
    public void SetMode(CoPilot.Core.RouterMode mode)
    {
        InputChanges.Add(Parameters.Mode, 0, (int)mode / (double)Parameters.All[Parameters.IndexOf(Parameters.Mode)].Max);
        Assert.Equal(Result.kResultOk, ProcessBlock(0));
    }

    /// <summary>
    /// Runs one block with a playing (or stopped) transport at <see cref="TransportBeat"/>, then advances
    /// the transport by the block, as a host does.
    /// </summary>
    public int ProcessPlaying(int numSamples)
    {
        _context->state = ProcessContext.kTempoValid | ProcessContext.kTimeSigValid | ProcessContext.kProjectTimeMusicValid
            | ProcessContext.kBarPositionValid | (TransportPlaying ? ProcessContext.kPlaying : 0);
        _context->tempo = Tempo;
        _context->projectTimeMusic = TransportBeat;
        _context->barPositionMusic = Math.Floor(TransportBeat / 4) * 4;
        int r = ProcessBlock(numSamples);
        if (TransportPlaying)
        {
            TransportBeat += numSamples * Tempo / 60.0 / _context->sampleRate;
        }

        return r;
    }

    /// <summary>Runs one block: clears the output lists, calls process and then clears the input lists.</summary>
    public int ProcessBlock(int numSamples)
    {
        OutputEvents.Clear();
        OutputChanges.Clear();
        Data->numSamples = numSamples;
        int r = Process();
        InputEvents.Clear();
        InputChanges.Clear();
        return r;
    }

    // ---- IComponent (slots 3..13) ----

    public int Initialize() => Call<nint>(Component, 3, Host.Ptr);

    public int Terminate() => ((delegate* unmanaged<nint, int>)Slot(Component, 4))(Component);

    public int GetBusCount(int type, int dir) => ((delegate* unmanaged<nint, int, int, int>)Slot(Component, 7))(Component, type, dir);

    public int GetBusInfo(int type, int dir, int index, out BusInfo info)
    {
        BusInfo b = default;
        int r = ((delegate* unmanaged<nint, int, int, int, BusInfo*, int>)Slot(Component, 8))(Component, type, dir, index, &b);
        info = b;
        return r;
    }

    public int ActivateBus(int type, int dir, int index, bool state) =>
        ((delegate* unmanaged<nint, int, int, int, byte, int>)Slot(Component, 10))(Component, type, dir, index, (byte)(state ? 1 : 0));

    public int SetActive(bool state) => ((delegate* unmanaged<nint, byte, int>)Slot(Component, 11))(Component, (byte)(state ? 1 : 0));

    public int SetState(nint stream) => Call(Component, 12, stream);

    public int GetState(nint stream) => Call(Component, 13, stream);

    public byte[] SaveState()
    {
        var s = new HostStream();
        Assert.Equal(Result.kResultOk, GetState(s.Ptr));
        return s.ToArray();
    }

    public int LoadState(byte[] blob) => SetState(new HostStream(blob).Ptr);

    // ---- IAudioProcessor (slots 3..10) ----

    public int SetBusArrangements(ulong[] inputs, ulong[] outputs)
    {
        fixed (ulong* i = inputs)
        fixed (ulong* o = outputs)
        {
            return ((delegate* unmanaged<nint, ulong*, int, ulong*, int, int>)Slot(Processor, 3))(Processor, i, inputs.Length, o, outputs.Length);
        }
    }

    public int CanProcessSampleSize(int size) => ((delegate* unmanaged<nint, int, int>)Slot(Processor, 5))(Processor, size);

    public int SetupProcessing(int sampleSize, int maxBlock, double sampleRate, int mode = ProcessModes.kRealtime)
    {
        var setup = new ProcessSetup { processMode = mode, symbolicSampleSize = sampleSize, maxSamplesPerBlock = maxBlock, sampleRate = sampleRate };
        return ((delegate* unmanaged<nint, ProcessSetup*, int>)Slot(Processor, 7))(Processor, &setup);
    }

    public int SetProcessing(bool state) => ((delegate* unmanaged<nint, byte, int>)Slot(Processor, 8))(Processor, (byte)(state ? 1 : 0));

    public int Process() => ((delegate* unmanaged<nint, ProcessData*, int>)Slot(Processor, 9))(Processor, Data);

    public int ProcessNull() => ((delegate* unmanaged<nint, ProcessData*, int>)Slot(Processor, 9))(Processor, null);

    public uint GetTailSamples() => ((delegate* unmanaged<nint, uint>)Slot(Processor, 10))(Processor);

    // ---- IEditController (slots 3..17) ----

    public int ControllerInitialize() => Call(Controller, 3, Host.Ptr);

    public int ControllerTerminate() => ((delegate* unmanaged<nint, int>)Slot(Controller, 4))(Controller);

    public int SetComponentState(nint stream) => Call(Controller, 5, stream);

    public int ControllerSetState(nint stream) => Call(Controller, 6, stream);

    public int ControllerGetState(nint stream) => Call(Controller, 7, stream);

    public int GetParameterCount() => ((delegate* unmanaged<nint, int>)Slot(Controller, 8))(Controller);

    public int GetParameterInfo(int index, out ParameterInfo info)
    {
        ParameterInfo p = default;
        int r = ((delegate* unmanaged<nint, int, ParameterInfo*, int>)Slot(Controller, 9))(Controller, index, &p);
        info = p;
        return r;
    }

    public int GetParamStringByValue(uint id, double value, char* text) =>
        ((delegate* unmanaged<nint, uint, double, char*, int>)Slot(Controller, 10))(Controller, id, value, text);

    public string? ParamString(uint id, double value)
    {
        char* text = stackalloc char[128];
        return GetParamStringByValue(id, value, text) == Result.kResultOk ? Strings.FromUtf16(text, 128) : null;
    }

    public int GetParamValueByString(uint id, string text, out double value)
    {
        double v = 0;
        fixed (char* t = text + "\0")
        {
            int r = ((delegate* unmanaged<nint, uint, char*, double*, int>)Slot(Controller, 11))(Controller, id, t, &v);
            value = v;
            return r;
        }
    }

    public double GetParamNormalized(uint id) => ((delegate* unmanaged<nint, uint, double>)Slot(Controller, 14))(Controller, id);

    public int GetMidiControllerAssignment(short channel, short cc, out uint id)
    {
        nint mapping = QueryInterface(Controller, Iids.IMidiMapping);
        uint assigned = 0;
        int r = ((delegate* unmanaged<nint, int, short, short, uint*, int>)Slot(mapping, 3))(mapping, 0, channel, cc, &assigned);
        Release(mapping);
        id = assigned;
        return r;
    }

    // ---- FUnknown ----

    public static nint QueryInterface(nint obj, Tuid iid)
    {
        void* result = null;
        int r = ((delegate* unmanaged<nint, Tuid*, void**, int>)Slot(obj, 0))(obj, &iid, &result);
        return r == Result.kResultOk ? (nint)result : 0;
    }

    public static uint Release(nint obj) => ((delegate* unmanaged<nint, uint>)Slot(obj, 2))(obj);

    public void Dispose()
    {
        Terminate();
        ControllerTerminate();
        Release(Processor);
        Release(Component);
        Release(Controller);
        NativeMemory.Free(_audio);
        NativeMemory.Free(_inChannels);
        NativeMemory.Free(_outChannels);
        NativeMemory.Free(_inBus);
        NativeMemory.Free(_outBus);
        NativeMemory.Free(_context);
        NativeMemory.Free(Data);
    }

    private static void* Slot(nint obj, int index) => (*(void***)obj)[index];

    private static int Call<T>(nint obj, int slot, T arg)
        where T : unmanaged => ((delegate* unmanaged<nint, T, int>)Slot(obj, slot))(obj, arg);

    private static int Call(nint obj, int slot, nint arg) => ((delegate* unmanaged<nint, nint, int>)Slot(obj, slot))(obj, arg);

    private static nint Create(nint factory, Tuid cid, Tuid iid)
    {
        void* obj = null;
        int r = ((delegate* unmanaged<nint, Tuid*, Tuid*, void**, int>)Slot(factory, 6))(factory, &cid, &iid, &obj);
        Assert.Equal(Result.kResultOk, r);
        return (nint)obj;
    }
}
