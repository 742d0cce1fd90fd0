using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Sampling;

/// <summary>What counts as the same run of notes for the <see cref="OriginalityIndex"/>.</summary>
public enum RunMatching : byte
{
    /// <summary>The same nine MIDI pitches.</summary>
    ExactPitches = 0,

    /// <summary>
    /// The same eight intervals, in any key: the model trains on every transposition of the training melodies,
    /// so it can play a memorised tune in a key the tune never appeared in.
    /// </summary>
    Transposed = 1,
}

/// <summary>
/// Every run of <see cref="RunLength"/> consecutive pitches of the training melodies, so that the sampler can
/// refuse the note that would make a verbatim copy longer than <see cref="MaxCopiedNotes"/> notes.
/// </summary>
/// <remarks>
/// <para>
/// A run is a 64-bit key, exact (no hashing, so no false refusals): nine 7-bit pitches, the first in the top
/// bits (63 bits), or with <see cref="RunMatching.Transposed"/> eight intervals as bytes (interval + 128), the
/// first in the top byte. Either way the runs that share their first eight notes are one contiguous range of
/// keys, so the pitches that would extend the last eight notes into a copy come from one binary search.
/// </para>
/// <para>
/// File (little-endian): magic "CPOI", u16 version (1), u8 run length (9), u8 <see cref="RunMatching"/>,
/// u64 key count, then the keys as u64, strictly increasing. 16 + 8 × distinct runs bytes: at most 8 bytes per
/// training note, in memory as on disk. The POP909 and Nottingham train melodies (1,554 melodies, 406,596 notes,
/// much of it repeated choruses) give 170,823 distinct runs, 1.30 MiB, exact; 152,005 runs, 1.16 MiB, transposed.
/// </para>
/// <para>
/// <b>Threads.</b> Build and load allocate and read files: off the audio thread, before the transport plays.
/// The index never changes after that, so any thread may query it; queries allocate nothing.
/// </para>
/// </remarks>
public sealed class OriginalityIndex
{
    /// <summary>Notes in an indexed run: the sampler refuses the ninth copied note.</summary>
    public const int RunLength = 9;

    /// <summary>The longest verbatim copy of training the guard lets through.</summary>
    public const int MaxCopiedNotes = RunLength - 1;

    public const ushort FormatVersion = 1;

    private const uint Magic = 0x494F5043; // "CPOI" read as a little-endian u32
    private const int HeaderBytes = 16;

    private readonly ulong[] _keys;

    private OriginalityIndex(ulong[] keys, RunMatching matching)
    {
        _keys = keys;
        Matching = matching;
    }

    public RunMatching Matching { get; }

    /// <summary>Distinct runs indexed.</summary>
    public int Count => _keys.Length;

    /// <summary>Bytes the index takes on disk (and, within a few bytes, in memory).</summary>
    public long SizeInBytes => HeaderBytes + (8L * _keys.Length);

    /// <summary>
    /// Indexes every run of nine consecutive notes of each melody (a sequence of MIDI pitches 0–127 in playing
    /// order; runs never cross from one melody into the next).
    /// </summary>
    public static OriginalityIndex Build(IEnumerable<ReadOnlyMemory<int>> melodies, RunMatching matching = RunMatching.Transposed)
    {
        ArgumentNullException.ThrowIfNull(melodies);
        if (matching is not (RunMatching.ExactPitches or RunMatching.Transposed))
        {
            throw new ArgumentOutOfRangeException(nameof(matching));
        }

        var keys = new List<ulong>();
        foreach (ReadOnlyMemory<int> melody in melodies)
        {
            ReadOnlySpan<int> pitches = melody.Span;
            foreach (int pitch in pitches)
            {
                if (pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
                {
                    throw new ArgumentException($"A melody holds pitch {pitch}, outside MIDI 0–127.", nameof(melodies));
                }
            }

            for (int i = 0; i + RunLength <= pitches.Length; i++)
            {
                keys.Add(KeyOf(pitches.Slice(i, RunLength), matching));
            }
        }

        keys.Sort();
        int distinct = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            if (distinct == 0 || keys[i] != keys[distinct - 1])
            {
                keys[distinct++] = keys[i];
            }
        }

        return new OriginalityIndex([.. keys.GetRange(0, distinct)], matching);
    }

    /// <summary>True when the nine pitches of <paramref name="run"/> occur in training (as <see cref="Matching"/> compares them).</summary>
    public bool Contains(ReadOnlySpan<int> run)
    {
        if (run.Length != RunLength)
        {
            throw new ArgumentException($"A run has {RunLength} pitches.", nameof(run));
        }

        foreach (int pitch in run)
        {
            if (pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
            {
                return false;
            }
        }

        ulong key = KeyOf(run, Matching);
        int at = LowerBound(key);
        return at < _keys.Length && _keys[at] == key;
    }

    /// <summary>
    /// Adds to <paramref name="copies"/> the Pitch token of every pitch that, played after the eight pitches of
    /// <paramref name="previous"/>, would complete a run found in training; returns how many it added.
    /// Allocation-free: one binary search and a scan of the matching keys.
    /// </summary>
    public int AddCopiedContinuations(ReadOnlySpan<int> previous, ref TokenSet copies)
    {
        if (previous.Length != RunLength - 1)
        {
            throw new ArgumentException($"The guard looks at the last {RunLength - 1} pitches.", nameof(previous));
        }

        foreach (int pitch in previous)
        {
            if (pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
            {
                return 0;
            }
        }

        // The runs starting with `previous` are the keys from prefix << shift to prefix << shift | lastField.
        int shift = Matching == RunMatching.ExactPitches ? 7 : 8;
        ulong prefix = 0;
        if (Matching == RunMatching.ExactPitches)
        {
            foreach (int pitch in previous)
            {
                prefix = (prefix << 7) | (uint)pitch;
            }
        }
        else
        {
            for (int i = 1; i < previous.Length; i++)
            {
                prefix = (prefix << 8) | (uint)(previous[i] - previous[i - 1] + 128);
            }
        }

        ulong first = prefix << shift;
        ulong last = first | ((1UL << shift) - 1);
        int added = 0;
        int lastPitch = previous[^1];
        for (int at = LowerBound(first); at < _keys.Length && _keys[at] <= last; at++)
        {
            int field = (int)(_keys[at] & ((1UL << shift) - 1));
            int pitch = Matching == RunMatching.ExactPitches ? field : lastPitch + field - 128;
            int token = Vocabulary.PitchToken(pitch);
            if (Vocabulary.IsPitch(token) && !copies.Contains(token))
            {
                copies.Add(token);
                added++;
            }
        }

        return added;
    }

    /// <summary>Writes the index in the format of the remarks.</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
        header[6] = RunLength;
        header[7] = (byte)Matching;
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], (ulong)_keys.Length);
        stream.Write(header);
        var chunk = new byte[8 * 4096];
        for (int start = 0; start < _keys.Length; start += 4096)
        {
            int n = Math.Min(4096, _keys.Length - start);
            for (int i = 0; i < n; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(chunk.AsSpan(8 * i), _keys[start + i]);
            }

            stream.Write(chunk, 0, 8 * n);
        }
    }

    public void Save(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream);
    }

    /// <summary>Reads an index written by <see cref="Write"/>; throws <see cref="InvalidDataException"/> saying what is wrong with a bad one.</summary>
    public static OriginalityIndex Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderBytes];
        int got = stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        if (got < HeaderBytes)
        {
            throw new InvalidDataException($"Not an originality index: {got} bytes, shorter than the {HeaderBytes}-byte header.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            throw new InvalidDataException("Not an originality index: the file does not start with \"CPOI\".");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Originality index format {version}; this build reads format {FormatVersion}.");
        }

        if (header[6] != RunLength)
        {
            throw new InvalidDataException($"Originality index of {header[6]}-note runs; the guard needs {RunLength}-note runs.");
        }

        if (header[7] > (byte)RunMatching.Transposed)
        {
            throw new InvalidDataException($"Originality index with unknown run matching {header[7]}.");
        }

        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        if (count > (ulong)Array.MaxLength || (stream.CanSeek && (ulong)(stream.Length - stream.Position) != count * 8))
        {
            string actual = stream.CanSeek ? $"{stream.Length - stream.Position} bytes follow the header" : "the file is shorter";
            throw new InvalidDataException($"Originality index says {count} runs ({count * 8} bytes), but {actual}.");
        }

        var keys = new ulong[(int)count];
        Span<byte> bytes = MemoryMarshal.AsBytes(keys.AsSpan());
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
        {
            throw new InvalidDataException($"Originality index says {count} runs, but the file ends after {read / 8}.");
        }

        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(keys, keys);
        }

        var matching = (RunMatching)header[7];
        for (int i = 0; i < keys.Length; i++)
        {
            if (i > 0 && keys[i] <= keys[i - 1])
            {
                throw new InvalidDataException($"Originality index is corrupt: run {i} is not above run {i - 1} (keys must be sorted and distinct).");
            }

            if (matching == RunMatching.ExactPitches && keys[i] >> 63 != 0)
            {
                throw new InvalidDataException($"Originality index is corrupt: run {i} is not nine 7-bit pitches.");
            }
        }

        return new OriginalityIndex(keys, matching);
    }

    public static OriginalityIndex Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream);
    }

    private static ulong KeyOf(ReadOnlySpan<int> run, RunMatching matching)
    {
        ulong key = 0;
        if (matching == RunMatching.ExactPitches)
        {
            foreach (int pitch in run)
            {
                key = (key << 7) | (uint)pitch;
            }

            return key;
        }

        for (int i = 1; i < run.Length; i++)
        {
            key = (key << 8) | (uint)(run[i] - run[i - 1] + 128);
        }

        return key;
    }

    private int LowerBound(ulong key)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_keys[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
