namespace CoPilot.Data;

/// <summary>The data sets under ../shared/data (see its README for sources and licences).</summary>
public enum CorpusSet
{
    Pop909,
    Billboard,
    Nottingham,
    JsbChorales,
    JazzProgressions,
}

/// <summary>The style tag the models are conditioned on: one per set.</summary>
public enum StyleTag
{
    Pop,
    Rock,
    Folk,
    Chorale,
    Jazz,
}

/// <summary>The fixed splits of the data README. Never train on Valid or Test; never tune on Test.</summary>
public enum Split
{
    Train,
    Valid,
    Test,
}

/// <summary>A sounding note. Times are in quarter-note beats from the start of the song.</summary>
/// <param name="Voice">The MIDI track name (POP909: MELODY, BRIDGE, PIANO), or "track N" when unnamed.</param>
/// <param name="Channel">MIDI channel 1–16 (0 when the source is not MIDI).</param>
public sealed record Note(double StartBeat, double DurationBeats, int Pitch, int Velocity, string Voice, int Channel = 0)
{
    public double EndBeat => StartBeat + DurationBeats;
}

/// <summary>
/// A chord span. <see cref="Label"/> is the text as the source gives it (Harte "C#:min7" in POP909 and
/// Billboard, lead-sheet "Abm7" in the jazz set), including no-chord marks ("N", "NC", "&amp;pause", "*"):
/// see <see cref="ChordSymbols.IsNoChord"/>. Seconds are set when the source is timed in seconds.
/// </summary>
public sealed record ChordLabel(string Label, double StartBeat, double EndBeat, double? StartSeconds = null, double? EndSeconds = null);

/// <summary>
/// A key span, label as given: POP909 "Gb:maj" (tonic and mode), Billboard "C" (tonic only), jazz "F"
/// (a key signature, not a mode: see the data README).
/// </summary>
public sealed record KeyLabel(string Label, double StartBeat, double EndBeat, double? StartSeconds = null, double? EndSeconds = null);

/// <summary>A tempo from <see cref="Beat"/> on.</summary>
public sealed record TempoChange(double Beat, double BeatsPerMinute);

/// <summary>A metre from <see cref="Beat"/> on (quarter-note beats).</summary>
public sealed record TimeSignatureChange(double Beat, int Numerator, int Denominator)
{
    /// <summary>Length of one bar in quarter-note beats (6/8 → 3).</summary>
    public double BarBeats => Numerator * 4.0 / Denominator;
}

/// <summary>A beat annotation (POP909 beat_midi.txt).</summary>
/// <param name="Downbeat">Third column: the first beat of a bar.</param>
/// <param name="StrongBeat">Second column: every second beat (POP909 marks half-bars).</param>
public sealed record BeatMark(double Seconds, double Beat, bool Downbeat, bool StrongBeat);

/// <summary>One item of the corpus. Lists are sorted by start.</summary>
public sealed record Song(
    string Id,
    CorpusSet Set,
    Split Split,
    IReadOnlyList<Note> Notes,
    IReadOnlyList<ChordLabel> Chords,
    IReadOnlyList<KeyLabel> Keys,
    IReadOnlyList<TempoChange> Tempos,
    IReadOnlyList<TimeSignatureChange> Metres)
{
    public StyleTag Style => Corpus.StyleOf(Set);

    /// <summary>Title and artist where the source has them (Billboard uses them to deduplicate).</summary>
    public string? Title { get; init; }

    public string? Artist { get; init; }

    /// <summary>The file or folder the song was read from.</summary>
    public string? SourcePath { get; init; }

    public IReadOnlyList<BeatMark> Beats { get; init; } = [];

    /// <summary>What the MIDI reader repaired in the song's file (null when the source is not MIDI).</summary>
    public MidiRepairs? Repairs { get; init; }
}

public static class Corpus
{
    public static StyleTag StyleOf(CorpusSet set) => set switch
    {
        CorpusSet.Pop909 => StyleTag.Pop,
        CorpusSet.Billboard => StyleTag.Rock,
        CorpusSet.Nottingham => StyleTag.Folk,
        CorpusSet.JsbChorales => StyleTag.Chorale,
        CorpusSet.JazzProgressions => StyleTag.Jazz,
        _ => throw new ArgumentOutOfRangeException(nameof(set)),
    };
}

public static class ChordSymbols
{
    /// <summary>
    /// True for the marks that are not chords: "N" (Harte, Billboard), "NC" (jazz), "X" (unknown),
    /// Billboard's "&amp;pause" and "*".
    /// </summary>
    public static bool IsNoChord(string label) =>
        label is "N" or "NC" or "X" or "&pause" or "*";
}
