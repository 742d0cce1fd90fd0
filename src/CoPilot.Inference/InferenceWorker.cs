using System.Diagnostics;
using CoPilot.Core;
using CoPilot.Inference.Accompaniment;
using CoPilot.Music;

namespace CoPilot.Inference;

/// <summary>
/// The inference thread: one dedicated thread per plugin instance that learns from the player's notes
/// and answers finished phrases, talking to the audio thread only through two SPSC rings.
/// </summary>
/// <remarks>
/// <para><b>Waking without the audio thread blocking.</b> The audio thread only writes to the input ring;
/// it never signals an event, semaphore or futex (each of those can take a lock or make a system call).
/// The worker polls: it sleeps 1 ms between polls while the player is active and 10 ms after a few seconds
/// of quiet. A phrase end therefore waits at most about a millisecond (plus the scheduler's tick), far
/// below the half-beat an answer has before its first note. <see cref="MaxWakeLatencyMs"/> measures it.</para>
/// <para><b>Stale work.</b> An answer is skipped if the player played again before the worker reached the
/// phrase end, and the audio thread ignores answers of cancelled phrases by their phrase ID.</para>
/// <para><b>No garbage.</b> After <see cref="Start"/> the loop allocates nothing: the generator writes into
/// a preallocated buffer and the rings copy structs.</para>
/// <para>Lifetime: started on initialize and stopped on terminate (UI thread). Deactivation only resets it,
/// because some hosts (Ardour) deactivate from their audio thread, where joining a thread would block.</para>
/// </remarks>
public sealed class InferenceWorker
{
    private const int ActiveSleepMs = 1;
    private const int IdleSleepMs = 10;
    private static readonly long IdleAfterTicks = Stopwatch.Frequency * 3;
    private static long s_allWorkersAllocatedBytes;

    private readonly IPhraseGenerator _generator;
    private readonly IAccompanist? _accompanist;

    // The last time signature passed to the generator (0: none yet).
    private byte _metreNumerator;
    private byte _metreDenominator;
    private readonly SpscRing<EngineMessage> _input;
    private readonly SpscRing<ScheduledNote> _output;
    private readonly SpscRing<EngineStatus>? _status;

    // Key finding, chord naming and next-chord suggestions run here rather than on the audio thread: this
    // thread sees every note anyway, and the audio thread's budget stays for routing and timing.
    private readonly HarmonyAnalyst _analyst = new();
    private readonly GeneratedNote[] _answer;
    private readonly string _name;
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _ready;
    private bool _warmedUp;
    private long _messages;
    private long _answers;
    private long _chords;
    private long _skippedStale;
    private long _maxWakeTicks;
    private long _lastWakeTicks;

    /// <param name="status">Optional ring on which the worker reports what it learned and answered.</param>
    /// <param name="accompanist">What plays the chords of Accompany mode; without one, chord slots stay silent.</param>
    public InferenceWorker(IPhraseGenerator generator, SpscRing<EngineMessage> input, SpscRing<ScheduledNote> output, int maxAnswerNotes = 128, string name = "CoPilot inference", SpscRing<EngineStatus>? status = null, IAccompanist? accompanist = null)
    {
        _generator = generator;
        _accompanist = accompanist;
        _input = input;
        _output = output;
        _status = status;
        _answer = new GeneratedNote[Math.Min(maxAnswerNotes, output.Capacity)];
        _name = name;
    }

    public bool IsRunning => _thread is { IsAlive: true };

    /// <summary>Managed thread ID of the worker (to check it is a distinct thread).</summary>
    public int ThreadId { get; private set; }

    public long Messages => Interlocked.Read(ref _messages);

    public long Answers => Interlocked.Read(ref _answers);

    /// <summary>Chord slots handled (Accompany).</summary>
    public long ChordSlots => Interlocked.Read(ref _chords);

    /// <summary>Phrase ends skipped because the player had already started again.</summary>
    public long SkippedStale => Interlocked.Read(ref _skippedStale);

    /// <summary>Longest time between the audio thread writing a message and the worker reading it.</summary>
    public double MaxWakeLatencyMs => Interlocked.Read(ref _maxWakeTicks) * 1000.0 / Stopwatch.Frequency;

    public double LastWakeLatencyMs => Interlocked.Read(ref _lastWakeTicks) * 1000.0 / Stopwatch.Frequency;

    /// <summary>Bytes the worker thread allocated since it started (should stay flat while playing).</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>Bytes allocated by every worker thread of this module since load (precise, per thread).</summary>
    public static long AllWorkersAllocatedBytes => Interlocked.Read(ref s_allWorkersAllocatedBytes);

    /// <summary>[UI thread] Starts the thread (allocates: never call from the audio thread).</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _stopping = false;
        _ready = false;
        _thread = new Thread(Run)
        {
            Name = _name,
            IsBackground = true,
            // Above the UI, below the host's real-time audio threads; ignored where the OS does not allow it.
            Priority = ThreadPriority.AboveNormal,
        };

        // NativeAOT runs first-use initialisation (class constructors, runtime statics) lazily, and two
        // threads doing it at once crashed about one load in five (found by the native host: a call through
        // a null pointer inside Lock's static set-up on the new thread while the host's thread formatted
        // parameter text). So the caller warms what it uses here, then waits, doing nothing, until the new
        // thread has been through everything its loop will touch.
        Thread.Sleep(0);
        long deadline = Stopwatch.GetTimestamp() + (2 * Stopwatch.Frequency);
        _thread.Start();
        while (!_ready && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>[UI thread] Stops the thread and waits for it.</summary>
    public bool Stop(TimeSpan timeout)
    {
        Thread? thread = _thread;
        if (thread is null)
        {
            return true;
        }

        _stopping = true;
        bool joined = thread.Join(timeout);
        _thread = null;
        return joined;
    }

    /// <summary>Handles everything waiting in the input ring (the thread's body; public for deterministic tests).</summary>
    /// <returns>How many messages were handled.</returns>
    public int Pump()
    {
        int handled = 0;
        long now = 0;
        while (_input.TryRead(out EngineMessage m))
        {
            if (handled++ == 0)
            {
                now = Stopwatch.GetTimestamp(); // one clock read per wake-up, not per message
            }

            long wake = now - m.Timestamp;
            if (m.Timestamp != 0 && wake >= 0)
            {
                Interlocked.Exchange(ref _lastWakeTicks, wake);
                if (wake > Interlocked.Read(ref _maxWakeTicks))
                {
                    Interlocked.Exchange(ref _maxWakeTicks, wake);
                }
            }

            if (m.MetreNumerator != 0 && (m.MetreNumerator != _metreNumerator || m.MetreDenominator != _metreDenominator))
            {
                _metreNumerator = m.MetreNumerator;
                _metreDenominator = m.MetreDenominator;
                _generator.SetMetre(m.MetreNumerator, m.MetreDenominator);
                _accompanist?.SetMetre(m.MetreNumerator, m.MetreDenominator);
            }

            switch (m.Kind)
            {
                case EngineMessageKind.Note:
                    _generator.Observe(m.Note);
                    _accompanist?.Observe(m.Note);
                    _analyst.Observe(m.Note);

                    break;
                case EngineMessageKind.PhraseEnd:
                    _generator.EndPhrase();
                    if (m.MaxBeats > 0)
                    {
                        Answer(m);
                    }

                    break;
                case EngineMessageKind.Reset:
                    _generator.Reset();
                    _accompanist?.Reset();
                    _analyst.Reset();
                    break;
                case EngineMessageKind.ChordSlot:
                    Accompany(m);
                    break;
                case EngineMessageKind.Cancel:
                    break;
            }
        }

        Interlocked.Add(ref _messages, handled);
        if (handled > 0)
        {
            _status?.TryWrite(new EngineStatus(
                _generator.LearnedNotes, _analyst.KeyIndex, _analyst.ChordCodeNow, _analyst.Next(0), _analyst.Next(1), _analyst.Next(2)));
        }

        return handled;
    }

    // Runs every path of the loop once before the thread reports ready (see Start). The generator is
    // exercised only on the first start, when it has learned nothing yet, and reset afterwards.
    private void WarmUp()
    {
        Pump();
        GC.GetAllocatedBytesForCurrentThread();
        Thread.Sleep(0);
        if (!_warmedUp)
        {
            _warmedUp = true;
            _generator.Observe(new NoteEvent(0, 0, -1, NoteEventKind.NoteOn, 0, 60, 0.5f));
            _generator.Observe(new NoteEvent(0.5, 24000, -1, NoteEventKind.NoteOff, 0, 60, 0f));
            _generator.Observe(new NoteEvent(0.5, 24000, -1, NoteEventKind.NoteOn, 0, 62, 0.5f));
            _generator.Observe(new NoteEvent(1, 48000, -1, NoteEventKind.NoteOff, 0, 62, 0f));
            _generator.EndPhrase();
            _ = _generator.Generate(new GenerationRequest(4, _answer.Length, 0.5f, 1), _answer);
            _ = _generator.LearnedNotes;
            _generator.Reset();
            ReadOnlySpan<int> warmUpPitches = [60, 64, 67, 65, 69, 72, 67, 71, 74];
            for (int i = 0; i < warmUpPitches.Length; i++)
            {
                _analyst.Observe(new NoteEvent(i * 0.5, i * 12000, -1, NoteEventKind.NoteOn, 0, (byte)warmUpPitches[i], 0.5f));
            }

            _ = _analyst.KeyIndex + _analyst.ChordCodeNow + _analyst.Next(0);
            _analyst.Reset();
            if (_accompanist is { } accompanist)
            {
                for (int i = 0; i < warmUpPitches.Length; i++)
                {
                    accompanist.Observe(new NoteEvent(i * 0.5, i * 12000, -1, NoteEventKind.NoteOn, 0, (byte)warmUpPitches[i], 0.5f));
                    accompanist.Observe(new NoteEvent((i * 0.5) + 0.4, (i * 12000) + 9600, -1, NoteEventKind.NoteOff, 0, (byte)warmUpPitches[i], 0f));
                }

                _ = accompanist.Accompany(new ChordSlotRequest(6, 2, 0.5f, 1), _answer);
                _ = accompanist.Accompany(new ChordSlotRequest(8, 2, 0.5f, 2), _answer);
                accompanist.Reset();
            }
        }
    }

    private void Accompany(in EngineMessage m)
    {
        if (_accompanist is null)
        {
            return;
        }

        var request = new ChordSlotRequest(m.AnswerStartBeat, m.MaxBeats, m.Creativity, m.Seed, m.Style);
        Send(m, _accompanist.Accompany(request, _answer), ScheduledNoteKind.Chord);
        Interlocked.Increment(ref _chords);
    }

    private void Answer(in EngineMessage m)
    {
        // The player already played again: this answer would be cancelled on arrival.
        if (_input.TryPeek(out EngineMessage next) && next.Kind is EngineMessageKind.Note or EngineMessageKind.Cancel)
        {
            Interlocked.Increment(ref _skippedStale);
            return;
        }

        var request = new GenerationRequest(m.MaxBeats, _answer.Length, m.Creativity, m.Seed, m.Style);
        Send(m, _generator.Generate(request, _answer), ScheduledNoteKind.Answer);
        Interlocked.Increment(ref _answers);
    }

    // The first `count` notes of _answer, placed at the message's start beat, back to the audio thread.
    private void Send(in EngineMessage m, int count, ScheduledNoteKind kind)
    {
        for (int i = 0; i < count; i++)
        {
            GeneratedNote g = _answer[i];
            double start = m.AnswerStartBeat + g.StartBeat;
            _output.TryWrite(new ScheduledNote(m.PhraseId, start, start + g.DurationBeats, g.Pitch, g.Velocity, kind));
        }
    }

    private void Run()
    {
        ThreadId = Environment.CurrentManagedThreadId;
        WarmUp();
        _ready = true;
        long lastActivity = Stopwatch.GetTimestamp();
        long baseline = GC.GetAllocatedBytesForCurrentThread();
        while (!_stopping)
        {
            if (Pump() > 0)
            {
                lastActivity = Stopwatch.GetTimestamp();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - baseline;
            if (allocated != AllocatedBytes)
            {
                Interlocked.Add(ref s_allWorkersAllocatedBytes, allocated - AllocatedBytes);
                AllocatedBytes = allocated;
            }

            bool idle = Stopwatch.GetTimestamp() - lastActivity > IdleAfterTicks;
            Thread.Sleep(idle ? IdleSleepMs : ActiveSleepMs);
        }
    }
}
