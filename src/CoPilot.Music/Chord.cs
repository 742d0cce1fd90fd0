namespace CoPilot.Music;

/// <summary>
/// A chord: root pitch class, quality and bass pitch class (the bass differs from the root for inversions and
/// slash chords: G/B, C/Bb). <c>default</c> is <see cref="None"/>, the "N" of chord annotations (silence or
/// no harmony).
/// </summary>
/// <remarks>
/// <para>
/// Like <see cref="PitchClass"/> a chord has no spelling of its own. Names are spelled on formatting: in a
/// key through <see cref="Key.Spell(PitchClass)"/> (Gb7 in Db major, F#7 in B major), otherwise with the
/// root spelled as the tonic of the chord's own key (major third: Db, Eb, F#, Ab, Bb; minor third: C#m,
/// Ebm, F#m, G#m, Bbm). A bass that is a chord tone is spelled as that tone above the spelled root (E/G#,
/// not E/Ab), any other bass as the key (or the root's key) spells it.
/// </para>
/// <para>The bass is kept only when it differs from the root; equality compares root, quality and bass.</para>
/// </remarks>
public readonly record struct Chord
{
    private readonly byte _root;
    private readonly byte _bass;
    private readonly ChordQuality _quality;
    private readonly bool _isChord;

    public Chord(PitchClass root, ChordQuality quality)
        : this(root, quality, root)
    {
    }

    public Chord(PitchClass root, ChordQuality quality, PitchClass bass)
    {
        if ((uint)quality >= ChordQualities.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(quality));
        }

        _root = (byte)root.Value;
        _quality = quality;
        _bass = (byte)bass.Value;
        _isChord = true;
    }

    /// <summary>No chord ("N"): silence, or notes that make no harmony.</summary>
    public static Chord None => default;

    public bool IsNone => !_isChord;

    /// <summary>The root (C for <see cref="None"/>).</summary>
    public PitchClass Root => new(_root);

    public ChordQuality Quality => _quality;

    /// <summary>The lowest note: the root in root position.</summary>
    public PitchClass Bass => new(_bass);

    /// <summary>True when the bass is not the root (an inversion or a slash chord).</summary>
    public bool IsSlash => _isChord && _bass != _root;

    /// <summary>The same chord in root position.</summary>
    public Chord RootPosition => _isChord ? new Chord(Root, _quality) : None;

    /// <summary>The chord's pitch classes, the bass included (empty for <see cref="None"/>).</summary>
    public PitchClassSet PitchClasses => _isChord ? _quality.Template().Transpose(_root).With(Bass) : PitchClassSet.Empty;

    public Chord WithBass(PitchClass bass) => _isChord ? new Chord(Root, _quality, bass) : None;

    public Chord Transpose(int semitones) => _isChord ? new Chord(Root + semitones, _quality, Bass + semitones) : None;

    /// <summary>
    /// The inversion: 0 root position, 1 third in the bass, 2 fifth, 3 seventh (or sixth, or the ninth of add9);
    /// -1 when the bass is not a chord tone (C/D) and for <see cref="None"/>.
    /// </summary>
    public int Inversion
    {
        get
        {
            if (!_isChord)
            {
                return -1;
            }

            int semitones = Bass - Root;
            ReadOnlySpan<Interval> tones = _quality.Tones();
            for (int i = 0; i < tones.Length; i++)
            {
                if (tones[i].Semitones % PitchClass.Count == semitones)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>The key-free spelling of the root (see remarks).</summary>
    public NoteName DefaultRootName => DefaultKey.Tonic;

    private Key DefaultKey => Key.FromPitchClass(Root, _quality.Third() == ChordThird.Minor ? Mode.Minor : Mode.Major);

    /// <summary>Lead-sheet name with the key-free spelling: "Cmaj7", "F#m7b5", "G/B", "Bbm7", "N.C." for none.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        if (_isChord)
        {
            Key key = DefaultKey;
            Write(ref writer, key.Tonic, key);
        }
        else
        {
            writer.Append("N.C.");
        }

        return writer.Finish(out charsWritten);
    }

    /// <summary>Lead-sheet name spelled for <paramref name="key"/>: F#m in D major, Gbmaj7 in Db major.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, Key key)
    {
        var writer = new SpanWriter(destination);
        if (_isChord)
        {
            Write(ref writer, key.Spell(Root), key);
        }
        else
        {
            writer.Append("N.C.");
        }

        return writer.Finish(out charsWritten);
    }

    private void Write(ref SpanWriter writer, NoteName root, Key key)
    {
        root.Write(ref writer);
        writer.Append(_quality.Suffix());
        if (IsSlash)
        {
            writer.Append('/');
            BassName(root, key).Write(ref writer);
        }
    }

    private NoteName BassName(NoteName root, Key key) =>
        _quality.TryGetTone(Bass - Root, out Interval tone) ? root.Transpose(tone) : key.Spell(Bass);

    /// <summary>Harte syntax with the key-free spelling: "C:maj7", "F#:hdim7", "G:maj/3", "E:min/b3", "N".</summary>
    public bool TryFormatHarte(Span<char> destination, out int charsWritten)
    {
        var writer = new SpanWriter(destination);
        if (_isChord)
        {
            WriteHarte(ref writer, DefaultRootName);
        }
        else
        {
            writer.Append('N');
        }

        return writer.Finish(out charsWritten);
    }

    /// <summary>Harte syntax with the root spelled for <paramref name="key"/>.</summary>
    public bool TryFormatHarte(Span<char> destination, out int charsWritten, Key key)
    {
        var writer = new SpanWriter(destination);
        if (_isChord)
        {
            WriteHarte(ref writer, key.Spell(Root));
        }
        else
        {
            writer.Append('N');
        }

        return writer.Finish(out charsWritten);
    }

    private void WriteHarte(ref SpanWriter writer, NoteName root)
    {
        root.Write(ref writer);
        writer.Append(':');
        writer.Append(_quality.HarteShorthand());
        if (IsSlash)
        {
            writer.Append('/');
            int semitones = Bass - Root;
            HarteLabel.WriteDegree(ref writer, _quality.TryGetTone(semitones, out Interval tone) ? tone : HarteLabel.DefaultDegree(semitones));
        }
    }

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[32];
        TryFormat(buffer, out int n);
        return new string(buffer[..n]);
    }

    public string ToString(Key key)
    {
        Span<char> buffer = stackalloc char[32];
        TryFormat(buffer, out int n, key);
        return new string(buffer[..n]);
    }

    public string ToHarteString()
    {
        Span<char> buffer = stackalloc char[32];
        TryFormatHarte(buffer, out int n);
        return new string(buffer[..n]);
    }

    /// <summary>
    /// Parses lead-sheet names: "C", "F#m7b5", "Bbmaj7", "G/B", "Eb/G", "C7sus4", "Dø7", "N.C." (see
    /// <see cref="ChordQualities.TryParseSuffix"/> for the suffixes). A slash bass is a note name.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Chord chord)
    {
        chord = None;
        text = text.Trim();
        if (text.SequenceEqual("N.C.") || text.SequenceEqual("NC") || text.SequenceEqual("N"))
        {
            return true;
        }

        if (!NoteName.TryParsePrefix(text, out NoteName root, out int used))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[used..];
        PitchClass bass = root.PitchClass;
        int slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            if (!NoteName.TryParse(rest[(slash + 1)..], out NoteName bassName))
            {
                return false;
            }

            bass = bassName.PitchClass;
            rest = rest[..slash];
        }

        if (!ChordQualities.TryParseSuffix(rest, out ChordQuality quality))
        {
            return false;
        }

        chord = new Chord(root.PitchClass, quality, bass);
        return true;
    }

    /// <summary>
    /// Parses a Harte label into the nearest chord of the vocabulary (see <see cref="HarteLabel.ToChord"/>):
    /// "C:maj7", "G:maj/3", "A:7", "G:sus4(b7)", "N". False for "X" and for malformed labels.
    /// </summary>
    public static bool TryParseHarte(ReadOnlySpan<char> text, out Chord chord)
    {
        chord = None;
        if (!HarteLabel.TryParse(text, out HarteLabel label) || label.IsUnknown)
        {
            return false;
        }

        chord = label.ToChord();
        return true;
    }
}
