using System.Buffers.Binary;
using NAudio.Midi;

namespace CoPilot.Data;

/// <summary>What the reader repaired or ignored in a file that it still read.</summary>
/// <param name="OrphanNoteOffs">Note-offs with no sounding note of that key: ignored.</param>
/// <param name="OverlapsClosed">Note-ons of a key already sounding: the earlier note ends at the new onset.</param>
/// <param name="UnterminatedNotes">Notes still sounding at the end of their track: ended there.</param>
/// <param name="ZeroLengthNotes">Notes that would last no time: dropped.</param>
public sealed record MidiRepairs(int OrphanNoteOffs, int OverlapsClosed, int UnterminatedNotes, int ZeroLengthNotes);

/// <summary>A key signature meta event (FF 59): sharps (positive) or flats (negative), and the minor flag.</summary>
public sealed record KeySignatureChange(double Beat, int Sharps, bool Minor);

/// <summary>A MIDI file as the corpus sees it: notes in beats (ticks / PPQ), tempo and metre maps, track names.</summary>
public sealed record MidiSong(
    string Path,
    int Format,
    int TicksPerBeat,
    IReadOnlyList<string> TrackNames,
    IReadOnlyList<Note> Notes,
    TempoMap Tempo,
    IReadOnlyList<TimeSignatureChange> Metres,
    double EndBeat,
    MidiRepairs Repairs)
{
    /// <summary>Key signature events of all tracks, sorted, one per beat (the last of several at one beat wins).</summary>
    public IReadOnlyList<KeySignatureChange> KeySignatures { get; init; } = [];
}

/// <summary>
/// Reads standard MIDI files (format 0 and 1, any PPQ) on NAudio.Midi. The header and the chunk sizes are
/// checked here first so that truncated, empty and SMPTE files get a precise message; everything that goes
/// wrong surfaces as <see cref="DataLoadException"/>.
/// </summary>
/// <remarks>
/// NAudio is used with strict checking off, because strict mode throws on the unpaired notes this reader
/// repairs and counts itself. Off, NAudio skips events it cannot parse inside a well-framed track.
/// </remarks>
public static class MidiReader
{
    /// <summary>
    /// Files above 8 MiB are refused before they are read. The largest file of the data sets is 34 KB; NAudio
    /// keeps every event as an object of about 50-100 bytes, so 8 MiB of 3-byte running-status events (~2.8
    /// million) already costs a few hundred MB. A "black MIDI" file of hundreds of MB would exhaust memory.
    /// </summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    public static MidiSong Read(string path)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                throw new DataLoadException(path, LoadProblem.TooLarge, TooLargeDetail(length));
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DataLoadException(path, LoadProblem.Io, e.Message, e);
        }
        return Read(bytes, path);
    }

    /// <param name="path">The name used in messages and in <see cref="MidiSong.Path"/>.</param>
    public static MidiSong Read(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.LongLength > MaxFileBytes)
        {
            throw new DataLoadException(path, LoadProblem.TooLarge, TooLargeDetail(bytes.LongLength));
        }
        var (format, tracks, ppq) = CheckFraming(bytes, path, out bytes);
        MidiFile file;
        try
        {
            file = new MidiFile(new MemoryStream(bytes, writable: false), strictChecking: false);
        }
        catch (EndOfStreamException e)
        {
            throw new DataLoadException(path, LoadProblem.Truncated, "ends inside an event: " + e.Message, e);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException or IOException or OverflowException or IndexOutOfRangeException or InvalidCastException)
        {
            throw new DataLoadException(path, LoadProblem.Corrupt, e.Message, e);
        }
        return Convert(file, path, format, tracks, ppq);
    }

    private static string TooLargeDetail(long length) =>
        $"{length} bytes is over the {MaxFileBytes}-byte limit of the reader (MidiReader.MaxFileBytes)";

    // Walks the chunk headers before NAudio does, so that the messages say which track is cut short.
    // Returns the bytes NAudio should read: the input, or a copy without the chunks that are not MTrk.
    private static (int Format, int Tracks, int Ppq) CheckFraming(byte[] b, string path, out byte[] bytes)
    {
        bytes = b;
        if (b.Length == 0)
        {
            throw new DataLoadException(path, LoadProblem.Empty, "the file is empty (0 bytes)");
        }
        if (b.Length < 4 || b[0] != 'M' || b[1] != 'T' || b[2] != 'h' || b[3] != 'd')
        {
            if (b.Length < 4 && "MThd"u8.StartsWith(b))
            {
                throw new DataLoadException(path, LoadProblem.Truncated, $"header cut short at {b.Length} bytes");
            }
            throw new DataLoadException(path, LoadProblem.NotMidi, "no MThd header chunk");
        }
        if (b.Length < 14)
        {
            throw new DataLoadException(path, LoadProblem.Truncated, $"header cut short at {b.Length} bytes (needs 14)");
        }
        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(4));
        if (headerLength != 6)
        {
            throw new DataLoadException(path, LoadProblem.NotMidi, $"header chunk length {headerLength}, expected 6");
        }
        int format = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(8));
        int tracks = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(10));
        int division = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(12));
        if ((division & 0x8000) != 0)
        {
            var fps = -(sbyte)(division >> 8);
            throw new DataLoadException(path, LoadProblem.SmpteDivision,
                $"SMPTE time division ({fps} frames/s, {division & 0xFF} ticks/frame) has no beats; only ticks per quarter note are read");
        }
        if (division == 0)
        {
            throw new DataLoadException(path, LoadProblem.Unsupported, "0 ticks per quarter note");
        }
        if (format > 1)
        {
            throw new DataLoadException(path, LoadProblem.Unsupported, $"MIDI format {format} (only 0 and 1 are read)");
        }
        long offset = 14;
        List<(long Start, long Length)>? alien = null;
        for (var t = 0; t < tracks;)
        {
            if (offset + 8 > b.Length)
            {
                throw new DataLoadException(path, LoadProblem.Truncated, $"the header declares {tracks} tracks but the file ends before track {t}");
            }
            var id = b.AsSpan((int)offset, 4);
            long length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan((int)offset + 4));
            var isTrack = id.SequenceEqual("MTrk"u8);
            if (!isTrack && !IsChunkName(id))
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"the chunk at byte {offset}, where track {t} should start, is not MTrk");
            }
            if (offset + 8 + length > b.Length)
            {
                throw new DataLoadException(path, LoadProblem.Truncated, isTrack
                    ? $"track {t} declares {length} bytes but only {b.Length - offset - 8} remain"
                    : $"the '{System.Text.Encoding.ASCII.GetString(id)}' chunk at byte {offset} declares {length} bytes but only {b.Length - offset - 8} remain");
            }
            if (isTrack)
            {
                CheckEvents(b, (int)offset + 8, (int)(offset + 8 + length), t, path);
                t++;
            }
            else
            {
                // The standard tells readers to skip chunk types they do not know (some sequencers add their own).
                (alien ??= []).Add((offset, 8 + length));
            }
            offset += 8 + length;
        }
        if (alien is not null)
        {
            bytes = Without(b, alien);
        }
        return (format, tracks, division);
    }

    private static bool IsChunkName(ReadOnlySpan<byte> id)
    {
        foreach (var c in id)
        {
            if (c is < 0x20 or > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] Without(byte[] b, List<(long Start, long Length)> chunks)
    {
        var kept = new List<byte>(b.Length);
        long from = 0;
        foreach (var (start, length) in chunks)
        {
            kept.AddRange(b.AsSpan((int)from, (int)(start - from)));
            from = start + length;
        }
        kept.AddRange(b.AsSpan((int)from));
        return [.. kept];
    }

    // Walks the events of one track: NAudio with strict checking off reads a data byte without a status, or a
    // status byte where a data byte belongs, as some event and carries on, so such tracks are refused here with
    // the track and byte offset. Running status is kept across meta and sysex events, as most readers do.
    private static void CheckEvents(byte[] b, int start, int end, int track, string path)
    {
        var pos = start;
        var status = 0;
        while (pos < end)
        {
            var eventStart = pos;
            ReadVarLen(b, ref pos, end, track, path, "delta time");
            if (pos >= end)
            {
                throw new DataLoadException(path, LoadProblem.Truncated, $"track {track} ends after a delta time at byte {eventStart}");
            }
            int first = b[pos];
            if (first is 0xFF or 0xF0 or 0xF7)
            {
                pos += first == 0xFF ? 2 : 1;
                if (pos > end)
                {
                    throw new DataLoadException(path, LoadProblem.Truncated, $"track {track} ends inside the event at byte {eventStart}");
                }
                var type = first == 0xFF ? b[pos - 1] : -1;
                var length = ReadVarLen(b, ref pos, end, track, path, "event length");
                if (length > end - pos)
                {
                    throw new DataLoadException(path, LoadProblem.Truncated,
                        $"track {track}: the event at byte {eventStart} declares {length} bytes but the track has {end - pos} left");
                }
                pos += length;
                if (type == 0x2F)
                {
                    return; // end of track: whatever follows in the chunk is not read
                }
                continue;
            }
            if (first >= 0xF1)
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"track {track}, byte {pos}: status 0x{first:X2} is not allowed in a MIDI file");
            }
            if (first >= 0x80)
            {
                status = first;
                pos++;
            }
            else if (status == 0)
            {
                throw new DataLoadException(path, LoadProblem.Corrupt, $"track {track}, byte {pos}: data byte 0x{first:X2} with no running status");
            }
            var dataBytes = (status >> 4) is 0xC or 0xD ? 1 : 2;
            for (var i = 0; i < dataBytes; i++, pos++)
            {
                if (pos >= end)
                {
                    throw new DataLoadException(path, LoadProblem.Truncated, $"track {track} ends inside the event at byte {eventStart}");
                }
                if (b[pos] >= 0x80)
                {
                    throw new DataLoadException(path, LoadProblem.Corrupt,
                        $"track {track}, byte {pos}: 0x{b[pos]:X2} where a data byte of status 0x{status:X2} belongs");
                }
            }
        }
    }

    // A variable-length quantity: at most 4 bytes (28 bits) in a standard MIDI file.
    private static int ReadVarLen(byte[] b, ref int pos, int end, int track, string path, string what)
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (pos >= end)
            {
                throw new DataLoadException(path, LoadProblem.Truncated, $"track {track} ends inside a {what} at byte {pos}");
            }
            int c = b[pos++];
            value = (value << 7) | (c & 0x7F);
            if (c < 0x80)
            {
                return value;
            }
        }
        throw new DataLoadException(path, LoadProblem.Corrupt, $"track {track}, byte {pos - 4}: a {what} longer than 4 bytes");
    }

    private static MidiSong Convert(MidiFile file, string path, int format, int trackCount, int ppq)
    {
        var tempos = new List<TempoChange>();
        var metres = new List<TimeSignatureChange>();
        var keySignatures = new SortedList<double, KeySignatureChange>();
        var names = new List<string>(trackCount);
        var notes = new List<Note>();
        int orphans = 0, overlaps = 0, unterminated = 0, zeroLength = 0;
        long endTick = 0;
        // Sounding notes by (channel, key): start tick and velocity. One per key: see the overlap rule.
        var open = new Dictionary<int, (long Start, int Velocity)>();

        for (var t = 0; t < file.Tracks; t++)
        {
            var events = file.Events[t];
            string? name = null;
            foreach (var e in events)
            {
                if (e is TextEvent text && text.MetaEventType == MetaEventType.SequenceTrackName && name is null)
                {
                    name = text.Text.Trim('\0', ' ');
                }
            }
            var voice = string.IsNullOrEmpty(name) ? $"track {t}" : name;
            names.Add(voice);
            open.Clear();
            long trackEnd = 0;
            foreach (var e in events)
            {
                var tick = e.AbsoluteTime;
                trackEnd = Math.Max(trackEnd, tick);
                switch (e)
                {
                    case NoteEvent n when e.CommandCode is MidiCommandCode.NoteOn or MidiCommandCode.NoteOff:
                        {
                            var key = (n.Channel << 8) | (n.NoteNumber & 0x7F);
                            var isOn = e.CommandCode == MidiCommandCode.NoteOn && n.Velocity > 0;
                            if (open.Remove(key, out var sounding))
                            {
                                if (isOn)
                                {
                                    overlaps++;
                                }
                                Close(sounding.Start, tick, sounding.Velocity, n);
                            }
                            else if (!isOn)
                            {
                                orphans++;
                            }
                            if (isOn)
                            {
                                open[key] = (tick, n.Velocity);
                            }
                            break;
                        }
                    case TempoEvent tempo when tempo.MicrosecondsPerQuarterNote > 0:
                        tempos.Add(new TempoChange((double)tick / ppq, 60_000_000.0 / tempo.MicrosecondsPerQuarterNote));
                        break;
                    case TimeSignatureEvent ts when ts.Numerator > 0 && ts.Denominator is >= 0 and <= 6:
                        metres.Add(new TimeSignatureChange((double)tick / ppq, ts.Numerator, 1 << ts.Denominator));
                        break;
                    // sf is a signed byte (-7..7); the cast reads it whether NAudio hands it over signed or not.
                    case KeySignatureEvent ks when (sbyte)(byte)ks.SharpsFlats is >= -7 and <= 7:
                        keySignatures[(double)tick / ppq] = new KeySignatureChange((double)tick / ppq, (sbyte)(byte)ks.SharpsFlats, ks.MajorMinor == 1);
                        break;
                    default:
                        break;
                }
            }
            foreach (var (key, sounding) in open)
            {
                unterminated++;
                if (trackEnd > sounding.Start)
                {
                    notes.Add(new Note((double)sounding.Start / ppq, (double)(trackEnd - sounding.Start) / ppq, key & 0x7F, sounding.Velocity, voice, key >> 8));
                }
                else
                {
                    zeroLength++;
                }
            }
            endTick = Math.Max(endTick, trackEnd);

            void Close(long start, long end, int velocity, NoteEvent n)
            {
                if (end <= start)
                {
                    zeroLength++;
                    return;
                }
                notes.Add(new Note((double)start / ppq, (double)(end - start) / ppq, n.NoteNumber, velocity, voice, n.Channel));
            }
        }

        notes.Sort(static (a, b) => a.StartBeat != b.StartBeat ? a.StartBeat.CompareTo(b.StartBeat) : a.Pitch.CompareTo(b.Pitch));
        metres.Sort(static (a, b) => a.Beat.CompareTo(b.Beat));
        return new MidiSong(path, format, ppq, names, notes, new TempoMap(tempos), metres, (double)endTick / ppq,
            new MidiRepairs(orphans, overlaps, unterminated, zeroLength))
        {
            KeySignatures = [.. keySignatures.Values],
        };
    }
}
