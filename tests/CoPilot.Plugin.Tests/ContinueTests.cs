using System.Diagnostics;
using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

[CollectionDefinition("realtime", DisableParallelization = true)]
public sealed class RealtimeCollection;

/// <summary>
/// Call and response through the whole plugin with the real inference thread: blocks are paced in real
/// time, so the answer's timing includes the thread hop.
/// </summary>
[Collection("realtime")]
public sealed class ContinueTests
{
    private const int Block = RealtimeRun.Block;
    private const double SamplesPerBeat = RealtimeRun.SamplesPerBeat;

    [Fact]
    public void The_answer_starts_within_one_beat_of_the_phrase_end_and_every_note_is_released()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        var run = new RealtimeRun(p);
        run.Until(1.0);
        RealtimeRun.PlayPhrase(p, run, [60, 62, 64, 65, 67], startBeat: 1.0, step: 0.5);
        double lastOffBeat = 1.0 + (4 * 0.5) + 0.4;
        run.Until(10.0);

        CallAndResponse engine = p.ProcessorObject.Engine;
        Assert.Equal(1, engine.PhraseCount);
        Assert.True(run.AnswerNotes > 0, "no answer");
        long phraseEnd = (long)Math.Round(engine.LastPhraseEndBeat * SamplesPerBeat);
        long latency = run.FirstAnswerSample - phraseEnd;
        long sinceLastNote = run.FirstAnswerSample - (long)Math.Round(lastOffBeat * SamplesPerBeat);
        Assert.InRange(latency, 0, (long)SamplesPerBeat);
        Assert.InRange(sinceLastNote, 0, (long)(2 * SamplesPerBeat));
        Assert.Equal(0, run.OpenNotes);
        Assert.Equal(0, run.UnmatchedOffs);
        Assert.Equal("5", run.LearnedDisplay); // the five notes of the phrase, reported by the inference thread
        Assert.True(p.ProcessorObject.Worker.MaxWakeLatencyMs < 50, $"wake {p.ProcessorObject.Worker.MaxWakeLatencyMs} ms");

        // Reported by the test run for the note on the issue.
        Console.WriteLine($"phrase end -> first answer note: {latency} samples ({latency / SamplesPerBeat:F3} beats); last note-off -> answer: {sinceLastNote} samples; worker wake max {p.ProcessorObject.Worker.MaxWakeLatencyMs:F2} ms");
    }

    [Fact]
    public void Playing_again_cuts_the_answer_at_that_sample()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        var run = new RealtimeRun(p);
        run.Until(1.0);
        RealtimeRun.PlayPhrase(p, run, [60, 64, 67, 72, 76, 79, 84, 88], startBeat: 1.0, step: 0.25);
        while (run.AnswerNotes == 0 && p.TransportBeat < 12)
        {
            run.Step();
        }

        Assert.True(run.AnswerNotes > 0);
        int answersBefore = run.AnswerNotes;
        p.InputEvents.NoteOn(100, 0, 50);
        run.Step();
        long cut = run.Sample - Block + 100;

        // every answer note sounding at the cut was released at the cut, and no answer note follows
        Assert.Equal(0, p.ProcessorObject.Router.AnswerOpen);
        run.Until(p.TransportBeat + 0.5);
        Assert.Equal(answersBefore, run.AnswerNotes);
        Assert.DoesNotContain(run.Out, o => o.Sample > cut && o.E.type == Event.kNoteOnEvent && o.E.noteOn.noteId >= NoteRouter.AnswerNoteIdBase);

        p.InputEvents.NoteOff(0, 0, 50);
        run.Step();
        run.Until(p.TransportBeat + 6);
        p.InputChanges.Add(Parameters.Mode, 0, 0); // Off: releases anything still sounding
        run.Step();
        Assert.Equal(0, run.OpenNotes);
    }

    [Fact]
    public void A_transport_jump_or_stop_releases_the_answer()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        var run = new RealtimeRun(p);
        run.Until(1.0);
        RealtimeRun.PlayPhrase(p, run, [60, 62, 64, 65, 67, 69, 71, 72], startBeat: 1.0, step: 0.25);
        while (p.ProcessorObject.Router.AnswerOpen == 0 && p.TransportBeat < 12)
        {
            run.Step();
        }

        Assert.True(p.ProcessorObject.Router.AnswerOpen > 0);
        p.TransportBeat = 64; // relocate
        run.Step();
        Assert.Equal(0, p.ProcessorObject.Router.AnswerOpen);
        Assert.Equal(0, p.ProcessorObject.Engine.Scheduler.Pending);
        Assert.Equal(0, run.OpenNotes);

        RealtimeRun.PlayPhrase(p, run, [60, 62, 64, 65, 67, 69, 71, 72], startBeat: p.TransportBeat + 0.5, step: 0.25);
        while (p.ProcessorObject.Router.AnswerOpen == 0 && p.TransportBeat < 90)
        {
            run.Step();
        }

        p.TransportPlaying = false; // stop
        run.Step();
        Assert.Equal(0, p.ProcessorObject.Router.AnswerOpen);
        Assert.Equal(0, run.OpenNotes);

        // Jamming with the transport stopped: the free-running clock carries the answer...
        BeatClock clock = p.ProcessorObject.Engine.Clock;
        double Now() => clock.BlockEndBeat;
        for (int i = 0; i < 8; i++)
        {
            p.InputEvents.NoteOn(0, 0, 60 + (2 * i));
            run.Step();
            p.InputEvents.NoteOff(0, 0, 60 + (2 * i));
            run.Step();
        }

        double until = Now() + 8;
        while (p.ProcessorObject.Router.AnswerOpen == 0 && Now() < until)
        {
            run.Step();
        }

        Assert.True(p.ProcessorObject.Router.AnswerOpen > 0, "no answer with the transport stopped");

        // ...until the transport starts somewhere else: that answer belongs to the old timeline.
        p.TransportPlaying = true;
        run.Step();
        Assert.Equal(0, p.ProcessorObject.Router.AnswerOpen);
        Assert.Equal(0, p.ProcessorObject.Engine.Scheduler.Pending);
        Assert.Equal(0, run.OpenNotes);
    }

    [Fact]
    public void Once_warm_no_plugin_thread_allocates_and_no_collection_happens_while_playing()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        var run = new RealtimeRun(p);
        int[] phrase = [60, 62, 64, 67, 69, 67, 64, 62];

        // Warm-up: one full call-and-response cycle so first-use costs (tiering, statics) are behind us.
        run.Until(1.0);
        RealtimeRun.PlayPhrase(p, run, phrase, startBeat: 1.0, step: 0.5);
        run.Until(12.0);
        Assert.True(run.AnswerNotes > 0);
        InferenceWorker worker = p.ProcessorObject.Worker;

        int gcBefore = RealtimeRun.StartQuietWindow();
        long workerBefore = worker.AllocatedBytes;
        long audioBefore = GC.GetAllocatedBytesForCurrentThread();
        int answersBefore = run.AnswerNotes;

        for (int k = 0; k < 3; k++)
        {
            RealtimeRun.PlayPhrase(p, run, phrase, startBeat: p.TransportBeat + 0.5, step: 0.5);
            run.Until(p.TransportBeat + 8);
        }

        // The audio calls run on the test thread, whose own bookkeeping (Run.Out) allocates, so the audio
        // path is judged by RealtimeGuard (inside the process thunk) and the inference thread by its counter.
        long audioAllocated = GC.GetAllocatedBytesForCurrentThread() - audioBefore;
        Assert.True(run.AnswerNotes > answersBefore, "no answers in the measured window");
        Assert.Equal(workerBefore, worker.AllocatedBytes);
        Assert.Equal(gcBefore, RealtimeRun.Collections());
        Assert.Equal(0, RealtimeGuard.Violations);
        Console.WriteLine($"measured window: inference thread +{worker.AllocatedBytes - workerBefore} B, test+audio thread +{audioAllocated} B (host bookkeeping), collections +{RealtimeRun.Collections() - gcBefore}");
    }

    [Fact]
    public void The_key_the_player_plays_in_is_shown()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Off);
        var run = new RealtimeRun(p);
        run.Until(1.0);
        // A melody in E minor with its leading tone (D#), the way a player would noodle.
        RealtimeRun.PlayPhrase(p, run, [64, 67, 71, 69, 67, 66, 63, 64, 71, 72, 71, 69, 67, 66, 64, 59, 64], startBeat: 1.0, step: 0.5);
        run.Until(p.TransportBeat + 2);
        Assert.Equal("E minor", run.KeyDisplay);
    }

    [Fact]
    public void The_chord_under_the_hands_and_three_likely_next_chords_are_shown()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Off);
        var run = new RealtimeRun(p);
        run.Until(1.0);

        void Strike(params int[] pitches)
        {
            foreach (int pitch in pitches)
            {
                p.InputEvents.NoteOn(0, 0, pitch, 0.7f);
            }

            run.Until(p.TransportBeat + 1.5);
            foreach (int pitch in pitches)
            {
                p.InputEvents.NoteOff(0, 0, pitch);
            }

            run.Until(p.TransportBeat + 0.5);
        }

        Strike(48, 60, 64, 67);      // C
        Strike(45, 60, 64, 69);      // Am
        Strike(41, 60, 65, 69);      // F
        Strike(43, 59, 62, 65, 67);  // G7
        Assert.Equal("G7", run.Displays[Parameters.Chord]);
        string?[] next = [run.Displays[Parameters.NextChord1], run.Displays[Parameters.NextChord2], run.Displays[Parameters.NextChord3]];
        Assert.Contains(next, n => n is "C" or "Cmaj7" or "Am");
        Console.WriteLine($"after C Am F G7: next = {string.Join(", ", next)}");
    }

    [Fact]
    public void Outside_continue_mode_phrases_are_learned_but_not_answered()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Off);
        var run = new RealtimeRun(p);
        run.Until(1.0);
        RealtimeRun.PlayPhrase(p, run, [60, 62, 64], startBeat: 1.0, step: 0.5);
        run.Until(6);
        Assert.Equal(1, p.ProcessorObject.Engine.PhraseCount);
        Assert.Equal(0, run.AnswerNotes);
    }
}
