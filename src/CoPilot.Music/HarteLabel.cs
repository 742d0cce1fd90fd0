namespace CoPilot.Music;

/// <summary>
/// A chord label in Harte syntax (Harte et al., ISMIR 2005), as the reference annotations of POP909,
/// Billboard and the MIREX tasks write them: "C:maj7", "F#:hdim7", "G:maj/3", "E:min/b3", "G:sus4(b7)",
/// "C:maj(9)", "A:(1,3,5)/5", "N" (no chord), "X" (unknown).
/// </summary>
/// <remarks>
/// <para>
/// The label keeps every interval it names, up to the thirteenth: <see cref="Intervals"/> has bit n for n
/// semitones above the root, 0-23, so a ninth (bit 14) is not a second (bit 2). The evaluation bitmap
/// <see cref="Bitmap"/> follows mir_eval's <c>encode</c>: the intervals below an octave, with the bass
/// added; an extension above the octave drops out (C:9 compares as C:7).
/// </para>
/// <para>The root's spelling is parsed and dropped: labels are compared by pitch class, as mir_eval does.</para>
/// </remarks>
public readonly record struct HarteLabel
{
    private static readonly int[] MajorSteps = [0, 2, 4, 5, 7, 9, 11];

    // Degree numbers for 12-23 semitones as chord symbols write extensions: b9 9 #9, 11 #11, b13 13.
    private static readonly byte[] CompoundNumber = [8, 9, 9, 9, 10, 11, 11, 12, 13, 13, 14, 14];

    // Shorthands of Harte (2005) and the extensions Billboard uses, as 24-bit interval masks.
    private static readonly (string Name, int Mask)[] Shorthands =
    [
        ("maj", Bits(0, 4, 7)),
        ("min", Bits(0, 3, 7)),
        ("dim", Bits(0, 3, 6)),
        ("aug", Bits(0, 4, 8)),
        ("maj7", Bits(0, 4, 7, 11)),
        ("min7", Bits(0, 3, 7, 10)),
        ("7", Bits(0, 4, 7, 10)),
        ("dim7", Bits(0, 3, 6, 9)),
        ("hdim7", Bits(0, 3, 6, 10)),
        ("minmaj7", Bits(0, 3, 7, 11)),
        ("maj6", Bits(0, 4, 7, 9)),
        ("min6", Bits(0, 3, 7, 9)),
        ("9", Bits(0, 4, 7, 10, 14)),
        ("maj9", Bits(0, 4, 7, 11, 14)),
        ("min9", Bits(0, 3, 7, 10, 14)),
        ("sus2", Bits(0, 2, 7)),
        ("sus4", Bits(0, 5, 7)),
        ("1", Bits(0)),
        ("5", Bits(0, 7)),
        ("11", Bits(0, 4, 7, 10, 14, 17)),
        ("min11", Bits(0, 3, 7, 10, 14, 17)),
        ("13", Bits(0, 4, 7, 10, 14, 17, 21)),
        ("maj13", Bits(0, 4, 7, 11, 14, 17, 21)),
        ("min13", Bits(0, 3, 7, 10, 14, 17, 21)),
        ("6", Bits(0, 4, 7, 9)),
        ("m", Bits(0, 3, 7)),
        ("", 1),
    ];

    // The vocabulary as 24-bit masks (ninths at bit 14), for reducing a label to the nearest quality.
    private static readonly int[] QualityMasks = BuildQualityMasks();

    private readonly int _intervals;
    private readonly byte _root;
    private readonly byte _bass;
    private readonly byte _kind; // 0 = no chord, 1 = chord, 2 = unknown

    private HarteLabel(byte kind, PitchClass root, int intervals, int bass)
    {
        _kind = kind;
        _root = (byte)root.Value;
        _intervals = intervals;
        _bass = (byte)bass;
    }

    public static HarteLabel NoChord => default;

    public static HarteLabel Unknown => new(2, default, 0, 0);

    /// <summary>"N": no chord.</summary>
    public bool IsNoChord => _kind == 0;

    /// <summary>"X": the annotator could not tell; evaluation skips it.</summary>
    public bool IsUnknown => _kind == 2;

    public bool IsChord => _kind == 1;

    public PitchClass Root => new(_root);

    /// <summary>Intervals above the root, bit n = n semitones, 0-23 (root always set for a chord).</summary>
    public int Intervals => _intervals;

    /// <summary>Semitones from the root to the bass, 0-11 (0 in root position).</summary>
    public int BassSemitones => _bass;

    public PitchClass Bass => Root + _bass;

    /// <summary>mir_eval's relative bitmap: intervals below the octave plus the bass; 0 for N.</summary>
    public int Bitmap => IsChord ? (_intervals & PitchClassSet.AllMask) | (1 << _bass) : 0;

    public static HarteLabel FromChord(Chord chord)
    {
        if (chord.IsNone)
        {
            return NoChord;
        }

        int mask = 0;
        foreach (Interval tone in chord.Quality.Tones())
        {
            mask |= 1 << tone.Semitones;
        }

        return new HarteLabel(1, chord.Root, mask, chord.Bass - chord.Root);
    }

    /// <summary>
    /// The nearest chord of the vocabulary: an exact match when there is one, otherwise the quality that
    /// shares the most intervals, counting a shared interval +2 and a missing or extra one -1, ties to the
    /// simpler quality (C:min11 → Cm9, C:7(#9) → C7, C:5 and C:1 → C, C:aug(b7) → Caug). The bass is kept.
    /// N gives <see cref="Chord.None"/>; X has no chord and also gives None.
    /// </summary>
    public Chord ToChord()
    {
        if (!IsChord)
        {
            return Chord.None;
        }

        int best = 0;
        int bestScore = int.MinValue;
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            int template = QualityMasks[q];
            if (template == _intervals)
            {
                best = q;
                break;
            }

            int shared = System.Numerics.BitOperations.PopCount((uint)(template & _intervals));
            int differ = System.Numerics.BitOperations.PopCount((uint)(template ^ _intervals));
            int score = (2 * shared) - differ;
            if (score > bestScore)
            {
                bestScore = score;
                best = q;
            }
        }

        return new Chord(Root, (ChordQuality)best, Bass);
    }

    /// <summary>
    /// Parses a label (see the type's summary). Accepts a bare root as major ("C", "C/5"), shorthand plus
    /// added or removed degrees ("C:maj(9)", "C:min7(*5)", "C:sus4(b7,9)"), intervals only ("C:(1,b3,5)"),
    /// and bass degrees up to the thirteenth ("C:maj/9").
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out HarteLabel label)
    {
        label = NoChord;
        text = text.Trim();
        if (text.SequenceEqual("N"))
        {
            return true;
        }

        if (text.SequenceEqual("X"))
        {
            label = Unknown;
            return true;
        }

        if (!NoteName.TryParsePrefix(text, out NoteName root, out int used))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[used..];
        int bass = 0;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryParseDegree(rest[(slash + 1)..], out int bassSemitones, out bool removed) || removed)
            {
                return false;
            }

            bass = MusicMath.Mod(bassSemitones, PitchClass.Count);
            rest = rest[..slash];
        }

        int mask;
        if (rest.IsEmpty)
        {
            mask = Bits(0, 4, 7);
        }
        else
        {
            if (rest[0] != ':')
            {
                return false;
            }

            rest = rest[1..];
            int open = rest.IndexOf('(');
            ReadOnlySpan<char> shorthand = open >= 0 ? rest[..open] : rest;
            if (!TryShorthand(shorthand, out mask))
            {
                return false;
            }

            if (open >= 0)
            {
                if (rest[^1] != ')')
                {
                    return false;
                }

                ReadOnlySpan<char> list = rest[(open + 1)..^1];
                while (!list.IsEmpty)
                {
                    int comma = list.IndexOf(',');
                    ReadOnlySpan<char> item = (comma >= 0 ? list[..comma] : list).Trim();
                    list = comma >= 0 ? list[(comma + 1)..] : [];
                    if (!TryParseDegree(item, out int semitones, out bool removed))
                    {
                        return false;
                    }

                    int bit = 1 << MusicMath.Mod(semitones, 24);
                    mask = removed ? mask & ~bit : mask | bit;
                }
            }
        }

        label = new HarteLabel(1, root.PitchClass, mask | 1, bass);
        return true;
    }

    private static bool TryShorthand(ReadOnlySpan<char> text, out int mask)
    {
        foreach ((string name, int bits) in Shorthands)
        {
            if (text.SequenceEqual(name))
            {
                mask = bits;
                return true;
            }
        }

        mask = 0;
        return false;
    }

    /// <summary>Parses a degree such as "3", "b3", "#5", "bb7", "9", "*5" (removed) into semitones above the root.</summary>
    private static bool TryParseDegree(ReadOnlySpan<char> text, out int semitones, out bool removed)
    {
        semitones = 0;
        removed = false;
        if (!text.IsEmpty && text[0] == '*')
        {
            removed = true;
            text = text[1..];
        }

        int accidental = 0;
        int i = 0;
        for (; i < text.Length && (text[i] == 'b' || text[i] == '#'); i++)
        {
            accidental += text[i] == '#' ? 1 : -1;
        }

        if (!int.TryParse(text[i..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number)
            || number < 1 || number > 15)
        {
            return false;
        }

        semitones = MajorSteps[(number - 1) % 7] + (12 * ((number - 1) / 7)) + accidental;
        return true;
    }

    /// <summary>The degree name of a non-chord bass: b2 2 b3 3 4 b5 5 b6 6 b7 7.</summary>
    internal static Interval DefaultDegree(int semitones) => semitones switch
    {
        6 => Interval.DiminishedFifth,
        _ => Interval.FromSemitones(semitones),
    };

    /// <summary>Writes a Harte degree: "3", "b3", "#5", "bb7", "9".</summary>
    internal static void WriteDegree(ref SpanWriter writer, Interval interval)
    {
        int number = interval.Number;
        int natural = MajorSteps[(number - 1) % 7] + (12 * ((number - 1) / 7));
        int accidental = interval.Semitones - natural;
        for (int i = 0; i < accidental; i++)
        {
            writer.Append('#');
        }

        for (int i = 0; i > accidental; i--)
        {
            writer.Append('b');
        }

        writer.Append(number);
    }

    /// <summary>The label as Harte text; a chord's intervals are written as the nearest shorthand plus added and removed degrees.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        if (IsNoChord)
        {
            writer.Append('N');
        }
        else if (IsUnknown)
        {
            writer.Append('X');
        }
        else
        {
            NoteName.Default(Root).Write(ref writer);
            writer.Append(':');
            // The shorthand needing the fewest edits, a removal ("*3") counting double: C:sus4(b7,9), not C:9(*3,4).
            int best = 0;
            int bestCost = int.MaxValue;
            for (int s = 0; s < Shorthands.Length; s++)
            {
                int mask = Shorthands[s].Mask;
                int cost = System.Numerics.BitOperations.PopCount((uint)(_intervals & ~mask))
                    + (2 * System.Numerics.BitOperations.PopCount((uint)(mask & ~_intervals)));
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = s;
                }
            }

            int shorthandMask = Shorthands[best].Mask;
            writer.Append(Shorthands[best].Name);
            int added = _intervals & ~shorthandMask;
            int removed = shorthandMask & ~_intervals;
            if ((added | removed) != 0)
            {
                writer.Append('(');
                bool first = true;
                for (int bit = 1; bit < 24; bit++)
                {
                    if (((added | removed) & (1 << bit)) == 0)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        writer.Append(',');
                    }

                    first = false;
                    if ((removed & (1 << bit)) != 0)
                    {
                        writer.Append('*');
                    }

                    WriteDegree(ref writer, bit < 12 ? DefaultDegree(bit) : new Interval(bit, CompoundNumber[bit - 12]));
                }

                writer.Append(')');
            }

            if (_bass != 0)
            {
                writer.Append('/');
                WriteDegree(ref writer, DefaultDegree(_bass));
            }
        }

        return writer.Finish(out charsWritten);
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[64];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }

    private static int Bits(params ReadOnlySpan<int> semitones)
    {
        int mask = 0;
        foreach (int s in semitones)
        {
            mask |= 1 << s;
        }

        return mask;
    }

    private static int[] BuildQualityMasks()
    {
        var masks = new int[ChordQualities.Count];
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            foreach (Interval tone in ((ChordQuality)q).Tones())
            {
                masks[q] |= 1 << tone.Semitones;
            }
        }

        return masks;
    }
}
