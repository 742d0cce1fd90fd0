using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>Harmonize mode through process(): harmony notes leave in the same block as the melody note.</summary>
public sealed class HarmonizeTests
{
    private static readonly int[] CMajor = [0, 2, 4, 5, 7, 9, 11];

    [Fact]
    public void Each_melody_note_gets_three_voice_led_notes_below_it_at_the_same_sample()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Harmonize);
        int[] melody = [72, 71, 69, 67, 65, 64, 62, 60];
        for (int i = 0; i < melody.Length; i++)
        {
            p.InputEvents.NoteOn(100, 0, melody[i], 0.8f, i);
            p.InputEvents.NoteOff(400, 0, melody[i], i);
            Assert.Equal(Result.kResultOk, p.ProcessBlock(512));

            Event[] events = p.OutputEvents.Events.ToArray();
            int[] harmony = [.. events.Where(e => e.type == Event.kNoteOnEvent && e.noteOn.channel == 1).Select(e => (int)e.noteOn.pitch)];
            Assert.Equal(3, harmony.Length);
            Assert.All(events.Where(e => e.type == Event.kNoteOnEvent), e => Assert.Equal(100, e.sampleOffset));
            // SATB under the melody: at most a unison with it (the alto may double the soprano), never above.
            Assert.All(harmony, h => Assert.True(h <= melody[i], $"{h} above the melody {melody[i]}"));
            Assert.All(harmony, h => Assert.Contains(h % 12, CMajor)); // C major until the tracker says otherwise
            Assert.Equal(4, events.Count(e => e.type == Event.kNoteOffEvent && e.sampleOffset == 400)); // melody + 3 voices
        }

        Assert.Equal(0, p.ProcessorObject.Router.OpenNotes);
    }

    [Fact]
    public void Leaving_harmonize_releases_the_harmony_and_the_player_keeps_the_melody()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Harmonize);
        p.InputEvents.NoteOn(0, 0, 67, 0.8f, 1);
        p.ProcessBlock(256);
        Assert.Equal(4, p.ProcessorObject.Router.OpenNotes);

        p.InputChanges.Add(Parameters.Mode, 10, 0.0); // Off
        p.ProcessBlock(256);
        Assert.Equal(3, p.OutputEvents.Events.ToArray().Count(e => e.type == Event.kNoteOffEvent && e.sampleOffset == 10));
        Assert.Equal(1, p.ProcessorObject.Router.OpenNotes);
        p.InputEvents.NoteOff(0, 0, 67, 1);
        p.ProcessBlock(256);
        Assert.Equal(0, p.ProcessorObject.Router.OpenNotes);
    }

    [Fact]
    public void Harmonizing_allocates_nothing()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Harmonize);
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            int pitch = 60 + rng.Next(20);
            p.InputEvents.NoteOn(rng.Next(200), 0, pitch, 0.8f, i);
            p.InputEvents.NoteOff(300 + rng.Next(200), 0, pitch, i);
            p.ProcessBlock(512);
        }

        RealtimeGuard.Reset();
        int failures = 0;
        for (int i = 0; i < 2000; i++)
        {
            int pitch = 55 + rng.Next(30);
            p.InputEvents.NoteOn(rng.Next(200), 0, pitch, 0.8f, i);
            p.InputEvents.NoteOff(300 + rng.Next(200), 0, pitch, i);
            failures += p.ProcessBlock(512) == Result.kResultOk ? 0 : 1;
        }

        Assert.Equal(0, failures);
        Assert.Equal(0, RealtimeGuard.TotalBytes);
    }
}
