using System.Reflection;
using System.Runtime.InteropServices;
using CoPilot.Plugin.Tests;
using CoPilot.Vst3;

namespace CoPilot.Benchmarks;

/// <summary>
/// The smallest host that can run blocks: the module's GetPluginFactory entry point, the processor class
/// found by its category, and initialize → setupProcessing → setActive → setProcessing through the vtables.
/// Buffers live in native memory, as a host's do.
/// </summary>
internal sealed unsafe class PluginHost
{
    public const int MaxBlock = 4096;

    private readonly nint _factory;
    private readonly float* _audio;
    private readonly float** _inChannels;
    private readonly float** _outChannels;
    private readonly AudioBusBuffers* _inBus;
    private readonly AudioBusBuffers* _outBus;
    private readonly ProcessContext* _context;
    private readonly double _beatsPerSample;

    public PluginHost(int maxBlock, double sampleRate = 48000, double tempo = 120)
    {
        _factory = GetPluginFactory();
        Component = CreateProcessor(_factory);
        Processor = QueryInterface(Component, Iids.IAudioProcessor);
        Check(Processor != 0, "IAudioProcessor");

        _audio = (float*)NativeMemory.AllocZeroed((nuint)(4 * MaxBlock), sizeof(float));
        _inChannels = (float**)NativeMemory.Alloc(2, (nuint)sizeof(float*));
        _outChannels = (float**)NativeMemory.Alloc(2, (nuint)sizeof(float*));
        for (int i = 0; i < 2; i++)
        {
            _inChannels[i] = _audio + (i * MaxBlock);
            _outChannels[i] = _audio + ((2 + i) * MaxBlock);
        }

        for (int i = 0; i < 2 * MaxBlock; i++)
        {
            _audio[i] = MathF.Sin(i * 0.01f); // something to copy
        }

        _inBus = (AudioBusBuffers*)NativeMemory.AllocZeroed(1, (nuint)sizeof(AudioBusBuffers));
        _inBus->numChannels = 2;
        _inBus->channelBuffers32 = _inChannels;
        _outBus = (AudioBusBuffers*)NativeMemory.AllocZeroed(1, (nuint)sizeof(AudioBusBuffers));
        _outBus->numChannels = 2;
        _outBus->channelBuffers32 = _outChannels;

        _beatsPerSample = tempo / 60.0 / sampleRate;
        _context = (ProcessContext*)NativeMemory.AllocZeroed(1, (nuint)sizeof(ProcessContext));
        _context->state = ProcessContext.kPlaying | ProcessContext.kTempoValid | ProcessContext.kTimeSigValid | ProcessContext.kProjectTimeMusicValid;
        _context->sampleRate = sampleRate;
        _context->tempo = tempo;
        _context->timeSigNumerator = 4;
        _context->timeSigDenominator = 4;

        Data = (ProcessData*)NativeMemory.AllocZeroed(1, (nuint)sizeof(ProcessData));
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

        Check(((delegate* unmanaged<nint, nint, int>)Slot(Component, 3))(Component, Host.Ptr) == Result.kResultOk, "initialize");
        var setup = new ProcessSetup
        {
            processMode = ProcessModes.kRealtime,
            symbolicSampleSize = SymbolicSampleSizes.kSample32,
            maxSamplesPerBlock = maxBlock,
            sampleRate = sampleRate,
        };
        Check(((delegate* unmanaged<nint, ProcessSetup*, int>)Slot(Processor, 7))(Processor, &setup) == Result.kResultOk, "setupProcessing");
        Check(((delegate* unmanaged<nint, byte, int>)Slot(Component, 11))(Component, 1) == Result.kResultOk, "setActive");
        Check(((delegate* unmanaged<nint, byte, int>)Slot(Processor, 8))(Processor, 1) == Result.kResultOk, "setProcessing");
    }

    public HostApplication Host { get; } = new();

    public HostEventList InputEvents { get; } = new(4096);

    public HostEventList OutputEvents { get; } = new(4096);

    public HostParameterChanges InputChanges { get; } = new(64);

    public HostParameterChanges OutputChanges { get; } = new(64);

    public nint Component { get; }

    public nint Processor { get; }

    public ProcessData* Data { get; }

    public float* InputChannel(int channel) => _inChannels[channel];

    public float* OutputChannel(int channel) => _outChannels[channel];

    /// <summary>
    /// One block as a host runs it: fresh output lists, IAudioProcessor::process through its vtable slot,
    /// then the transport moves on by the block (so the plugin sees a continuous timeline, no jumps).
    /// </summary>
    public int Process(int numSamples)
    {
        OutputEvents.Clear();
        OutputChanges.Clear();
        Data->numSamples = numSamples;
        int r = ((delegate* unmanaged<nint, ProcessData*, int>)Slot(Processor, 9))(Processor, Data);
        _context->projectTimeSamples += numSamples;
        _context->projectTimeMusic = _context->projectTimeSamples * _beatsPerSample;
        return r;
    }

    /// <summary>setProcessing(false) → setActive(false) → terminate, releases, frees.</summary>
    public void Close()
    {
        ((delegate* unmanaged<nint, byte, int>)Slot(Processor, 8))(Processor, 0);
        ((delegate* unmanaged<nint, byte, int>)Slot(Component, 11))(Component, 0);
        ((delegate* unmanaged<nint, int>)Slot(Component, 4))(Component);
        Release(Processor);
        Release(Component);
        Release(_factory);
        NativeMemory.Free(_audio);
        NativeMemory.Free(_inChannels);
        NativeMemory.Free(_outChannels);
        NativeMemory.Free(_inBus);
        NativeMemory.Free(_outBus);
        NativeMemory.Free(_context);
        NativeMemory.Free(Data);
    }

    public static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark host: {what} failed.");
        }
    }

    /// <summary>
    /// The module's GetPluginFactory export, called through a native function pointer as a host calls the
    /// symbol it looked up. Outside NativeAOT there is no symbol table, so reflection finds the method once.
    /// </summary>
    private static nint GetPluginFactory()
    {
        Type? exports = Type.GetType("CoPilot.Plugin.Exports, CoPilot", throwOnError: true);
        MethodInfo? method = exports?.GetMethod("GetPluginFactory", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        Check(method is not null, "finding GetPluginFactory");
        var entry = (delegate* unmanaged<nint>)method!.MethodHandle.GetFunctionPointer();
        nint factory = entry();
        Check(factory != 0, "GetPluginFactory");
        return factory;
    }

    /// <summary>Finds the "Audio Module Class" entry (IPluginFactory::countClasses/getClassInfo) and creates it.</summary>
    private static nint CreateProcessor(nint factory)
    {
        int count = ((delegate* unmanaged<nint, int>)Slot(factory, 4))(factory);
        for (int i = 0; i < count; i++)
        {
            PClassInfo info = default;
            Check(((delegate* unmanaged<nint, int, PClassInfo*, int>)Slot(factory, 5))(factory, i, &info) == Result.kResultOk, "getClassInfo");
            string category = Marshal.PtrToStringUTF8((nint)info.category) ?? "";
            if (category != "Audio Module Class")
            {
                continue;
            }

            Tuid cid = info.cid;
            Tuid iid = Iids.IComponent;
            void* obj = null;
            Check(((delegate* unmanaged<nint, Tuid*, Tuid*, void**, int>)Slot(factory, 6))(factory, &cid, &iid, &obj) == Result.kResultOk, "createInstance");
            return (nint)obj;
        }

        throw new InvalidOperationException("Benchmark host: the factory has no Audio Module Class.");
    }

    private static nint QueryInterface(nint obj, Tuid iid)
    {
        void* result = null;
        int r = ((delegate* unmanaged<nint, Tuid*, void**, int>)Slot(obj, 0))(obj, &iid, &result);
        return r == Result.kResultOk ? (nint)result : 0;
    }

    private static uint Release(nint obj) => ((delegate* unmanaged<nint, uint>)Slot(obj, 2))(obj);

    private static void* Slot(nint obj, int index) => (*(void***)obj)[index];
}
