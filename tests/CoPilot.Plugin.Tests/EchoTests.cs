using CoPilot.Core;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

/// <summary>The echo generator through the whole process() path: sample offsets, IDs, balance.</summary>
public sealed class EchoTests
{
    private static (int Offset, ushort Type, int Channel, int Pitch, int NoteId)[] Notes(HostEventList list)
    {
        var result = new List<(int, ushort, int, int, int)>();
        foreach (Event e in list.Events)
        {
            if (e.type == Event.kNoteOnEvent)
            {
                result.Add((e.sampleOffset, e.type, e.noteOn.channel, e.noteOn.pitch, e.noteOn.noteId));
            }
            else if (e.type == Event.kNoteOffEvent)
            {
                result.Add((e.sampleOffset, e.type, e.noteOff.channel, e.noteOff.pitch, e.noteOff.noteId));
            }
        }

        return [.. result];
    }

    [Fact]
    public void Each_note_passes_through_and_is_echoed_an_octave_up_on_channel_2_at_the_same_sample()
    {
        // The echo sounds beside the player's note, so it carries CoPilot's own note ID, not the player's.
        const int echoId = NoteRouter.AnswerNoteIdBase;
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        p.InputEvents.NoteOn(100, 0, 60, 0.5f, noteId: 42);
        p.InputEvents.NoteOff(300, 0, 60, noteId: 42);
        Assert.Equal(Result.kResultOk, p.ProcessBlock(512));

        Assert.Equal(
            [
                (100, Event.kNoteOnEvent, 0, 60, 42),
                (100, Event.kNoteOnEvent, 1, 72, echoId),
                (300, Event.kNoteOffEvent, 0, 60, 42),
                (300, Event.kNoteOffEvent, 1, 72, echoId),
            ],
            Notes(p.OutputEvents));
        Assert.Equal(0.5f, p.OutputEvents.Events[1].noteOn.velocity);
    }

    [Fact]
    public void Transpose_change_while_a_note_is_held_releases_the_pitch_that_was_sent()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        p.InputEvents.NoteOn(0, 0, 60);
        p.ProcessBlock(256);

        p.InputChanges.Add(Parameters.Transpose, 10, 0.5 + (7 / 48.0)); // +7
        p.InputChanges.Add(Parameters.OutputChannel, 10, 1.0); // channel 16
        p.InputEvents.NoteOff(20, 0, 60);
        p.InputEvents.NoteOn(30, 0, 62);
        p.ProcessBlock(256);

        Assert.Equal(
            [
                (20, Event.kNoteOffEvent, 0, 60, -1),
                (20, Event.kNoteOffEvent, 1, 72, -1),
                (30, Event.kNoteOnEvent, 0, 62, -1),
                (30, Event.kNoteOnEvent, 15, 69, -1),
            ],
            Notes(p.OutputEvents));
    }

    [Fact]
    public void Bypass_mid_block_releases_generated_notes_at_that_sample_and_passes_the_player_through()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        p.InputEvents.NoteOn(0, 0, 64);
        p.ProcessBlock(256);

        p.InputChanges.Add(Parameters.Bypass, 50, 1.0);
        p.InputEvents.NoteOn(80, 0, 67);
        p.ProcessBlock(256);
        Assert.Equal([(50, Event.kNoteOffEvent, 1, 76, -1), (80, Event.kNoteOnEvent, 0, 67, -1)], Notes(p.OutputEvents));

        p.InputEvents.NoteOff(0, 0, 64);
        p.InputEvents.NoteOff(0, 0, 67);
        p.ProcessBlock(256);
        Assert.Equal([(0, Event.kNoteOffEvent, 0, 64, -1), (0, Event.kNoteOffEvent, 0, 67, -1)], Notes(p.OutputEvents));
    }

    [Fact]
    public void Unsorted_and_out_of_block_input_comes_out_sorted_and_inside_the_block()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        p.InputEvents.NoteOn(400, 0, 50);
        p.InputEvents.NoteOn(-20, 0, 52);
        p.InputEvents.NoteOn(9000, 0, 54);
        p.InputEvents.NoteOn(10, 0, 55);
        p.ProcessBlock(512);

        int last = 0;
        foreach (Event e in p.OutputEvents.Events)
        {
            Assert.InRange(e.sampleOffset, last, 511);
            last = e.sampleOffset;
        }

        Assert.Equal(8, p.OutputEvents.Count);
    }

    [Fact]
    public void A_full_host_event_list_delays_note_offs_instead_of_losing_them()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        for (int k = 0; k < 8; k++)
        {
            p.InputEvents.NoteOn(k, 0, 60 + k);
        }

        p.ProcessBlock(256);
        Assert.Equal(16, p.OutputEvents.Count);

        p.OutputEvents.Capacity = 3;
        for (int k = 0; k < 8; k++)
        {
            p.InputEvents.NoteOff(k, 0, 60 + k);
        }

        int offs = 0;
        for (int block = 0; block < 10; block++)
        {
            p.ProcessBlock(256);
            offs += p.OutputEvents.Count;
        }

        Assert.Equal(16, offs);
    }

    [Fact]
    public void Deactivation_releases_everything_at_the_start_of_the_next_block()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        p.InputEvents.NoteOn(0, 3, 40);
        p.ProcessBlock(128);
        Assert.Equal(Result.kResultOk, p.SetProcessing(false));
        Assert.Equal(Result.kResultOk, p.SetActive(false));
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        p.ProcessBlock(128);
        Assert.Equal([(0, Event.kNoteOffEvent, 3, 40, -1), (0, Event.kNoteOffEvent, 1, 52, -1)], Notes(p.OutputEvents));

        // the player's own note-off later finds nothing left to release
        p.InputEvents.NoteOff(5, 3, 40);
        p.ProcessBlock(128);
        Assert.Equal(0, p.OutputEvents.Count);
    }

    [Fact]
    public void Mapped_controllers_are_forwarded_as_legacy_midi_cc_and_all_notes_off_stops_the_echo()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        p.SetMode(RouterMode.Echo);
        Assert.Equal(Result.kResultOk, p.GetMidiControllerAssignment(2, ControllerNumbers.kCtrlSustainOnOff, out uint sustain));
        Assert.Equal(Result.kResultOk, p.GetMidiControllerAssignment(2, ControllerNumbers.kPitchBend, out uint bend));
        Assert.Equal(Result.kResultOk, p.GetMidiControllerAssignment(0, ControllerNumbers.kCtrlAllSoundsOff, out uint allOff));

        p.InputEvents.NoteOn(0, 0, 60);
        p.InputChanges.Add(sustain, 5, 1.0);
        p.InputChanges.Add(bend, 6, 1.0);
        p.InputChanges.Add(allOff, 7, 0.0);
        p.ProcessBlock(128);

        Event[] events = p.OutputEvents.Events.ToArray();
        Event pedal = Array.Find(events, e => e.type == Event.kLegacyMIDICCOutEvent && e.midiCCOut.controlNumber == 64);
        Assert.Equal(2, pedal.midiCCOut.channel);
        Assert.Equal(127, pedal.midiCCOut.value);
        Event bendEvent = Array.Find(events, e => e.type == Event.kLegacyMIDICCOutEvent && e.midiCCOut.controlNumber == 129);
        Assert.Equal(127, bendEvent.midiCCOut.value);
        Assert.Equal(127, bendEvent.midiCCOut.value2);
        Assert.Contains(events, e => e.type == Event.kNoteOffEvent && e.noteOff.pitch == 72 && e.sampleOffset == 7);
    }
}
