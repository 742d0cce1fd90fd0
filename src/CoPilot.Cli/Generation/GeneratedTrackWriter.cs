using System.Buffers.Binary;
using System.Text;

namespace CoPilot.Cli.Generation;

/// <summary>A note to write, in quarter-note beats; velocity 1–127.</summary>
public readonly record struct TrackNote(double StartBeat, double DurationBeats, int Pitch, int Velocity)
{
    public double EndBeat => StartBeat + DurationBeats;
}

/// <summary>What a generated track says about itself, written as meta events at its start.</summary>
/// <param name="Name">The track name (FF 03).</param>
/// <param name="Description">A text event (FF 01): what generated the notes, with model and seed.</param>
/// <param name="MarkerBeat">Where a marker (FF 06) saying "CoPilot generated" goes: the start of the generated music.</param>
public sealed record GeneratedTrackLabel(string Name, string Description, double MarkerBeat);

/// <summary>
/// Appends one track to a standard MIDI file and leaves every byte of the original tracks as it was: the
/// header gets one more track (format 0 becomes format 1, whose first track still holds the tempo map) and
/// the new MTrk chunk goes right after the last declared track, before any bytes a reader would skip.
/// </summary>
/// <remarks>
/// Copying chunks instead of re-serialising them through a MIDI library is what keeps the original tracks
/// unchanged: a library rewrites running status, event order at one tick and meta events it does not model.
/// </remarks>
public static class GeneratedTrackWriter
{
    public const string MarkerText = "CoPilot generated";

    /// <summary>
    /// The file <paramref name="original"/> (already read once by <see cref="Data.MidiReader"/>, so its framing
    /// is sound) with a new track holding <paramref name="notes"/> on <paramref name="channel"/> (1–16).
    /// </summary>
    public static byte[] Append(byte[] original, GeneratedTrackLabel label, IReadOnlyList<TrackNote> notes, int channel)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentOutOfRangeException.ThrowIfLessThan(channel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 16);
        if (original.Length < 14 || !original.AsSpan(0, 4).SequenceEqual("MThd"u8))
        {
            throw new ArgumentException("Not a standard MIDI file.", nameof(original));
        }

        int format = BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(8));
        int tracks = BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(10));
        int division = BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(12));
        if (format > 1 || (division & 0x8000) != 0 || division == 0 || tracks >= ushort.MaxValue)
        {
            throw new ArgumentException($"Cannot add a track to a format {format} file with division 0x{division:X4} and {tracks} tracks.", nameof(original));
        }

        int insertAt = EndOfDeclaredTracks(original, tracks);
        byte[] track = BuildTrack(label, notes, channel, division);
        var result = new byte[original.Length + track.Length];
        original.AsSpan(0, insertAt).CopyTo(result);
        track.CopyTo(result.AsSpan(insertAt));
        original.AsSpan(insertAt).CopyTo(result.AsSpan(insertAt + track.Length));
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(10), (ushort)(tracks + 1));
        return result;
    }

    /// <summary>The lowest channel no note of the file uses, skipping 10 (General MIDI drums); 16 when all are taken.</summary>
    public static int FreeChannel(IEnumerable<Data.Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var used = new HashSet<int>(notes.Select(n => n.Channel));
        for (int channel = 1; channel <= 16; channel++)
        {
            if (channel != 10 && !used.Contains(channel))
            {
                return channel;
            }
        }

        return 16;
    }

    // Chunks are walked as the reader walks them: the new track must be the one it finds after the declared ones.
    private static int EndOfDeclaredTracks(byte[] b, int tracks)
    {
        long offset = 14;
        for (int t = 0; t < tracks;)
        {
            if (offset + 8 > b.Length)
            {
                throw new ArgumentException($"The file ends before track {t}.", nameof(b));
            }

            bool isTrack = b.AsSpan((int)offset, 4).SequenceEqual("MTrk"u8);
            long length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan((int)offset + 4));
            offset += 8 + length;
            if (offset > b.Length)
            {
                throw new ArgumentException($"Track {t} runs past the end of the file.", nameof(b));
            }

            t += isTrack ? 1 : 0;
        }

        return (int)offset;
    }

    private static byte[] BuildTrack(GeneratedTrackLabel label, IReadOnlyList<TrackNote> notes, int channel, int ticksPerBeat)
    {
        // (tick, order, bytes): at one tick the labels first, then note-offs before note-ons, so a re-struck key is heard.
        var events = new List<(long Tick, int Order, byte[] Bytes)>
        {
            (0, 0, Meta(0x03, label.Name)),
            (0, 0, Meta(0x01, label.Description)),
            (Ticks(label.MarkerBeat, ticksPerBeat), 1, Meta(0x06, MarkerText)),
        };
        byte status = (byte)(channel - 1);
        foreach (TrackNote note in WithoutOverlaps(notes, ticksPerBeat))
        {
            long start = Ticks(note.StartBeat, ticksPerBeat);
            long end = Math.Max(start + 1, Ticks(note.EndBeat, ticksPerBeat));
            byte pitch = (byte)Math.Clamp(note.Pitch, 0, 127);
            byte velocity = (byte)Math.Clamp(note.Velocity, 1, 127);
            events.Add((start, 3, [(byte)(0x90 | status), pitch, velocity]));
            events.Add((end, 2, [(byte)(0x80 | status), pitch, 0]));
        }

        events.Sort(static (a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Order.CompareTo(b.Order));
        var body = new List<byte>();
        long last = 0;
        foreach ((long tick, _, byte[] bytes) in events)
        {
            WriteVariableLength(body, tick - last);
            last = tick;
            body.AddRange(bytes);
        }

        WriteVariableLength(body, 0);
        body.AddRange([0xFF, 0x2F, 0x00]);
        var chunk = new byte[8 + body.Count];
        "MTrk"u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4), (uint)body.Count);
        body.CopyTo(chunk, 8);
        return chunk;
    }

    // One key sounds once per channel: a note struck again while it sounds ends at the new onset, as readers
    // would otherwise pair the first note-off with the second note-on.
    private static List<TrackNote> WithoutOverlaps(IReadOnlyList<TrackNote> notes, int ticksPerBeat)
    {
        var sorted = notes.Where(n => n.DurationBeats > 0 && double.IsFinite(n.StartBeat) && n.StartBeat >= 0)
            .OrderBy(n => n.StartBeat).ThenBy(n => n.Pitch).ToList();
        var lastByPitch = new Dictionary<int, int>();
        var kept = new List<TrackNote>(sorted.Count);
        foreach (TrackNote note in sorted)
        {
            if (lastByPitch.TryGetValue(note.Pitch, out int i))
            {
                TrackNote previous = kept[i];
                if (Ticks(previous.StartBeat, ticksPerBeat) == Ticks(note.StartBeat, ticksPerBeat))
                {
                    // The same key twice at one tick: keep the longer.
                    if (note.DurationBeats > previous.DurationBeats)
                    {
                        kept[i] = note;
                    }

                    continue;
                }

                if (previous.EndBeat > note.StartBeat)
                {
                    kept[i] = previous with { DurationBeats = note.StartBeat - previous.StartBeat };
                }
            }

            lastByPitch[note.Pitch] = kept.Count;
            kept.Add(note);
        }

        return kept;
    }

    private static long Ticks(double beat, int ticksPerBeat) => (long)Math.Round(Math.Max(0, beat) * ticksPerBeat);

    private static byte[] Meta(byte type, string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        var bytes = new List<byte> { 0xFF, type };
        WriteVariableLength(bytes, payload.Length);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    private static void WriteVariableLength(List<byte> bytes, long value)
    {
        Span<byte> buffer = stackalloc byte[5];
        int n = 0;
        buffer[n++] = (byte)(value & 0x7F);
        value >>= 7;
        while (value > 0)
        {
            buffer[n++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        for (int i = n - 1; i >= 0; i--)
        {
            bytes.Add(buffer[i]);
        }
    }
}
