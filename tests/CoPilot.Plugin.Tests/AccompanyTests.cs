using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Music;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>Accompany mode end to end: the player's tune in, chords out on the bar grid, in time and in key.</summary>
[Collection("realtime")]
public sealed class AccompanyTests
{
    // Twinkle, twinkle in C major, two notes a beat: the tune a musician might try first.
    private static readonly int[] Tune = [60, 60, 67, 67, 69, 69, 67, 65, 65, 64, 64, 62, 62, 60, 67, 67, 65, 65, 64, 64, 62, 67, 67, 65, 65, 64, 64, 62];

    private static List<(long Sample, int Pitch, bool On)> Chords(RealtimeRun run) =>
        [.. run.Out
            .Where(o => o.E.type == Event.kNoteOnEvent ? o.E.noteOn.noteId >= NoteRouter.AnswerNoteIdBase : o.E.type == Event.kNoteOffEvent && o.E.noteOff.channel == 1)
            .Select(o => o.E.type == Event.kNoteOnEvent ? (o.Sample, (int)o.E.noteOn.pitch, true) : (o.Sample, (int)o.E.noteOff.pitch, false))];

    [Fact]
    public void Chords_start_on_bar_and_half_bar_lines_in_the_players_key_and_are_all_released()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Accompany);
        var run = new RealtimeRun(p);
        run.Until(4.0);
        RealtimeRun.PlayPhrase(p, run, Tune, startBeat: 4.0, step: 0.5);
        run.Until(p.TransportBeat + 16);

        var chordOns = Chords(run).Where(c => c.On).ToList();
        Assert.True(chordOns.Count >= 12, $"only {chordOns.Count} chord notes under a 14-beat tune");

        // Every chord note starts on a half-bar line (4/4: every 2 beats), at most one block late.
        foreach (var (sample, _, _) in chordOns)
        {
            double beats = sample / RealtimeRun.SamplesPerBeat;
            double fromLine = beats - (Math.Floor((beats + 1e-9) / 2) * 2);
            Assert.True(fromLine <= RealtimeRun.Block / RealtimeRun.SamplesPerBeat + 1e-9, $"chord note at beat {beats:F3}, not on the half-bar grid");
        }

        // In C major: chord tones of the tune's key, and the bass below the tones.
        var scale = Scale.Of(PitchClass.C, Mode.Major);
        int inKey = chordOns.Count(c => scale.Contains(new PitchClass(c.Pitch % 12)));
        Assert.True(inKey >= 0.85 * chordOns.Count, $"{inKey} of {chordOns.Count} chord notes in C major");
        Assert.All(chordOns, c => Assert.InRange(c.Pitch, 36, 66));

        // The chords stop once the player has stopped, and nothing is left sounding.
        Assert.Equal(0, run.OpenNotes);
        Assert.Equal(0, run.UnmatchedOffs);
        double lastChord = chordOns[^1].Sample / RealtimeRun.SamplesPerBeat;
        double tuneEnd = 4.0 + (Tune.Length * 0.5);
        Assert.True(lastChord <= tuneEnd + (CallAndResponse.AccompanyQuietBars * 4) + 0.5, $"a chord at beat {lastChord:F2}, long after the tune ended at {tuneEnd}");
        Assert.True(p.ProcessorObject.Worker.ChordSlots > 0);
    }

    [Fact]
    public void The_players_notes_do_not_cancel_the_chords_and_leaving_accompany_releases_them()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Accompany);
        var run = new RealtimeRun(p);
        run.Until(2.0);
        RealtimeRun.PlayPhrase(p, run, Tune[..12], startBeat: 2.0, step: 0.5);

        // Chords sounded while the player kept playing: the floor is shared, not handed over.
        var chords = Chords(run);
        Assert.Contains(chords, c => c.On);

        // Leave Accompany in the middle of a chord: it ends at once, and no chord follows.
        run.Until(p.TransportBeat + 0.5);
        p.SetMode(RouterMode.Off);
        int after = Chords(run).Count(c => c.On);
        run.Until(p.TransportBeat + 8);
        Assert.Equal(after, Chords(run).Count(c => c.On));
        Assert.Equal(0, run.OpenNotes);
    }

    [Fact]
    public void Once_warm_accompanying_allocates_nothing_on_any_plugin_thread()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Accompany);
        var run = new RealtimeRun(p);
        run.Until(1.0);
        RealtimeRun.PlayPhrase(p, run, Tune[..16], startBeat: 1.0, step: 0.5);
        run.Until(p.TransportBeat + 2);
        InferenceWorker worker = p.ProcessorObject.Worker;
        Assert.True(worker.ChordSlots > 0);

        int gcBefore = RealtimeRun.StartQuietWindow();
        long workerBefore = worker.AllocatedBytes;
        long slotsBefore = worker.ChordSlots;

        RealtimeRun.PlayPhrase(p, run, Tune, startBeat: p.TransportBeat + 0.5, step: 0.5);
        run.Until(p.TransportBeat + 4);

        Assert.True(worker.ChordSlots > slotsBefore + 4, "no chords in the measured window");
        Assert.Equal(workerBefore, worker.AllocatedBytes);
        Assert.Equal(gcBefore, RealtimeRun.Collections());
        Assert.Equal(0, RealtimeGuard.Violations);
        Console.WriteLine($"accompanist: {p.ProcessorObject.Accompanist.StatusMessage}; model chords {p.ProcessorObject.Accompanist.ModelChords}, rule chords {p.ProcessorObject.Accompanist.RuleChords}");
    }
}
