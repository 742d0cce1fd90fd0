using CoPilot.Core;

namespace CoPilot.Core.Tests;

/// <summary>
/// A key struck again before its note-off: the late note-off of the first note (told apart by its note ID)
/// must not cut the second. Found by the native host's phrase generator.
/// </summary>
public sealed class RetriggerTests
{
    [Fact]
    public void Late_note_off_of_a_retriggered_note_does_not_end_the_new_one()
    {
        var router = new NoteRouter();
        var sink = new RecordingSink();
        router.Apply(ref sink, RouterSettings.Default with { Thru = true, Mode = RouterMode.Off }, 0);
        router.NoteOn(ref sink, 0, 0, 63, 0.8f, 283);
        router.NoteOn(ref sink, 10, 0, 63, 0.8f, 284); // retrigger: 283 is ended here
        router.NoteOff(ref sink, 20, 0, 63, 283);       // late off of 283: ignored
        Assert.Equal(1, router.OpenNotes);
        router.NoteOff(ref sink, 30, 0, 63, 284);
        Assert.Equal(0, router.OpenNotes);
        SentNote[] sent = sink.Drain();
        Assert.Equal([true, false, true, false], sent.Select(n => n.On).ToArray());
        Assert.Equal([283, 283, 284, 284], sent.Select(n => n.NoteId).ToArray());
        Assert.Equal(30, sent[^1].SampleOffset);
    }

    [Fact]
    public void Without_note_ids_the_key_decides()
    {
        var router = new NoteRouter();
        var sink = new RecordingSink();
        router.Apply(ref sink, RouterSettings.Default with { Mode = RouterMode.Off }, 0);
        router.NoteOn(ref sink, 0, 0, 63, 0.8f, -1);
        router.NoteOn(ref sink, 10, 0, 63, 0.8f, -1);
        router.NoteOff(ref sink, 20, 0, 63, -1);
        Assert.Equal(0, router.OpenNotes);
    }

    [Fact]
    public void The_phrase_detector_keeps_a_retriggered_key_down_until_its_own_note_off()
    {
        var d = new PhraseDetector();
        d.NoteOn(0, 63, 1.0, 283);
        d.NoteOn(0, 63, 1.5, 284);
        d.NoteOff(0, 63, 1.6, 283);
        Assert.Equal(1, d.HeldKeys);
        d.NoteOff(0, 63, 2.0, 284);
        Assert.Equal(0, d.HeldKeys);
    }
}
