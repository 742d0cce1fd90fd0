using CoPilot.Core;

namespace CoPilot.Core.Tests;

public class NoteRouterTests
{
    private const float Vel = 0.8f;

    private static readonly RouterSettings Echo = RouterSettings.Default; // Echo, +12, thru on, output channel 1

    private readonly NoteRouter _router = new();
    private RecordingSink _sink = new();

    private static SentNote On(int channel, int pitch, int noteId, int offset = 0, float velocity = Vel) =>
        SentNote.NoteOn(channel, pitch, noteId, velocity, offset);

    private static SentNote Off(int channel, int pitch, int noteId, int offset = 0) => SentNote.NoteOff(channel, pitch, noteId, offset);

    /// <summary>
    /// The ID of the router's <paramref name="serial"/>-th generated note-on (echo with thru on, or answer;
    /// counted from 0 per router, consumed even when the note is then dropped).
    /// </summary>
    private static int Gen(int serial) => NoteRouter.AnswerNoteIdBase + serial;

    private void Apply(RouterSettings s, int offset = 0) => _router.Apply(ref _sink, s, offset);

    private void NoteOn(int channel, int pitch, int noteId, int offset = 0, float velocity = Vel) =>
        _router.NoteOn(ref _sink, offset, channel, pitch, velocity, noteId);

    private void NoteOff(int channel, int pitch, int offset = 0) => _router.NoteOff(ref _sink, offset, channel, pitch);

    private SentNote[] Drain() => _sink.Drain();

    private void AssertBalanced()
    {
        Assert.Equal(0, _sink.UnmatchedOffs);
        Assert.Equal(_sink.SoundingCount, _router.OpenNotes);
    }

    [Fact]
    public void Default_settings_are_echo_an_octave_up_on_channel_index_1_with_thru()
    {
        Assert.Equal(new RouterSettings(false, RouterMode.Echo, 12, true, 1), _router.Settings);
        Assert.True(Echo.PassesThrough);
        Assert.True(Echo.Generates);
    }

    [Fact]
    public void Echo_passes_the_note_through_and_answers_it_transposed_on_the_output_channel()
    {
        NoteOn(0, 60, 7, offset: 3, velocity: 0.5f);
        Assert.Equal([On(0, 60, 7, 3, 0.5f), On(1, 72, Gen(0), 3, 0.5f)], Drain());
        Assert.Equal(2, _router.OpenNotes);
        Assert.Equal(1, _router.GeneratedOpen);

        NoteOff(0, 60, offset: 9);
        Assert.Equal([Off(0, 60, 7, 9), Off(1, 72, Gen(0), 9)], Drain());
        Assert.Equal(0, _router.OpenNotes);
        AssertBalanced();
    }

    [Fact]
    public void Echo_note_id_is_generated_with_thru_on_and_the_players_own_with_thru_off()
    {
        // Thru on: the player's note and its echo sound together, so the echo must not reuse id 7.
        NoteOn(0, 60, 7);
        SentNote[] on = Drain();
        Assert.Equal([On(0, 60, 7), On(1, 72, Gen(0))], on);
        int echoId = on[1].NoteId;
        Assert.NotEqual(7, echoId);
        Assert.True(echoId >= NoteRouter.AnswerNoteIdBase, $"echo id {echoId} below AnswerNoteIdBase");
        NoteOff(0, 60);
        SentNote[] off = Drain();
        Assert.Equal([Off(0, 60, 7), Off(1, 72, echoId)], off);
        Assert.Equal(on[1].NoteId, off[1].NoteId);
        AssertBalanced();

        // Thru off: the echo replaces the player's note and keeps its id; no serial is consumed.
        Apply(Echo with { Thru = false });
        NoteOn(0, 60, 7);
        Assert.Equal([On(1, 72, 7)], Drain());
        NoteOff(0, 60);
        Assert.Equal([Off(1, 72, 7)], Drain());

        // Thru on again: the next generated id follows the first one.
        Apply(Echo);
        NoteOn(0, 60, 7);
        Assert.Equal([On(0, 60, 7), On(1, 72, Gen(1))], Drain());
        NoteOff(0, 60);
        Assert.Equal([Off(0, 60, 7), Off(1, 72, Gen(1))], Drain());
        AssertBalanced();
    }

    [Fact]
    public void Echo_of_a_note_without_id_keeps_minus_one_even_with_thru_on_and_consumes_no_serial()
    {
        // noteId -1 means "no id": the rule `PassesThrough && noteId != -1` is false, so the echo is sent
        // with -1 as well (thru note and echo differ in channel and pitch) and the serial is not advanced.
        NoteOn(0, 60, -1);
        Assert.Equal([On(0, 60, -1), On(1, 72, -1)], Drain());
        NoteOff(0, 60);
        Assert.Equal([Off(0, 60, -1), Off(1, 72, -1)], Drain());
        AssertBalanced();

        NoteOn(0, 62, 3);
        Assert.Equal([On(0, 62, 3), On(1, 74, Gen(0))], Drain());
        NoteOff(0, 62);
        Assert.Equal([Off(0, 62, 3), Off(1, 74, Gen(0))], Drain());
        AssertBalanced();
    }

    [Fact]
    public void Generated_ids_are_consumed_by_dropped_echoes_and_shared_with_answer_notes()
    {
        // The echo's id is taken before the send is tried: an echo out of the MIDI range still uses one.
        Apply(Echo with { Transpose = 12 });
        NoteOn(0, 120, 1);
        Assert.Equal([On(0, 120, 1)], Drain());
        Assert.Equal(1, _router.DroppedNotes);

        // An echo refused by a full sink uses one too.
        _sink.Capacity = 1;
        NoteOn(0, 50, 2);
        Assert.Equal([On(0, 50, 2)], Drain());
        Assert.Equal(2, _router.DroppedNotes);
        _sink.Capacity = -1;

        // Answers draw from the same counter.
        _router.AnswerNoteOn(ref _sink, 0, 90, Vel);
        NoteOn(0, 60, 3);
        Assert.Equal([On(1, 90, Gen(2)), On(0, 60, 3), On(1, 72, Gen(3))], Drain());

        _router.AnswerNoteOff(ref _sink, 0, 90);
        NoteOff(0, 60);
        NoteOff(0, 50);
        NoteOff(0, 120);
        Assert.Equal([Off(1, 90, Gen(2)), Off(0, 60, 3), Off(1, 72, Gen(3)), Off(0, 50, 2), Off(0, 120, 1)], Drain());
        Assert.Equal(0, _router.OpenNotes);
        AssertBalanced();
    }

    [Fact]
    public void Transpose_change_while_held_releases_the_pitch_that_was_sent()
    {
        NoteOn(0, 60, 1);
        Apply(Echo with { Transpose = 7 });
        NoteOn(0, 62, 2);
        Assert.Equal([On(0, 60, 1), On(1, 72, Gen(0)), On(0, 62, 2), On(1, 69, Gen(1))], Drain());

        NoteOff(0, 60);
        NoteOff(0, 62);
        Assert.Equal([Off(0, 60, 1), Off(1, 72, Gen(0)), Off(0, 62, 2), Off(1, 69, Gen(1))], Drain());
        AssertBalanced();
        Assert.Equal(0, _router.OpenNotes);
    }

    [Fact]
    public void Output_channel_change_while_held_releases_the_channel_that_was_sent()
    {
        NoteOn(2, 60, 1);
        Apply(Echo with { OutputChannel = 9, Transpose = -5 });
        Assert.Equal([On(2, 60, 1), On(1, 72, Gen(0))], Drain());

        NoteOff(2, 60);
        Assert.Equal([Off(2, 60, 1), Off(1, 72, Gen(0))], Drain());

        NoteOn(2, 60, 2);
        Assert.Equal([On(2, 60, 2), On(9, 55, Gen(1))], Drain());
        NoteOff(2, 60);
        Assert.Equal([Off(2, 60, 2), Off(9, 55, Gen(1))], Drain());
        AssertBalanced();
    }

    [Fact]
    public void Bypass_releases_generated_notes_at_its_offset_and_keeps_thru_notes_until_their_note_off()
    {
        NoteOn(0, 60, 1);
        NoteOn(0, 64, 2);
        Drain();

        Apply(Echo with { Bypass = true }, offset: 4);
        Assert.Equal([Off(1, 72, Gen(0), 4), Off(1, 76, Gen(1), 4)], Drain());
        Assert.Equal(2, _router.OpenNotes);
        Assert.Equal(0, _router.GeneratedOpen);

        NoteOff(0, 60, offset: 6);
        Assert.Equal([Off(0, 60, 1, 6)], Drain());
        NoteOff(0, 64);
        Assert.Equal([Off(0, 64, 2)], Drain());
        NoteOff(0, 64); // repeated note-off: nothing left to release
        Assert.Empty(Drain());
        AssertBalanced();
    }

    [Fact]
    public void While_bypassed_notes_pass_through_even_with_thru_off_and_nothing_is_generated()
    {
        Apply(Echo with { Thru = false, Bypass = true });
        NoteOn(0, 60, 1);
        Assert.Equal([On(0, 60, 1)], Drain());

        // Leaving bypass with thru off: the held note is the player's and ends with its own note-off.
        Apply(Echo with { Thru = false });
        Assert.Empty(Drain());
        NoteOff(0, 60);
        Assert.Equal([Off(0, 60, 1)], Drain());
        AssertBalanced();
    }

    [Fact]
    public void Mode_off_releases_generated_notes_and_keeps_thru_notes()
    {
        NoteOn(0, 60, 1);
        Drain();

        Apply(Echo with { Mode = RouterMode.Off }, offset: 2);
        Assert.Equal([Off(1, 72, Gen(0), 2)], Drain());

        NoteOn(0, 62, 2);
        Assert.Equal([On(0, 62, 2)], Drain());

        // Back to Echo while both keys are held: their note-offs end only what was sent for them.
        Apply(Echo);
        Assert.Empty(Drain());
        NoteOff(0, 60);
        NoteOff(0, 62);
        Assert.Equal([Off(0, 60, 1), Off(0, 62, 2)], Drain());
        Assert.Equal(0, _router.OpenNotes);
        AssertBalanced();
    }

    [Fact]
    public void Mode_off_with_thru_off_emits_nothing_at_all()
    {
        Apply(Echo with { Mode = RouterMode.Off, Thru = false });
        long dropped = _router.DroppedNotes;
        NoteOn(0, 60, 1);
        NoteOff(0, 60);
        Assert.Empty(Drain());
        Assert.Equal(dropped, _router.DroppedNotes);
    }

    [Fact]
    public void Thru_off_sends_only_the_generated_note()
    {
        Apply(Echo with { Thru = false });
        NoteOn(3, 40, 1);
        NoteOff(3, 40);
        Assert.Equal([On(1, 52, 1), Off(1, 52, 1)], Drain());
    }

    [Fact]
    public void Turning_thru_off_while_a_note_is_held_keeps_it_until_its_note_off()
    {
        NoteOn(0, 60, 1);
        Drain();
        Apply(Echo with { Thru = false });
        Assert.Empty(Drain());
        NoteOff(0, 60);
        Assert.Equal([Off(0, 60, 1), Off(1, 72, Gen(0))], Drain());
    }

    [Fact]
    public void Settings_changes_that_keep_generating_in_the_same_mode_release_nothing()
    {
        NoteOn(0, 60, 1);
        Drain();
        Apply(Echo with { Transpose = -12, OutputChannel = 4, Thru = false });
        Apply(Echo);
        Assert.Empty(Drain());
        Assert.Equal(2, _router.OpenNotes);
    }

    [Fact]
    public void Overlapping_same_pitch_note_ons_release_the_earlier_note_first()
    {
        NoteOn(0, 60, 1, offset: 0);
        NoteOn(0, 60, 2, offset: 5);
        Assert.Equal(
            [On(0, 60, 1, 0), On(1, 72, Gen(0), 0), Off(0, 60, 1, 5), Off(1, 72, Gen(0), 5), On(0, 60, 2, 5), On(1, 72, Gen(1), 5)],
            Drain());
        Assert.Equal(2, _router.OpenNotes);

        NoteOff(0, 60);
        Assert.Equal([Off(0, 60, 2), Off(1, 72, Gen(1))], Drain());
        NoteOff(0, 60); // the second note-off of the overlap finds nothing open
        Assert.Empty(Drain());
        AssertBalanced();
    }

    [Fact]
    public void Overlapping_note_on_after_a_transpose_change_releases_the_old_pitch()
    {
        NoteOn(0, 60, 1);
        Apply(Echo with { Transpose = 5 });
        NoteOn(0, 60, 2);
        Assert.Equal([On(0, 60, 1), On(1, 72, Gen(0)), Off(0, 60, 1), Off(1, 72, Gen(0)), On(0, 60, 2), On(1, 65, Gen(1))], Drain());
    }

    [Fact]
    public void Note_off_without_note_on_emits_nothing()
    {
        NoteOff(0, 60);
        NoteOn(1, 60, 1);
        Drain();
        NoteOff(0, 60); // same pitch, other channel
        NoteOff(1, 61); // same channel, other pitch
        Assert.Empty(Drain());
        Assert.Equal(2, _router.OpenNotes);
    }

    [Theory]
    [InlineData(12, 116)]
    [InlineData(12, 127)]
    [InlineData(-24, 23)]
    [InlineData(-1, 0)]
    public void Transposition_out_of_range_emits_no_generated_note_and_counts_a_drop(int transpose, int pitch)
    {
        Apply(Echo with { Transpose = transpose });
        NoteOn(0, pitch, 1);
        Assert.Equal([On(0, pitch, 1)], Drain());
        Assert.Equal(1, _router.DroppedNotes);
        Assert.Equal(0, _router.GeneratedOpen);

        NoteOff(0, pitch);
        Assert.Equal([Off(0, pitch, 1)], Drain());
        AssertBalanced();
    }

    [Theory]
    [InlineData(12, 115, 127)]
    [InlineData(-24, 24, 0)]
    public void Transposition_to_the_edges_of_the_range_is_sent(int transpose, int pitch, int expected)
    {
        Apply(Echo with { Transpose = transpose, Thru = false });
        NoteOn(0, pitch, 1);
        Assert.Equal([On(1, expected, 1)], Drain());
        Assert.Equal(0, _router.DroppedNotes);
    }

    [Fact]
    public void A_full_sink_keeps_note_offs_pending_and_flush_delivers_them_later()
    {
        NoteOn(0, 60, 1);
        Drain();

        _sink.Capacity = 0;
        NoteOff(0, 60);
        _router.FlushPending(ref _sink, 0);
        Assert.Empty(Drain());
        Assert.Equal(2, _router.OpenNotes);

        _sink.Capacity = -1;
        _router.FlushPending(ref _sink, 11);
        Assert.Equal([Off(0, 60, 1, 11), Off(1, 72, Gen(0), 11)], Drain());
        Assert.Equal(0, _router.OpenNotes);

        _router.FlushPending(ref _sink, 12);
        NoteOff(0, 60);
        Assert.Empty(Drain());
        AssertBalanced();
    }

    [Fact]
    public void A_note_on_for_a_key_whose_release_is_pending_is_dropped_not_sent_before_the_off()
    {
        NoteOn(0, 60, 1);
        Drain();

        _sink.RefuseNoteOffs = true; // room for note-ons, none for note-offs
        NoteOff(0, 60);
        NoteOn(0, 60, 2);
        Assert.Empty(Drain());
        Assert.Equal(2, _router.DroppedNotes);
        Assert.Equal(2, _router.OpenNotes); // the two notes of the first note-on (id 1 and its echo), still owed

        _sink.RefuseNoteOffs = false;
        _router.FlushPending(ref _sink, 0);
        Assert.Equal([Off(0, 60, 1), Off(1, 72, Gen(0))], Drain());
        NoteOff(0, 60); // the dropped note's own note-off: nothing was sent for it
        Assert.Empty(Drain());
        Assert.Equal(0, _router.OpenNotes);
        AssertBalanced();
    }

    [Fact]
    public void A_note_on_with_room_for_only_one_event_sends_the_owed_off_and_nothing_else()
    {
        NoteOn(0, 60, 1);
        Drain();

        _sink.Capacity = 1;
        NoteOn(0, 60, 2);
        Assert.Equal([Off(0, 60, 1)], Drain());
        Assert.Equal(2, _router.DroppedNotes);

        _sink.Capacity = -1;
        _router.FlushPending(ref _sink, 0);
        Assert.Equal([Off(1, 72, Gen(0))], Drain());
        Assert.Equal(0, _router.OpenNotes);
        AssertBalanced();
    }

    [Fact]
    public void A_note_on_into_a_full_sink_is_dropped_and_its_note_off_emits_nothing()
    {
        _sink.Capacity = 0;
        NoteOn(0, 60, 1);
        Assert.Equal(2, _router.DroppedNotes);
        _sink.Capacity = -1;
        NoteOff(0, 60);
        Assert.Empty(Drain());
        Assert.Equal(0, _router.OpenNotes);
    }

    [Fact]
    public void Bypass_into_a_full_sink_leaves_generated_offs_pending_until_flushed()
    {
        NoteOn(0, 60, 1);
        NoteOn(0, 61, 2);
        Drain();

        _sink.Capacity = 1;
        Apply(Echo with { Bypass = true }, offset: 3);
        Assert.Equal([Off(1, 72, Gen(0), 3)], Drain());
        Assert.Equal(1, _router.GeneratedOpen);

        _sink.Capacity = -1;
        _router.FlushPending(ref _sink, 0);
        Assert.Equal([Off(1, 73, Gen(1))], Drain());
        Assert.Equal(0, _router.GeneratedOpen);
        Assert.Equal(2, _router.OpenNotes);
        AssertBalanced();
    }

    [Theory]
    [InlineData(-1, 60)]
    [InlineData(16, 60)]
    [InlineData(0, -1)]
    [InlineData(0, 128)]
    [InlineData(int.MinValue, int.MaxValue)]
    public void Invalid_channel_or_pitch_is_ignored(int channel, int pitch)
    {
        NoteOn(channel, pitch, 1);
        NoteOff(channel, pitch);
        Assert.Empty(Drain());
        Assert.Equal(0, _router.OpenNotes);
    }

    [Fact]
    public void ReleaseGenerated_keeps_thru_notes_and_ReleaseAll_ends_everything()
    {
        NoteOn(0, 60, 1);
        NoteOn(5, 40, 2);
        Drain();

        _router.ReleaseGenerated(ref _sink, 1);
        Assert.Equal([Off(1, 72, Gen(0), 1), Off(1, 52, Gen(1), 1)], Drain());
        Assert.Equal(2, _router.OpenNotes);

        _router.ReleaseAll(ref _sink, 2);
        Assert.Equal([Off(0, 60, 1, 2), Off(5, 40, 2, 2)], Drain());
        Assert.Equal(0, _router.OpenNotes);

        NoteOff(0, 60);
        NoteOff(5, 40);
        Assert.Empty(Drain());
        AssertBalanced();
    }
}
