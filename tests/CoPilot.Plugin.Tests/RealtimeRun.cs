using System.Diagnostics;
using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>
/// Runs the plugin block by block at the pace of a real host (so the inference thread gets wall-clock time), and
/// records what comes out: notes, which of them CoPilot generated, and the displays.
/// </summary>
internal sealed class RealtimeRun(PluginUnderTest p)
{
    public const int Block = 512;
    public const double SamplesPerBeat = 24000; // 120 BPM at 48 kHz

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<(int, int), int> _open = [];

    public long Sample { get; private set; }

    public long FirstAnswerSample { get; private set; } = -1;

    public int AnswerNotes { get; private set; }

    public int UnmatchedOffs { get; private set; }

    public List<(long Sample, Event E)> Out { get; } = new(1 << 16);

    public int OpenNotes => _open.Values.Sum();

    /// <summary>Last "Learned Notes" display value the plugin sent, as the host would show it.</summary>
    public string? LearnedDisplay { get; private set; }

    /// <summary>Last "Key" display value the plugin sent.</summary>
    public string? KeyDisplay { get; private set; }

    /// <summary>Last text of each read-only display the plugin sent (chord, next chords...).</summary>
    public Dictionary<uint, string?> Displays { get; } = [];

    /// <summary>Processes blocks until the transport reaches <paramref name="beat"/>, in real time.</summary>
    public void Until(double beat)
    {
        while (p.TransportBeat < beat)
        {
            Step();
        }
    }

    public void Step()
    {
        // Real-time pacing: the inference thread gets the wall-clock time a host would give it.
        double due = Sample / 48000.0 * 1000;
        while (_clock.Elapsed.TotalMilliseconds < due)
        {
            Thread.Sleep(1);
        }

        Assert.Equal(Result.kResultOk, p.ProcessPlaying(Block));
        if (p.OutputChanges.Find(Parameters.LearnedNotes) is { Count: > 0 } learned)
        {
            LearnedDisplay = p.ParamString(Parameters.LearnedNotes, learned[learned.Count - 1].Value);
        }

        foreach (uint id in (uint[])[Parameters.Chord, Parameters.NextChord1, Parameters.NextChord2, Parameters.NextChord3])
        {
            if (p.OutputChanges.Find(id) is { Count: > 0 } q)
            {
                Displays[id] = p.ParamString(id, q[q.Count - 1].Value);
            }
        }

        if (p.OutputChanges.Find(Parameters.Key) is { Count: > 0 } keyQueue)
        {
            KeyDisplay = p.ParamString(Parameters.Key, keyQueue[keyQueue.Count - 1].Value);
        }

        foreach (Event e in p.OutputEvents.Events)
        {
            long at = Sample + e.sampleOffset;
            Out.Add((at, e));
            if (e.type == Event.kNoteOnEvent)
            {
                var key = (e.noteOn.channel, e.noteOn.pitch);
                _open[key] = _open.GetValueOrDefault(key) + 1;
                if (e.noteOn.noteId >= NoteRouter.AnswerNoteIdBase)
                {
                    AnswerNotes++;
                    if (FirstAnswerSample < 0)
                    {
                        FirstAnswerSample = at;
                    }
                }
            }
            else if (e.type == Event.kNoteOffEvent)
            {
                var key = (e.noteOff.channel, e.noteOff.pitch);
                if (_open.GetValueOrDefault(key) > 0)
                {
                    _open[key]--;
                }
                else
                {
                    UnmatchedOffs++;
                }
            }
        }

        Sample += Block;
    }

    /// <summary>Collections in the process so far, all generations.</summary>
    public static int Collections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);

    /// <summary>
    /// Starts a window in which no collection may happen: on an empty young generation, so the test thread's own
    /// bookkeeping (it plays the host) cannot fill it and set off a collection the plugin did not cause; the plugin's
    /// threads are judged by their own counters. Returns <see cref="Collections"/> at the start.
    /// </summary>
    public static int StartQuietWindow()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int collections = Collections();
        RealtimeGuard.Enabled = true;
        RealtimeGuard.Reset();
        return collections;
    }

    public static void PlayPhrase(PluginUnderTest p, RealtimeRun run, int[] pitches, double startBeat, double step)
    {
        for (int i = 0; i < pitches.Length; i++)
        {
            double on = startBeat + (i * step);
            run.Until(on - (Block / SamplesPerBeat));
            p.InputEvents.NoteOn((int)((on - p.TransportBeat) * SamplesPerBeat), 0, pitches[i], 0.8f);
            run.Step();
            run.Until(on + (step * 0.8) - (Block / SamplesPerBeat));
            p.InputEvents.NoteOff((int)((on + (step * 0.8) - p.TransportBeat) * SamplesPerBeat), 0, pitches[i]);
            run.Step();
        }
    }
}
