namespace CoPilot.Inference.Tests;

public class PhraseAssemblerTests
{
    private readonly PhraseAssembler _assembler = new(64);
    private readonly LearnedStep[] _steps = new LearnedStep[64];

    [Fact]
    public void Notes_become_steps_with_intervals_durations_and_a_phrase_end()
    {
        _assembler.NoteOn(10.0, 0, 60, 0.5f);
        _assembler.NoteOff(10.5, 0, 60);
        _assembler.NoteOn(10.5, 0, 62, 0.6f);
        _assembler.NoteOff(10.75, 0, 62);
        _assembler.NoteOn(11.0, 0, 64, 0.7f);
        _assembler.NoteOff(12.0, 0, 64);

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(
            [
                new LearnedStep(60, IoiTicks: 6, DurationTicks: 6, 0.5f, EndsPhrase: false),
                new LearnedStep(62, IoiTicks: 6, DurationTicks: 3, 0.6f, EndsPhrase: false),
                new LearnedStep(64, IoiTicks: 6, DurationTicks: 12, 0.7f, EndsPhrase: true),
            ],
            _steps[..n]);
        Assert.Equal(0, _assembler.Count);
    }

    [Fact]
    public void Timing_is_quantised_to_twelve_ticks_a_beat()
    {
        _assembler.NoteOn(0.02, 0, 60, 1f); // a little late
        _assembler.NoteOff(0.30, 0, 60);
        _assembler.NoteOn(0.34, 0, 62, 1f); // an eighth-note triplet, played slightly early
        _assembler.NoteOff(0.60, 0, 62);
        _assembler.NoteOn(0.67, 0, 64, 1f);
        _assembler.NoteOff(0.70, 0, 64); // a very short note still lasts a tick

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(3, n);
        Assert.Equal(4, _steps[0].IoiTicks);
        Assert.Equal(3, _steps[0].DurationTicks);
        Assert.Equal(4, _steps[1].IoiTicks);
        Assert.Equal(1, _steps[2].DurationTicks);
    }

    [Fact]
    public void A_chord_is_one_step_carried_by_its_top_note()
    {
        _assembler.NoteOn(0.00, 0, 48, 0.9f);
        _assembler.NoteOn(0.01, 0, 67, 0.7f);
        _assembler.NoteOn(0.02, 0, 64, 0.8f);
        _assembler.NoteOff(0.9, 0, 48);
        _assembler.NoteOff(0.9, 0, 64);
        _assembler.NoteOff(1.0, 0, 67);
        _assembler.NoteOn(1.0, 0, 65, 0.5f);
        _assembler.NoteOn(1.0, 0, 69, 0.6f);
        _assembler.NoteOff(1.5, 0, 65);
        _assembler.NoteOff(1.5, 0, 69);

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(2, n);
        Assert.Equal(new LearnedStep(67, 12, 12, 0.7f, false), _steps[0]);
        Assert.Equal(new LearnedStep(69, 12, 6, 0.6f, true), _steps[1]);
    }

    [Fact]
    public void A_note_off_without_its_note_on_is_ignored()
    {
        _assembler.NoteOff(0.0, 0, 61);
        _assembler.NoteOn(0.0, 0, 60, 1f);
        _assembler.NoteOff(0.5, 1, 60); // other channel
        _assembler.NoteOff(1.0, 0, 60);
        _assembler.NoteOff(1.5, 0, 60); // second note-off of the same note

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(1, n);
        Assert.Equal(60, _steps[0].Pitch);
        Assert.Equal(12, _steps[0].DurationTicks);
    }

    [Fact]
    public void A_key_struck_again_while_held_ends_the_earlier_note()
    {
        _assembler.NoteOn(0.0, 0, 60, 1f);
        _assembler.NoteOn(1.0, 0, 60, 1f);
        _assembler.NoteOff(1.5, 0, 60);
        _assembler.NoteOff(2.0, 0, 60);

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(2, n);
        Assert.Equal(12, _steps[0].DurationTicks);
        Assert.Equal(12, _steps[0].IoiTicks);
        Assert.Equal(6, _steps[1].DurationTicks);
    }

    [Fact]
    public void A_retrigger_whose_note_off_comes_after_its_note_on_keeps_the_new_note()
    {
        _assembler.NoteOn(0.0, 0, 60, 1f);
        _assembler.NoteOn(1.0, 0, 60, 1f); // new note first ...
        _assembler.NoteOff(1.0, 0, 60);    // ... then the old note's note-off at the same time
        _assembler.NoteOff(1.5, 0, 60);

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(2, n);
        Assert.Equal(12, _steps[0].DurationTicks);
        Assert.Equal(6, _steps[1].DurationTicks);
    }

    [Fact]
    public void Notes_held_at_the_phrase_end_close_at_the_last_event()
    {
        _assembler.NoteOn(0.0, 0, 60, 1f);
        _assembler.NoteOn(1.0, 2, 64, 1f);
        _assembler.NoteOff(2.0, 2, 64);

        int n = _assembler.TakePhrase(_steps);

        Assert.Equal(2, n);
        Assert.Equal(24, _steps[0].DurationTicks);
        Assert.Equal(12, _steps[1].DurationTicks);

        // The held note is forgotten: its late note-off does not reach into the next phrase.
        _assembler.NoteOff(3.0, 0, 60);
        Assert.Equal(0, _assembler.TakePhrase(_steps));
    }

    [Fact]
    public void A_one_note_phrase_uses_its_duration_as_interval()
    {
        _assembler.NoteOn(4.0, 0, 67, 1f);
        _assembler.NoteOff(4.75, 0, 67);

        Assert.Equal(1, _assembler.TakePhrase(_steps));
        Assert.Equal(new LearnedStep(67, 9, 9, 1f, true), _steps[0]);
    }

    [Fact]
    public void A_full_phrase_ignores_further_notes_and_clear_forgets_held_ones()
    {
        var small = new PhraseAssembler(2);
        small.NoteOn(0, 0, 60, 1f);
        small.NoteOn(1, 0, 62, 1f);
        Assert.True(small.IsFull);
        small.NoteOn(2, 0, 64, 1f);
        Assert.Equal(2, small.Count);

        small.Clear();
        small.NoteOff(3, 0, 60);
        Assert.Equal(0, small.TakePhrase(_steps));
    }
}
