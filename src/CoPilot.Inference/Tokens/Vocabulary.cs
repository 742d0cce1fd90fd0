using CoPilot.Music;

namespace CoPilot.Inference.Tokens;

/// <summary>
/// The token ids of the event-based sequence the models read and write (400 tokens).
/// </summary>
/// <remarks>
/// <para>
/// Grid: 12 ticks per quarter-note beat, the smallest grid that holds 16ths (3 ticks), 8th triplets (4) and
/// 16th triplets (2). A bar is at most 8 beats (96 positions).
/// </para>
/// <para>
/// Ids, in order: Pad, Bos, Eos; Style ×5; Task ×4; Key ×24 (index as <see cref="Key.Index"/>: majors C…B,
/// then minors) and KeyUnknown; Metre ×15 (<see cref="Metres"/>); Bar; Position ×96 (tick in the bar); Voice ×7;
/// Pitch ×128 (MIDI 0–127); Duration ×64 (<see cref="DurationBuckets"/>); Velocity ×8; ChordRoot ×12;
/// ChordQuality ×19 (<see cref="ChordQualities"/>); ChordBass ×12 (slash chords only); NoChord.
/// </para>
/// <para>
/// Canonical sequence (so that decoding an encoded piece gives it back exactly):
/// <c>Bos Style Task Key Metre</c>, then every bar: <c>Bar [Metre] [Key]</c> (only where they change), then for
/// each onset in increasing order <c>Position</c>, the chord if one starts there (<c>ChordRoot ChordQuality
/// [ChordBass]</c> or <c>NoChord</c>), then the notes by voice, pitch, duration, velocity, each
/// <c>[Voice] Pitch Duration Velocity</c>. A Voice token precedes a note exactly when the note's voice differs
/// from the voice of the previous note anywhere in the sequence (the first note always has one). Then
/// <c>Eos</c>; only Pad may follow. A Position token is always followed by at least one event.
/// </para>
/// </remarks>
public static class Vocabulary
{
    public const int TicksPerBeat = 12;
    public const int MaxBarTicks = 8 * TicksPerBeat;
    public const int LowestPitch = 0;
    public const int HighestPitch = 127;

    public const int StyleCount = 5;
    public const int TaskCount = 4;
    public const int VoiceCount = 7;
    public const int PitchCount = HighestPitch - LowestPitch + 1;
    public const int DurationCount = 64;
    public const int MetreCount = 15;

    public const int Pad = 0;
    public const int Bos = 1;
    public const int Eos = 2;
    public const int StyleBase = 3;
    public const int TaskBase = StyleBase + StyleCount;
    public const int KeyBase = TaskBase + TaskCount;
    public const int KeyUnknown = KeyBase + Key.MajorMinorCount;
    public const int MetreBase = KeyUnknown + 1;
    public const int Bar = MetreBase + MetreCount;
    public const int PositionBase = Bar + 1;
    public const int VoiceBase = PositionBase + MaxBarTicks;
    public const int PitchBase = VoiceBase + VoiceCount;
    public const int DurationBase = PitchBase + PitchCount;
    public const int VelocityBase = DurationBase + DurationCount;
    public const int ChordRootBase = VelocityBase + VelocityBuckets.Count;
    public const int ChordQualityBase = ChordRootBase + PitchClass.Count;
    public const int ChordBassBase = ChordQualityBase + ChordQualities.Count;
    public const int NoChord = ChordBassBase + PitchClass.Count;

    /// <summary>Number of token ids: every id is in [0, Size).</summary>
    public const int Size = NoChord + 1;

    private static readonly Metre[] MetreTable =
    [
        new(1, 4), new(2, 4), new(3, 4), new(4, 4), new(5, 4), new(6, 4), new(7, 4),
        new(2, 2), new(3, 2),
        new(3, 8), new(5, 8), new(6, 8), new(7, 8), new(9, 8), new(12, 8),
    ];

    /// <summary>The metres with a token; a piece in any other is rejected.</summary>
    public static ReadOnlySpan<Metre> Metres => MetreTable;

    /// <summary>Index of <paramref name="metre"/> among <see cref="Metres"/>, -1 when it has no token.</summary>
    public static int MetreIndex(Metre metre)
    {
        for (int i = 0; i < MetreTable.Length; i++)
        {
            if (MetreTable[i] == metre)
            {
                return i;
            }
        }

        return -1;
    }

    public static int StyleToken(Style style) => StyleBase + (int)style;

    public static int TaskToken(GenerationTask task) => TaskBase + (int)task;

    /// <summary>Key token of an index 0–23, KeyUnknown for -1.</summary>
    public static int KeyToken(int keyIndex) => keyIndex < 0 ? KeyUnknown : KeyBase + keyIndex;

    public static int MetreToken(int metreIndex) => MetreBase + metreIndex;

    public static int PositionToken(int tick) => PositionBase + tick;

    public static int VoiceToken(Voice voice) => VoiceBase + (int)voice;

    public static int PitchToken(int pitch) => PitchBase + pitch - LowestPitch;

    public static int DurationToken(int bucketIndex) => DurationBase + bucketIndex;

    public static int VelocityToken(int bucket) => VelocityBase + bucket;

    public static int ChordRootToken(PitchClass root) => ChordRootBase + root.Value;

    public static int ChordQualityToken(ChordQuality quality) => ChordQualityBase + (int)quality;

    public static int ChordBassToken(PitchClass bass) => ChordBassBase + bass.Value;

    public static bool IsPosition(int token) => (uint)(token - PositionBase) < MaxBarTicks;

    public static bool IsPitch(int token) => (uint)(token - PitchBase) < PitchCount;

    public static bool IsKey(int token) => (uint)(token - KeyBase) < Key.MajorMinorCount;

    public static bool IsMetre(int token) => (uint)(token - MetreBase) < MetreCount;

    public static bool IsChordQuality(int token) => (uint)(token - ChordQualityBase) < ChordQualities.Count;

    public static bool IsChordRoot(int token) => (uint)(token - ChordRootBase) < PitchClass.Count;

    public static bool IsChordBass(int token) => (uint)(token - ChordBassBase) < PitchClass.Count;

    /// <summary>
    /// A fingerprint of the token layout (every token's <see cref="Describe"/> name in id order, FNV-1a 64 in hex).
    /// Exported models carry it, and a model written for another layout is refused at load: its ids would mean
    /// other things and it would play nonsense without failing.
    /// </summary>
    public static string Fingerprint { get; } = ComputeFingerprint();

    /// <summary>A readable name for debugging and reports: "Pitch_60", "Position_18", "Key_F#m", "ChordQuality_Minor7".</summary>
    public static string Describe(int token) => token switch
    {
        Pad => "Pad",
        Bos => "Bos",
        Eos => "Eos",
        >= StyleBase and < TaskBase => $"Style_{(Style)(token - StyleBase)}",
        >= TaskBase and < KeyBase => $"Task_{(GenerationTask)(token - TaskBase)}",
        >= KeyBase and < KeyUnknown => $"Key_{Key.FromIndex(token - KeyBase).ToShortString()}",
        KeyUnknown => "Key_Unknown",
        >= MetreBase and < Bar => $"Metre_{MetreTable[token - MetreBase]}",
        Bar => "Bar",
        >= PositionBase and < VoiceBase => $"Position_{token - PositionBase}",
        >= VoiceBase and < PitchBase => $"Voice_{(Voice)(token - VoiceBase)}",
        >= PitchBase and < DurationBase => $"Pitch_{token - PitchBase + LowestPitch}",
        >= DurationBase and < VelocityBase => $"Duration_{DurationBuckets.Ticks[token - DurationBase]}",
        >= VelocityBase and < ChordRootBase => $"Velocity_{token - VelocityBase}",
        >= ChordRootBase and < ChordQualityBase => $"ChordRoot_{new PitchClass(token - ChordRootBase)}",
        >= ChordQualityBase and < ChordBassBase => $"ChordQuality_{(ChordQuality)(token - ChordQualityBase)}",
        >= ChordBassBase and < NoChord => $"ChordBass_{new PitchClass(token - ChordBassBase)}",
        NoChord => "NoChord",
        _ => $"Invalid_{token}",
    };

    private static string ComputeFingerprint()
    {
        ulong hash = 14695981039346656037UL;
        for (int token = 0; token < Size; token++)
        {
            foreach (char c in Describe(token))
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ '\n') * 1099511628211UL;
        }

        return "v1-" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
