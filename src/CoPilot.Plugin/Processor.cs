using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Generation;
using CoPilot.Music;
using CoPilot.Vst3;

namespace CoPilot.Plugin;

/// <summary>
/// The audio processor component: where MIDI enters (Process_rt reads the host's input events), where the
/// engine runs, and where notes leave (the host's output event list).
/// </summary>
/// <remarks>
/// Threads: Process_rt on the host's audio thread. Everything else on the UI thread, except that some hosts
/// (Ardour, measured) call setActive and activateBus from the audio thread too: those only flip flags.
/// The UI thread hands a loaded state to the audio thread with one atomic exchange (see ComponentState.Pack).
/// </remarks>
internal sealed unsafe class Processor : ComObject, IComponent, IAudioProcessor, IProcessContextRequirements, IConnectionPoint
{
    /// <summary>Input events sorted per block; more than this in one block are handled in host order.</summary>
    private const int EventCapacity = 2048;

    /// <summary>Parameter points per block; beyond this only the last point of each queue is applied.</summary>
    private const int PointCapacity = 1024;

    private readonly NoteRouter _router = new();
    private readonly SpscRing<EngineMessage> _toWorker = new(4096);
    private readonly SpscRing<ScheduledNote> _fromWorker = new(1024);
    private readonly SpscRing<EngineStatus> _workerStatus = new(64);
    private readonly CallAndResponse _engine;

    // Harmonize runs on the audio thread: the harmony must leave in the same block as the melody note.
    // A live step is a greedy choice among preallocated voicings, and at most HarmonizedPerBlock notes are
    // harmonised per block, which bounds the work whatever the host sends.
    private readonly Harmonizer _harmonizer = new(Music.Key.Major(NoteName.Default(new PitchClass(0))));
    private readonly int[] _harmony = new int[NoteRouter.MaxHarmonyVoices];
    private const int HarmonizedPerBlock = 16;
    private int _harmonizedThisBlock;
    private readonly InferenceWorker _worker;

    // The model or, when it is missing, broken or fails, the style learner (null when a test supplies a generator).
    private readonly ModelFallbackGenerator? _answerer;
    private readonly FallbackAccompanist _accompanist;
    private readonly Func<string?> _modelPath;
    private int _lastModelStatus = -1;
    private readonly Event[] _events = new Event[EventCapacity];
    private readonly long[] _eventOrder = new long[EventCapacity];
    private readonly ParameterPoint[] _points = new ParameterPoint[PointCapacity];
    private readonly long[] _pointOrder = new long[PointCapacity];
    private readonly bool[] _busActive = new bool[4];

    private FUnknownPtr _host;
    private ConnectionPeer _peer;
    private bool _initialized;
    private volatile bool _active;
    private volatile bool _processing;
    private bool _setupDone;

    // Written by the audio thread as automation arrives, read by getState on the UI thread.
    private long _current = ComponentState.Default.Pack();

    // A state loaded on the UI thread, waiting for the audio thread to take it (0: none).
    private long _pending;

    // Set when notes must be released but no block can carry note-offs (deactivate, stop processing).
    private volatile bool _releaseAllRequested;
    private int _lastStatus = -1;
    private int _learnedNotes;
    private int _lastLearnedNotes = -1;
    private int _keyIndex = -1;
    private int _lastKeyIndex = -2;
    // Chord now sounding and the three suggested next chords (packed), as last received and as last shown.
    private readonly int[] _chordDisplay = new int[4];
    private readonly int[] _chordDisplaySent = [-1, -1, -1, -1];
    private bool _resetRouter = true;
    private volatile bool _resetEngine = true;

    public Processor()
        : this(new ModelFallbackGenerator(new ContinuatorGenerator()), BundleLocation.ModelPath)
    {
    }

    /// <param name="generator">What answers phrases in Continue mode.</param>
    /// <param name="modelPath">
    /// Where the model file is, asked at each initialize; only used when <paramref name="generator"/> is a
    /// <see cref="ModelFallbackGenerator"/> (and then by Accompany's chords too).
    /// </param>
    internal Processor(IPhraseGenerator generator, Func<string?>? modelPath = null)
        : base(IComponentVtbl.Interface, IAudioProcessorVtbl.Interface, IProcessContextRequirementsVtbl.Interface, IConnectionPointVtbl.Interface)
    {
        _engine = new CallAndResponse(_toWorker, _fromWorker, seed: (ulong)Environment.TickCount64);
        _accompanist = new FallbackAccompanist(new RuleAccompanist());
        _worker = new InferenceWorker(generator, _toWorker, _fromWorker, status: _workerStatus, accompanist: _accompanist);
        _answerer = generator as ModelFallbackGenerator;
        _modelPath = modelPath ?? (static () => null);
    }

    /// <summary>Whether answers come from the model, and why not (null when a test supplied its own generator).</summary>
    internal ModelFallbackGenerator? Answerer => _answerer;

    /// <summary>What plays Accompany's chords: the model's accompanist or the rules.</summary>
    internal FallbackAccompanist Accompanist => _accompanist;

    private readonly record struct ParameterPoint(uint Id, int Offset, double Value);

    /// <summary>The saved settings as the host would see them in getState now.</summary>
    internal ComponentState State
    {
        get
        {
            long pending = Interlocked.Read(ref _pending);
            return ComponentState.Unpack(pending != 0 ? pending : Interlocked.Read(ref _current));
        }
    }

    internal NoteRouter Router => _router;

    internal CallAndResponse Engine => _engine;

    internal InferenceWorker Worker => _worker;

    internal bool IsActive => _active;

    // ---- IPluginBase ----

    public int Initialize(FUnknownPtr context)
    {
        if (_initialized)
        {
            return Result.kResultFalse;
        }

        _host = context;
        _host.AddRef();
        _busActive[0] = _busActive[1] = _busActive[2] = _busActive[3] = true;

        // The model loads here, on the host's UI thread before the inference thread starts: it allocates (ONNX
        // Runtime builds its session, 40-150 ms), which must never happen in process() or while playing.
        // A model written for another token layout would play nonsense without failing: it must carry this one's.
        if (_answerer is not null)
        {
            // Accompany reads the player with its own session of the model, so the two modes never disturb each
            // other's KV cache; a second session costs another 40-150 ms here, none while playing.
            string? path = _modelPath();
            _answerer.Load(path, expectedVocabularyHash: Inference.Tokens.Vocabulary.Fingerprint);
            _accompanist.Load(path, expectedVocabularyHash: Inference.Tokens.Vocabulary.Fingerprint);
        }

        _worker.Start();
        _initialized = true;
        return Result.kResultOk;
    }

    public int Terminate()
    {
        if (!_initialized)
        {
            return Result.kResultFalse;
        }

        // Hosts that skip setActive(false) before terminate still get a clean shutdown.
        _processing = false;
        _active = false;
        if (_worker.Stop(TimeSpan.FromSeconds(2)))
        {
            _answerer?.Unload(); // only once the inference thread no longer runs the model
            _accompanist.Unload();
        }

        _peer.Release();
        _host.Release();
        _host = default;
        _initialized = false;
        _setupDone = false;
        return Result.kResultOk;
    }

    // ---- IComponent ----

    public int GetControllerClassId(Tuid* classId)
    {
        *classId = PluginInfo.ControllerCid;
        return Result.kResultOk;
    }

    public int SetIoMode(int mode) => Result.kNotImplemented;

    public int GetBusCount(int type, int dir) =>
        (type is MediaTypes.kAudio or MediaTypes.kEvent) && (dir is BusDirections.kInput or BusDirections.kOutput) ? 1 : 0;

    public int GetBusInfo(int type, int dir, int index, BusInfo* bus)
    {
        if (index != 0 || GetBusCount(type, dir) == 0)
        {
            return Result.kInvalidArgument;
        }

        *bus = default;
        bus->mediaType = type;
        bus->direction = dir;
        bus->busType = BusTypes.kMain;
        bus->flags = BusInfo.kDefaultActive;
        bus->channelCount = type == MediaTypes.kAudio ? 2 : NoteTracker.Channels;
        string name = (type, dir) switch
        {
            (MediaTypes.kAudio, BusDirections.kInput) => "Audio In",
            (MediaTypes.kAudio, _) => "Audio Out",
            (_, BusDirections.kInput) => "MIDI In",
            _ => "MIDI Out",
        };
        Strings.CopyUtf16(name, bus->name, 128);
        return Result.kResultOk;
    }

    public int GetRoutingInfo(RoutingInfo* inInfo, RoutingInfo* outInfo) => Result.kNotImplemented;

    public int ActivateBus(int type, int dir, int index, bool state)
    {
        if (index != 0 || GetBusCount(type, dir) == 0)
        {
            return Result.kInvalidArgument;
        }

        _busActive[(type * 2) + dir] = state;
        return Result.kResultOk;
    }

    public int SetActive(bool state)
    {
        if (!_initialized)
        {
            return Result.kNotInitialized;
        }

        if (!state && _active)
        {
            // No process call can carry note-offs now: release at the start of the next block.
            _releaseAllRequested = true;
            _processing = false;
        }

        if (state && !_active)
        {
            _resetEngine = true; // a new timeline; what was learned stays
        }

        _active = state;
        return Result.kResultOk;
    }

    public int SetState(IBStreamPtr state)
    {
        if (!_initialized)
        {
            return Result.kNotInitialized;
        }

        if (ComponentState.TryRead(state, out ComponentState loaded) != ComponentState.ReadError.None)
        {
            return Result.kResultFalse;
        }

        Interlocked.Exchange(ref _pending, loaded.Pack());
        return Result.kResultOk;
    }

    public int GetState(IBStreamPtr state)
    {
        if (!_initialized)
        {
            return Result.kNotInitialized;
        }

        return State.WriteTo(state) ? Result.kResultOk : Result.kResultFalse;
    }

    // ---- IAudioProcessor ----

    public int SetBusArrangements(ulong* inputs, int numIns, ulong* outputs, int numOuts)
    {
        if (_active)
        {
            return Result.kResultFalse;
        }

        // Audio passes through untouched, so only stereo in to stereo out is offered: accepting a layout
        // and then copying by the wrong channel count is how plugins crash hosts.
        bool ok = numIns == 1 && numOuts == 1 && inputs[0] == SpeakerArr.kStereo && outputs[0] == SpeakerArr.kStereo;
        return ok ? Result.kResultOk : Result.kResultFalse;
    }

    public int GetBusArrangement(int dir, int index, ulong* arr)
    {
        if (index != 0 || (dir != BusDirections.kInput && dir != BusDirections.kOutput))
        {
            return Result.kInvalidArgument;
        }

        *arr = SpeakerArr.kStereo;
        return Result.kResultOk;
    }

    public int CanProcessSampleSize(int symbolicSampleSize) =>
        symbolicSampleSize == SymbolicSampleSizes.kSample32 ? Result.kResultOk : Result.kResultFalse;

    public uint GetLatencySamples() => 0;

    public int SetupProcessing(ProcessSetup* setup)
    {
        if (!_initialized)
        {
            return Result.kNotInitialized;
        }

        if (_active)
        {
            return Result.kResultFalse;
        }

        ProcessSetup s = *setup;
        bool valid = s.symbolicSampleSize == SymbolicSampleSizes.kSample32
            && s.maxSamplesPerBlock > 0
            && BeatClock.IsValidSampleRate(s.sampleRate)
            && s.processMode is ProcessModes.kRealtime or ProcessModes.kPrefetch or ProcessModes.kOffline;
        if (!valid)
        {
            return Result.kResultFalse;
        }

        _engine.Clock.SetSampleRate(s.sampleRate);
        _setupDone = true;
        return Result.kResultOk;
    }

    public int SetProcessing(bool state)
    {
        if (!_active)
        {
            return Result.kNotInitialized;
        }

        if (!state && _processing)
        {
            _releaseAllRequested = true;
        }

        _processing = state;
        return Result.kResultOk;
    }

    public uint GetTailSamples() => uint.MaxValue; // kInfiniteTail: answers may come after the input stops

    // ---- IProcessContextRequirements ----

    public uint GetProcessContextRequirements() =>
        ProcessContextRequirementFlags.kNeedTempo | ProcessContextRequirementFlags.kNeedTimeSignature
        | ProcessContextRequirementFlags.kNeedProjectTimeMusic | ProcessContextRequirementFlags.kNeedBarPositionMusic
        | ProcessContextRequirementFlags.kNeedCycleMusic | ProcessContextRequirementFlags.kNeedTransportState
        | ProcessContextRequirementFlags.kNeedContinousTimeSamples;

    // ---- IConnectionPoint ----

    public int Connect(IConnectionPointPtr other) => _peer.Connect(other);

    public int Disconnect(IConnectionPointPtr other) => _peer.Disconnect(other);

    public int Notify(IMessagePtr message) => Result.kResultFalse; // no messages are defined yet

    protected override void OnFinalRelease()
    {
        if (_initialized)
        {
            Terminate();
        }
    }

    // ---- process ----

    /// <summary>[audio thread] One block: parameters, audio pass-through, events in, events out.</summary>
    public int Process_rt(ProcessData* data)
    {
        if (!_initialized)
        {
            return Result.kNotInitialized;
        }

        int numSamples = data->numSamples;
        if (numSamples < 0)
        {
            return Result.kInvalidArgument;
        }

        if (numSamples > 0)
        {
            // A 0-sample call only flushes parameters and is allowed in any state; audio needs setup and activation.
            if (!_active || !_setupDone)
            {
                return Result.kNotInitialized;
            }

            if (data->symbolicSampleSize != SymbolicSampleSizes.kSample32)
            {
                return Result.kInvalidArgument;
            }
        }

        var sink = new EventListSink(_busActive[3] ? new IEventListPtr((nint)data->outputEvents) : default, numSamples);
        if (_resetEngine)
        {
            _resetEngine = false;
            _engine.Reset();
        }

        if (_resetRouter)
        {
            ApplySettings(ref sink, State, 0);
            _resetRouter = false;
        }

        if (_releaseAllRequested && sink.CanWrite)
        {
            _releaseAllRequested = false;
            _router.ReleaseAll(ref sink, 0);
        }

        _router.FlushPending(ref sink, 0);
        TakePendingState(ref sink);

        int pointCount = CollectParameterPoints(new IParameterChangesPtr((nint)data->inputParameterChanges), numSamples);
        if (numSamples > 0)
        {
            CopyAudio(data, numSamples);
        }

        if (numSamples > 0)
        {
            _engine.BeginBlock(ref sink, _router, ReadTransport(data->processContext), numSamples);
        }

        _harmonizedThisBlock = 0;
        var input = _busActive[2] ? new IEventListPtr((nint)data->inputEvents) : default;
        ProcessEvents(ref sink, input, pointCount, numSamples);
        if (numSamples > 0)
        {
            _engine.EndBlock();
        }

        WriteStatus(new IParameterChangesPtr((nint)data->outputParameterChanges));
        return Result.kResultOk;
    }

    private static TransportInfo ReadTransport(ProcessContext* c)
    {
        if (c == null)
        {
            return TransportInfo.None;
        }

        uint s = c->state;
        return new TransportInfo
        {
            HasContext = true,
            Playing = (s & ProcessContext.kPlaying) != 0,
            TempoValid = (s & ProcessContext.kTempoValid) != 0,
            Tempo = c->tempo,
            TimeSignatureValid = (s & ProcessContext.kTimeSigValid) != 0,
            Numerator = c->timeSigNumerator,
            Denominator = c->timeSigDenominator,
            ProjectTimeMusicValid = (s & ProcessContext.kProjectTimeMusicValid) != 0,
            ProjectTimeMusic = c->projectTimeMusic,
            BarPositionValid = (s & ProcessContext.kBarPositionValid) != 0,
            BarPositionMusic = c->barPositionMusic,
            CycleValid = (s & ProcessContext.kCycleValid) != 0,
            CycleActive = (s & ProcessContext.kCycleActive) != 0,
            CycleStartMusic = c->cycleStartMusic,
            CycleEndMusic = c->cycleEndMusic,
            ProjectTimeSamples = c->projectTimeSamples,
        };
    }

    private void ApplySettings(ref EventListSink sink, in ComponentState state, int sampleOffset)
    {
        RouterSettings settings = state.Settings;
        bool answering = settings.Generates && settings.Mode == RouterMode.Continue;
        if (_engine.Answering && !answering)
        {
            _engine.CancelAnswer(ref sink, _router, sampleOffset);
        }

        _engine.Answering = answering;
        _engine.Accompanying = settings.Generates && settings.Mode == RouterMode.Accompany;
        _engine.Creativity = state.Creativity / 100f;
        _engine.Style = (byte)state.Style;
        _router.Apply(ref sink, settings, sampleOffset);
    }

    private void TakePendingState(ref EventListSink sink)
    {
        long pending = Interlocked.Exchange(ref _pending, 0);
        if (pending == 0)
        {
            return;
        }

        Interlocked.Exchange(ref _current, pending);
        // A loaded project or preset starts clean: nothing generated under the old settings keeps sounding.
        _engine.CancelAnswer(ref sink, _router, 0);
        _router.ReleaseGenerated(ref sink, 0);
        ApplySettings(ref sink, ComponentState.Unpack(pending), 0);
    }

    private int CollectParameterPoints(IParameterChangesPtr changes, int numSamples)
    {
        if (changes.IsNull)
        {
            return 0;
        }

        int count = 0;
        int queues = changes.GetParameterCount();
        for (int q = 0; q < queues; q++)
        {
            IParamValueQueuePtr queue = changes.GetParameterData(q);
            if (queue.IsNull)
            {
                continue;
            }

            uint id = queue.GetParameterId();
            int points = queue.GetPointCount();
            for (int i = 0; i < points; i++)
            {
                // Past capacity, keep only each queue's last point: the value the block must end on.
                if (count >= PointCapacity && i != points - 1)
                {
                    continue;
                }

                if (queue.GetPoint(i, out int offset, out double value) != Result.kResultOk || !double.IsFinite(value))
                {
                    continue;
                }

                var point = new ParameterPoint(id, Math.Clamp(offset, 0, Math.Max(0, numSamples - 1)), value);
                if (count < PointCapacity)
                {
                    _pointOrder[count] = ((long)point.Offset << 32) | (uint)count;
                    _points[count++] = point;
                }
                else
                {
                    ApplyParameterLate(point);
                }
            }
        }

        KeySort.Sort(_pointOrder.AsSpan(0, count));
        return count;
    }

    // Beyond capacity a point cannot be placed in time order; its value still wins at the end of the block.
    private void ApplyParameterLate(ParameterPoint point)
    {
        ComponentState s = ComponentState.Unpack(Interlocked.Read(ref _current)).With(point.Id, point.Value);
        Interlocked.Exchange(ref _current, s.Pack());
        _resetRouter = true;
    }

    private static void CopyAudio(ProcessData* data, int numSamples)
    {
        if (data->numOutputs < 1 || data->outputs == null)
        {
            return;
        }

        AudioBusBuffers* outBus = data->outputs;
        AudioBusBuffers* inBus = data->numInputs >= 1 ? data->inputs : null;
        if (outBus->channelBuffers32 == null)
        {
            return;
        }

        for (int ch = 0; ch < outBus->numChannels; ch++)
        {
            float* dst = outBus->channelBuffers32[ch];
            if (dst == null)
            {
                continue;
            }

            float* src = inBus != null && inBus->channelBuffers32 != null && ch < inBus->numChannels ? inBus->channelBuffers32[ch] : null;
            if (src == null)
            {
                new Span<float>(dst, numSamples).Clear();
            }
            else if (src != dst)
            {
                new ReadOnlySpan<float>(src, numSamples).CopyTo(new Span<float>(dst, numSamples));
            }
        }

        outBus->silenceFlags = inBus != null ? inBus->silenceFlags : ~0UL;
    }

    private void ProcessEvents(ref EventListSink sink, IEventListPtr input, int pointCount, int numSamples)
    {
        int total = input.IsNull ? 0 : input.GetEventCount();
        int sorted = Math.Min(Math.Max(total, 0), EventCapacity);
        int kept = 0;
        for (int i = 0; i < sorted; i++)
        {
            fixed (Event* e = &_events[kept])
            {
                if (input.GetEvent(i, e) != Result.kResultOk || e->busIndex != 0)
                {
                    continue;
                }

                e->sampleOffset = Math.Clamp(e->sampleOffset, 0, Math.Max(0, numSamples - 1));
                _eventOrder[kept] = ((long)e->sampleOffset << 32) | (uint)kept;
                kept++;
            }
        }

        // Hosts should deliver events sorted; sorting keys of (offset, arrival) keeps equal offsets in order.
        KeySort.Sort(_eventOrder.AsSpan(0, kept));

        // Three streams in time order: parameter changes first at equal offsets (a bypass at sample n
        // applies to a note at n), then the player's events, then the answer's notes.
        int ei = 0, pi = 0;
        while (true)
        {
            int pointAt = pi < pointCount ? (int)(_pointOrder[pi] >> 32) : int.MaxValue;
            int eventAt = ei < kept ? (int)(_eventOrder[ei] >> 32) : int.MaxValue;
            int answerAt = numSamples > 0 ? _engine.NextAnswerOffset : int.MaxValue;
            if (pointAt == int.MaxValue && eventAt == int.MaxValue && answerAt == int.MaxValue)
            {
                break;
            }

            if (pointAt <= eventAt && pointAt <= answerAt)
            {
                ApplyParameter(ref sink, _points[(int)(uint)_pointOrder[pi++]]);
            }
            else if (eventAt <= answerAt)
            {
                HandleEvent(ref sink, _events[(int)(uint)_eventOrder[ei++]]);
            }
            else
            {
                _engine.PlayNextAnswerEvent(ref sink, _router);
            }
        }

        // Overflow beyond the sort buffer: still handled (note-offs above all), in host order.
        for (int i = sorted; i < total; i++)
        {
            Event e = default;
            if (input.GetEvent(i, &e) == Result.kResultOk && e.busIndex == 0)
            {
                e.sampleOffset = Math.Clamp(e.sampleOffset, 0, Math.Max(0, numSamples - 1));
                HandleEvent(ref sink, e);
            }
        }
    }

    private void HandleEvent(ref EventListSink sink, in Event e)
    {
        switch (e.type)
        {
            case Event.kNoteOnEvent:
                // Velocity 0 note-on is a note-off in MIDI; some hosts pass it on as such. NaN counts as 0.
                float velocity = e.noteOn.velocity > 0f ? Math.Min(e.noteOn.velocity, 1f) : 0f;
                if (velocity > 0f)
                {
                    _router.NoteOn(ref sink, e.sampleOffset, e.noteOn.channel, e.noteOn.pitch, velocity, e.noteOn.noteId);
                    if (_router.Settings is { Bypass: false, Mode: RouterMode.Harmonize } && _harmonizedThisBlock < HarmonizedPerBlock)
                    {
                        _harmonizedThisBlock++;
                        int voices = _harmonizer.Step(e.noteOn.pitch, _harmony);
                        _router.HarmonyOn(ref sink, e.sampleOffset, e.noteOn.channel, e.noteOn.pitch, velocity, _harmony.AsSpan(0, voices));
                    }

                    if (!_router.Settings.Bypass)
                    {
                        _engine.PlayerNoteOn(ref sink, _router, e.sampleOffset, e.noteOn.channel, e.noteOn.pitch, velocity, e.noteOn.noteId);
                    }
                }
                else
                {
                    _router.NoteOff(ref sink, e.sampleOffset, e.noteOn.channel, e.noteOn.pitch, e.noteOn.noteId);
                    _engine.PlayerNoteOff(e.sampleOffset, e.noteOn.channel, e.noteOn.pitch, e.noteOn.noteId);
                }

                break;
            case Event.kNoteOffEvent:
                _router.NoteOff(ref sink, e.sampleOffset, e.noteOff.channel, e.noteOff.pitch, e.noteOff.noteId);
                _engine.PlayerNoteOff(e.sampleOffset, e.noteOff.channel, e.noteOff.pitch, e.noteOff.noteId);
                break;
            default:
                if (_router.Settings.PassesThrough && IsForwardable(e))
                {
                    sink.TryForward(e);
                }

                break;
        }
    }

    // Thru forwards only event types the spec defines, with their pointers valid: an unknown type or a
    // sysex without bytes would crash or confuse whatever comes after CoPilot.
    private static bool IsForwardable(in Event e) => e.type switch
    {
        Event.kPolyPressureEvent => true,
        Event.kNoteExpressionValueEvent => true,
        Event.kDataEvent => e.data.bytes != null && e.data.size > 0,
        Event.kNoteExpressionTextEvent => e.noteExpressionText.text != null,
        Event.kChordEvent => e.chord.text != null || e.chord.textLen == 0,
        Event.kScaleEvent => e.scale.text != null || e.scale.textLen == 0,
        _ => false,
    };

    private void ApplyParameter(ref EventListSink sink, in ParameterPoint point)
    {
        if (Parameters.TryDecodeMidiController(point.Id, out int channel, out short controller))
        {
            ForwardController(ref sink, point, channel, controller);
            return;
        }

        ComponentState current = ComponentState.Unpack(Interlocked.Read(ref _current));
        ComponentState next = current.With(point.Id, point.Value);
        if (next != current)
        {
            Interlocked.Exchange(ref _current, next.Pack());
            ApplySettings(ref sink, next, point.Offset);
        }
    }

    private void ForwardController(ref EventListSink sink, in ParameterPoint point, int channel, short controller)
    {
        if (controller == ControllerNumbers.kCtrlAllNotesOff)
        {
            _engine.CancelAnswer(ref sink, _router, point.Offset);
            _router.ReleaseGenerated(ref sink, point.Offset);
        }

        if (!_router.Settings.PassesThrough)
        {
            return;
        }

        if (controller == ControllerNumbers.kPitchBend)
        {
            int bend = (int)Math.Round(Math.Clamp(point.Value, 0, 1) * 16383);
            sink.TryControlChange(point.Offset, channel, controller, bend & 0x7F, bend >> 7);
        }
        else
        {
            int value = controller == ControllerNumbers.kCtrlAllNotesOff ? 0 : (int)Math.Round(Math.Clamp(point.Value, 0, 1) * 127);
            sink.TryControlChange(point.Offset, channel, controller, value, 0);
        }
    }

    private void WriteStatus(IParameterChangesPtr output)
    {
        while (_workerStatus.TryRead(out EngineStatus status))
        {
            _learnedNotes = status.LearnedNotes;
            _keyIndex = status.KeyIndex;
            _chordDisplay[0] = status.Chord;
            _chordDisplay[1] = status.Next1;
            _chordDisplay[2] = status.Next2;
            _chordDisplay[3] = status.Next3;
        }

        for (int i = 0; i < _chordDisplay.Length; i++)
        {
            if (_chordDisplay[i] != _chordDisplaySent[i] && TrySendDisplay(output, Parameters.Chord + (uint)i, _chordDisplay[i]))
            {
                _chordDisplaySent[i] = _chordDisplay[i];
            }
        }

        if (_keyIndex >= 0 && _keyIndex != _harmonizer.Key.Index)
        {
            _harmonizer.SetKey(Music.Key.FromIndex(_keyIndex)); // harmonise in the key the player is in
        }

        if (_keyIndex != _lastKeyIndex && TrySendDisplay(output, Parameters.Key, _keyIndex + 1))
        {
            _lastKeyIndex = _keyIndex;
        }

        if (_learnedNotes != _lastLearnedNotes && TrySendDisplay(output, Parameters.LearnedNotes, _learnedNotes))
        {
            _lastLearnedNotes = _learnedNotes;
        }

        RouterSettings s = _router.Settings;
        int mode = s.Bypass ? 0
            : s.Mode == RouterMode.Off ? 1
            : s.Mode == RouterMode.Harmonize ? 5
            : s.Mode == RouterMode.Accompany ? 6
            : _router.AnswerOpen > 0 || _engine.Scheduler.Pending > 0 ? 4
            : _router.GeneratedOpen > 0 ? 3
            : 2;
        if (mode != _lastStatus && TrySendDisplay(output, Parameters.Status, mode))
        {
            _lastStatus = mode;
        }

        int model = _answerer is null ? -1 : s.Mode == RouterMode.Accompany ? (int)_accompanist.Status : (int)_answerer.Status;
        if (model >= 0 && model != _lastModelStatus && TrySendDisplay(output, Parameters.Model, model))
        {
            _lastModelStatus = model;
        }
    }

    // Read-only display parameters travel to the controller as output parameter changes (the host passes
    // them on), the VST3 way for meters and status text.
    private static bool TrySendDisplay(IParameterChangesPtr output, uint id, int plain)
    {
        if (output.IsNull)
        {
            return false;
        }

        IParamValueQueuePtr queue = output.AddParameterData(id, out _);
        return !queue.IsNull && queue.AddPoint(0, Parameters.All[Parameters.IndexOf(id)].ToNormalized(plain), out _) == Result.kResultOk;
    }
}
