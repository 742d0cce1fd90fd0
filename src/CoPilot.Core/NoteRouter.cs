namespace CoPilot.Core;

/// <summary>What the router does with the player's notes besides passing them through.</summary>
public enum RouterMode
{
    /// <summary>Listen only: the player's notes pass through (if thru is on), nothing is generated.</summary>
    Off = 0,

    /// <summary>
    /// Answers every note with a transposed copy on CoPilot's own channel, sample-accurately. The first
    /// generator, kept as a routing check once the model-driven modes exist.
    /// </summary>
    Echo = 1,

    /// <summary>Call and response: when the player pauses, CoPilot continues the phrase in their style.</summary>
    Continue = 2,

    /// <summary>Every melody note gets voice-led harmony notes under it, sample-accurately.</summary>
    Harmonize = 3,

    /// <summary>Live accompaniment: while the player plays, chords under the tune on every bar and half bar.</summary>
    Accompany = 4,
}

/// <summary>The router's settings for one stretch of a block, as the parameters set them.</summary>
public readonly record struct RouterSettings(bool Bypass, RouterMode Mode, int Transpose, bool Thru, int OutputChannel)
{
    public static RouterSettings Default => new(Bypass: false, Mode: RouterMode.Echo, Transpose: 12, Thru: true, OutputChannel: 1);

    /// <summary>Passing the player's notes: always when bypassed (the plugin must act as absent), else if thru is on.</summary>
    public bool PassesThrough => Bypass || Thru;

    public bool Generates => !Bypass && Mode != RouterMode.Off;
}

/// <summary>
/// Turns the player's note events into output note events: the player's notes passed through, and the
/// notes CoPilot generates. Every note-on it emits is remembered in a <see cref="NoteTracker"/> so its
/// note-off follows whatever changed in between.
/// </summary>
/// <remarks>[audio thread] only; allocation-free after construction.</remarks>
public sealed class NoteRouter
{
    /// <summary>First note ID of generated notes: they are recognisable in a recording as CoPilot's.</summary>
    public const int AnswerNoteIdBase = 0x43500000; // "CP"

    /// <summary>Most harmony voices under one melody note.</summary>
    public const int MaxHarmonyVoices = 3;

    private readonly NoteTracker _tracker = new(layers: (int)NoteLayer.Harmony + MaxHarmonyVoices);

    // The player's note ID of the latest note-on per key (-1: none), to tell a late note-off of a
    // retriggered note from the note-off of the note now sounding.
    private readonly int[] _keyNoteId = CreateKeyNoteIds();
    private int _answerSerial;

    public RouterSettings Settings { get; private set; } = RouterSettings.Default;

    /// <summary>Open notes (sent, note-off not yet sent) across all layers.</summary>
    public int OpenNotes => _tracker.OpenCount;

    /// <summary>Open notes CoPilot generated (echo and answers).</summary>
    public int GeneratedOpen => _tracker.OpenCount - _tracker.OpenCountOf(NoteLayer.Thru);

    /// <summary>Open answer notes.</summary>
    public int AnswerOpen => _tracker.OpenCountOf(NoteLayer.Answer);

    /// <summary>Note-ons dropped because the destination was full or the pitch left the MIDI range.</summary>
    public long DroppedNotes { get; private set; }

    /// <summary>
    /// Applies new settings at <paramref name="sampleOffset"/>. Generated notes are released when
    /// generation stops (bypass, mode change); held notes otherwise keep sounding and are released later
    /// exactly as they were sent, whatever the new transpose or channel.
    /// </summary>
    public void Apply<TSink>(ref TSink sink, RouterSettings settings, int sampleOffset)
        where TSink : INoteSink
    {
        RouterSettings old = Settings;
        Settings = settings;
        if (old.Generates && (!settings.Generates || old.Mode != settings.Mode))
        {
            ReleaseGenerated(ref sink, sampleOffset);
        }
    }

    public void NoteOn<TSink>(ref TSink sink, int sampleOffset, int channel, int pitch, float velocity, int noteId)
        where TSink : INoteSink
    {
        if (!NoteTracker.IsValidKey(channel, pitch))
        {
            DroppedNotes++;
            return;
        }

        // A second note-on for a key that is still down (overlapping same-pitch notes, or a host that lost a
        // note-off): end what was sent for it first so that the later note-off cannot leave one hanging.
        bool thruFree = _tracker.Release(ref sink, NoteLayer.Thru, channel, pitch, sampleOffset);
        bool genFree = ReleaseGenerated(ref sink, channel, pitch, sampleOffset);

        _keyNoteId[(channel * NoteTracker.Pitches) + pitch] = noteId;
        RouterSettings s = Settings;
        if (s.PassesThrough)
        {
            if (thruFree && sink.TryNoteOn(sampleOffset, channel, pitch, velocity, noteId))
            {
                _tracker.Hold(NoteLayer.Thru, channel, pitch, new EmittedNote((byte)channel, (byte)pitch, noteId));
            }
            else
            {
                DroppedNotes++;
            }
        }

        if (s.Generates && s.Mode == RouterMode.Echo)
        {
            int outPitch = pitch + s.Transpose;
            // With thru on, the player's note and its echo sound together on one bus: they must not share a
            // note ID (hosts route expression and note-offs by ID), so the echo gets one of CoPilot's own.
            // With thru off the echo replaces the note and keeps its ID.
            int outId = s.PassesThrough && noteId != -1 ? NextGeneratedNoteId() : noteId;
            if (genFree && NoteTracker.IsValidKey(s.OutputChannel, outPitch)
                && sink.TryNoteOn(sampleOffset, s.OutputChannel, outPitch, velocity, outId))
            {
                _tracker.Hold(NoteLayer.Generated, channel, pitch, new EmittedNote((byte)s.OutputChannel, (byte)outPitch, outId));
            }
            else
            {
                DroppedNotes++;
            }
        }
    }

    /// <param name="noteId">The player's note ID, or -1. A note-off whose ID belongs to an earlier note on the
    /// same key (ended when the key was struck again) is ignored, so it cannot cut the note now sounding.</param>
    public void NoteOff<TSink>(ref TSink sink, int sampleOffset, int channel, int pitch, int noteId = -1)
        where TSink : INoteSink
    {
        if (!NoteTracker.IsValidKey(channel, pitch))
        {
            return;
        }

        ref int current = ref _keyNoteId[(channel * NoteTracker.Pitches) + pitch];
        if (noteId != -1 && current != -1 && noteId != current)
        {
            return;
        }

        current = -1;

        // Note-offs nobody asked for (key never passed, or already released by bypass) are swallowed: only
        // what was sent is released, so the output stays balanced.
        _tracker.Release(ref sink, NoteLayer.Thru, channel, pitch, sampleOffset);
        ReleaseGenerated(ref sink, channel, pitch, sampleOffset);
        ReleaseHarmony(ref sink, channel, pitch, sampleOffset);
    }

    /// <summary>
    /// Sends the harmony notes chosen for the player's melody note (channel, pitch) on CoPilot's output
    /// channel, at the melody note's sample; they end with its note-off. No-op unless Harmonize is on.
    /// </summary>
    public void HarmonyOn<TSink>(ref TSink sink, int sampleOffset, int channel, int pitch, float velocity, ReadOnlySpan<int> voices)
        where TSink : INoteSink
    {
        RouterSettings s = Settings;
        if (!s.Generates || s.Mode != RouterMode.Harmonize || !NoteTracker.IsValidKey(channel, pitch))
        {
            return;
        }

        int count = Math.Min(voices.Length, MaxHarmonyVoices);
        for (int v = 0; v < count; v++)
        {
            var layer = (NoteLayer)((int)NoteLayer.Harmony + v);
            int voice = voices[v];
            if (!_tracker.Release(ref sink, layer, channel, pitch, sampleOffset) || !NoteTracker.IsValidKey(s.OutputChannel, voice))
            {
                DroppedNotes++;
                continue;
            }

            int noteId = NextGeneratedNoteId();
            if (sink.TryNoteOn(sampleOffset, s.OutputChannel, voice, velocity, noteId))
            {
                _tracker.Hold(layer, channel, pitch, new EmittedNote((byte)s.OutputChannel, (byte)voice, noteId));
            }
            else
            {
                DroppedNotes++;
            }
        }
    }

    /// <summary>Releases everything CoPilot generated, echo and answers (all-notes-off, stop, bypass).</summary>
    public void ReleaseGenerated<TSink>(ref TSink sink, int sampleOffset)
        where TSink : INoteSink
    {
        _tracker.ReleaseLayer(ref sink, NoteLayer.Generated, sampleOffset);
        _tracker.ReleaseLayer(ref sink, NoteLayer.Answer, sampleOffset);
        for (int v = 0; v < MaxHarmonyVoices; v++)
        {
            _tracker.ReleaseLayer(ref sink, (NoteLayer)((int)NoteLayer.Harmony + v), sampleOffset);
        }
    }

    /// <summary>Releases the answer that is playing (the player started a new phrase, a jump).</summary>
    public void ReleaseAnswers<TSink>(ref TSink sink, int sampleOffset)
        where TSink : INoteSink => _tracker.ReleaseLayer(ref sink, NoteLayer.Answer, sampleOffset);

    /// <summary>Starts an answer note on the output channel (no-op when generation is off).</summary>
    public void AnswerNoteOn<TSink>(ref TSink sink, int sampleOffset, int pitch, float velocity)
        where TSink : INoteSink
    {
        RouterSettings s = Settings;
        int channel = s.OutputChannel;
        if (!s.Generates || !NoteTracker.IsValidKey(channel, pitch))
        {
            return;
        }

        // The same pitch still sounding from an earlier answer note: end it first, as a keyboard player would.
        if (!_tracker.Release(ref sink, NoteLayer.Answer, channel, pitch, sampleOffset))
        {
            DroppedNotes++;
            return;
        }

        int noteId = NextGeneratedNoteId();
        if (sink.TryNoteOn(sampleOffset, channel, pitch, velocity, noteId))
        {
            _tracker.Hold(NoteLayer.Answer, channel, pitch, new EmittedNote((byte)channel, (byte)pitch, noteId));
        }
        else
        {
            DroppedNotes++;
        }
    }

    /// <summary>Ends an answer note (whatever channel it was started on).</summary>
    public void AnswerNoteOff<TSink>(ref TSink sink, int sampleOffset, int pitch)
        where TSink : INoteSink
    {
        for (int channel = 0; channel < NoteTracker.Channels; channel++)
        {
            if (NoteTracker.IsValidKey(channel, pitch) && _tracker.IsOpen(NoteLayer.Answer, channel, pitch))
            {
                _tracker.Release(ref sink, NoteLayer.Answer, channel, pitch, sampleOffset);
            }
        }
    }

    /// <summary>Releases every open note, the player's passed-through ones too (deactivate, state load, reset).</summary>
    public void ReleaseAll<TSink>(ref TSink sink, int sampleOffset)
        where TSink : INoteSink
    {
        _tracker.ReleaseAll(ref sink, sampleOffset);
    }

    /// <summary>Delivers note-offs a full destination refused earlier. Call first in every block.</summary>
    public void FlushPending<TSink>(ref TSink sink, int sampleOffset)
        where TSink : INoteSink
    {
        _tracker.FlushPending(ref sink, sampleOffset);
    }

    private static int[] CreateKeyNoteIds()
    {
        var ids = new int[NoteTracker.Channels * NoteTracker.Pitches];
        Array.Fill(ids, -1);
        return ids;
    }

    private void ReleaseHarmony<TSink>(ref TSink sink, int channel, int pitch, int sampleOffset)
        where TSink : INoteSink
    {
        for (int v = 0; v < MaxHarmonyVoices; v++)
        {
            _tracker.Release(ref sink, (NoteLayer)((int)NoteLayer.Harmony + v), channel, pitch, sampleOffset);
        }
    }

    private int NextGeneratedNoteId() => AnswerNoteIdBase + (_answerSerial++ & 0xFFFF);

    private bool ReleaseGenerated<TSink>(ref TSink sink, int channel, int pitch, int sampleOffset)
        where TSink : INoteSink => _tracker.Release(ref sink, NoteLayer.Generated, channel, pitch, sampleOffset);
}
