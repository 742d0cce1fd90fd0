using CoPilot.Core;

namespace CoPilot.Core.Tests;

/// <summary>Answer notes (call and response): keyed by the note sent, released like every other note.</summary>
public class NoteRouterAnswerTests
{
    private const int IdBase = NoteRouter.AnswerNoteIdBase;

    private static readonly RouterSettings Continue = RouterSettings.Default with { Mode = RouterMode.Continue };

    private readonly NoteRouter _router = new();
    private RecordingSink _sink = new();

    private static SentNote On(int channel, int pitch, int noteId, float velocity = 0.6f) => SentNote.NoteOn(channel, pitch, noteId, velocity);

    private static SentNote Off(int channel, int pitch, int noteId) => SentNote.NoteOff(channel, pitch, noteId);

    private void Apply(RouterSettings s) => _router.Apply(ref _sink, s, 0);

    private void AnswerOn(int pitch) => _router.AnswerNoteOn(ref _sink, 0, pitch, 0.6f);

    private void AnswerOff(int pitch) => _router.AnswerNoteOff(ref _sink, 0, pitch);

    [Fact]
    public void Answer_notes_go_to_the_output_channel_with_their_own_ids_and_end_with_their_note_off()
    {
        Apply(Continue);
        AnswerOn(60);
        AnswerOn(64);
        Assert.Equal(2, _router.AnswerOpen);
        Assert.Equal(2, _router.GeneratedOpen);
        AnswerOff(60);
        AnswerOff(64);
        AnswerOff(64); // again: nothing left
        Assert.Equal([On(1, 60, IdBase), On(1, 64, IdBase + 1), Off(1, 60, IdBase), Off(1, 64, IdBase + 1)], _sink.Drain());
        Assert.Equal(0, _router.OpenNotes);
    }

    [Fact]
    public void Continue_mode_does_not_echo_the_players_notes()
    {
        Apply(Continue);
        _router.NoteOn(ref _sink, 0, 0, 60, 0.6f, 7);
        Assert.Equal([On(0, 60, 7)], _sink.Drain());
    }

    [Fact]
    public void No_answer_is_sent_while_generation_is_off()
    {
        Apply(Continue with { Mode = RouterMode.Off });
        AnswerOn(60);
        Apply(Continue with { Bypass = true });
        AnswerOn(61);
        Assert.Empty(_sink.Drain());
        Assert.Equal(0, _router.OpenNotes);
    }

    [Fact]
    public void A_repeated_answer_pitch_ends_the_earlier_note_first()
    {
        Apply(Continue);
        AnswerOn(60);
        AnswerOn(60);
        AnswerOff(60);
        Assert.Equal([On(1, 60, IdBase), Off(1, 60, IdBase), On(1, 60, IdBase + 1), Off(1, 60, IdBase + 1)], _sink.Drain());
    }

    [Fact]
    public void An_answer_note_ends_on_the_channel_it_started_on_after_the_output_channel_changed()
    {
        Apply(Continue);
        AnswerOn(60);
        Apply(Continue with { OutputChannel = 7 });
        AnswerOff(60);
        Assert.Equal([On(1, 60, IdBase), Off(1, 60, IdBase)], _sink.Drain());
    }

    [Fact]
    public void Bypass_and_mode_changes_release_answers_and_ReleaseAnswers_keeps_echo_notes()
    {
        _router.NoteOn(ref _sink, 0, 0, 50, 0.6f, 1); // echo with thru on: the echo takes generated id IdBase
        _router.AnswerNoteOn(ref _sink, 0, 70, 0.6f);  // an answer in Echo mode is allowed (generation is on)
        Assert.Equal([On(0, 50, 1), On(1, 62, IdBase), On(1, 70, IdBase + 1)], _sink.Drain());

        _router.ReleaseAnswers(ref _sink, 0);
        Assert.Equal([Off(1, 70, IdBase + 1)], _sink.Drain());
        Assert.Equal(2, _router.OpenNotes);

        AnswerOn(71);
        Apply(Continue); // mode change: every generated note ends, the player's thru note stays
        Assert.Equal([On(1, 71, IdBase + 2), Off(1, 62, IdBase), Off(1, 71, IdBase + 2)], _sink.Drain());
        Assert.Equal(1, _router.OpenNotes);
    }

    [Fact]
    public void A_pending_answer_release_blocks_a_new_answer_on_the_same_pitch()
    {
        Apply(Continue);
        AnswerOn(60);
        _sink.Drain();

        _sink.RefuseNoteOffs = true;
        AnswerOff(60);
        AnswerOn(60);
        Assert.Empty(_sink.Drain());
        Assert.Equal(1, _router.DroppedNotes);

        _sink.RefuseNoteOffs = false;
        _router.FlushPending(ref _sink, 0);
        Assert.Equal([Off(1, 60, IdBase)], _sink.Drain());
        Assert.Equal(0, _router.OpenNotes);
        Assert.Equal(0, _sink.UnmatchedOffs);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(104)]
    [InlineData(105)]
    [InlineData(106)]
    [InlineData(107)]
    [InlineData(108)]
    public void Random_runs_with_answers_stay_balanced(int seed)
    {
        const int Steps = 2_000;
        var rng = new Random(seed);
        var router = new NoteRouter();
        var sink = new RecordingSink();
        int nextId = 1;

        for (int step = 0; step < Steps; step++)
        {
            int offset = rng.Next(0, 512);
            int op = rng.Next(100);
            if (op < 20)
            {
                (int ch, int pitch) = NoteRouterPropertyTests.RandomKey(rng);
                router.NoteOn(ref sink, offset, ch, pitch, 0.5f, nextId++);
            }
            else if (op < 40)
            {
                (int ch, int pitch) = NoteRouterPropertyTests.RandomKey(rng);
                router.NoteOff(ref sink, offset, ch, pitch);
            }
            else if (op < 58)
            {
                router.AnswerNoteOn(ref sink, offset, rng.Next(-2, 130), 0.5f);
            }
            else if (op < 74)
            {
                router.AnswerNoteOff(ref sink, offset, rng.Next(-2, 130));
            }
            else if (op < 82)
            {
                RouterSettings s = NoteRouterPropertyTests.RandomSettings(rng);
                router.Apply(ref sink, s with { Mode = (RouterMode)rng.Next(0, 3) }, offset);
            }
            else if (op < 92)
            {
                int r = rng.Next(10);
                sink.Capacity = r < 3 ? 0 : r < 6 ? rng.Next(1, 4) : -1;
                sink.RefuseNoteOffs = rng.Next(10) == 0;
            }
            else if (op < 97)
            {
                router.FlushPending(ref sink, offset);
            }
            else
            {
                router.ReleaseAnswers(ref sink, offset);
            }

            Assert.True(sink.UnmatchedOffs == 0, $"seed {seed} step {step}: note-off for a note not sounding");
            Assert.True(sink.SoundingCount == router.OpenNotes, $"seed {seed} step {step}: sounding {sink.SoundingCount} != open {router.OpenNotes}");
            Assert.True(router.AnswerOpen <= router.GeneratedOpen, $"seed {seed} step {step}");
        }

        sink.Capacity = -1;
        sink.RefuseNoteOffs = false;
        router.ReleaseAll(ref sink, 0);
        router.FlushPending(ref sink, 0);
        Assert.Equal(0, router.OpenNotes);
        Assert.Equal(0, sink.SoundingCount);
        Assert.Equal(sink.TotalOns, sink.TotalOffs);
        Assert.Equal(0, sink.UnmatchedOffs);
    }
}
