using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Sampling;

/// <summary>Which pitches the key and harmony allow (for every voice).</summary>
public enum PitchStrictness : byte
{
    /// <summary>Any pitch.</summary>
    Chromatic,

    /// <summary>The key's scale plus the tones of the chord in force (a secondary dominant's leading note, say).</summary>
    ScaleAndChordTones,

    /// <summary>
    /// The key's scale only. In a minor key that is natural, harmonic and melodic minor together: the raised sixth
    /// and seventh are the minor key's own notes (the leading note of V), as the note-in-key metric counts them.
    /// </summary>
    ScaleTones,

    /// <summary>The chord in force only (the scale where there is no chord).</summary>
    ChordTones,
}

/// <summary>
/// How <see cref="ConstrainedSampler"/> draws: the distribution (temperature, nucleus), the musical masks and
/// the guards. <c>new SamplerSettings()</c> gives the defaults below; <c>default</c> is not a valid setting.
/// </summary>
/// <remarks>
/// Masks that would leave nothing to draw are dropped one at a time, the least important first: the
/// repetition guard, the key, the pitch range, the task restrictions. The grammar is never dropped, and the
/// originality guard only when nothing else is left (see <see cref="ConstrainedSampler"/>).
/// </remarks>
public readonly record struct SamplerSettings()
{
    /// <summary>All seven voices (<see cref="Voice"/>), as a bit mask.</summary>
    public const byte AllVoices = (1 << Vocabulary.VoiceCount) - 1;

    /// <summary>Below 1 sharpens the model's distribution, above 1 flattens it; 0 takes the most likely token.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Nucleus sampling (Holtzman et al. 2020): draw only among the most likely tokens holding this much of the mass; 1 keeps all.</summary>
    public float TopP { get; init; } = 0.95f;

    public PitchStrictness Strictness { get; init; } = PitchStrictness.ScaleAndChordTones;

    public int LowestPitch { get; init; } = Vocabulary.LowestPitch;

    public int HighestPitch { get; init; } = Vocabulary.HighestPitch;

    /// <summary>Voices the sampler may start notes in (bit <c>1 &lt;&lt; (int)voice</c>).</summary>
    public byte AllowedVoices { get; init; } = AllVoices;

    /// <summary>False forbids chord tokens (NoChord, ChordRoot): a melody continuation over the player's harmony.</summary>
    public bool AllowChords { get; init; } = true;

    /// <summary>False forbids Metre and Key changes after Bar: the player, not the model, sets those live.</summary>
    public bool AllowMetreAndKeyChanges { get; init; } = true;

    /// <summary>Voices the repetition and originality guards watch (bit per voice; melody by default).</summary>
    public byte GuardedVoices { get; init; } = 1 << (int)Voice.Melody;

    /// <summary>A guarded voice plays one pitch at most this many times in a row (0: no limit).</summary>
    public int MaxPitchRepeats { get; init; } = 4;

    /// <summary>
    /// At most this many identical bars in a row in the guarded voices (same onsets, pitches and durations; 0: no
    /// limit). The guard refuses the Bar token that would close one bar more; bars without guarded notes never count.
    /// </summary>
    public int MaxIdenticalBars { get; init; } = 2;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is outside its range.</summary>
    public void Validate()
    {
        if (!(Temperature >= 0) || float.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "The temperature must be finite and not negative.");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "Top-p must be in (0, 1].");
        }

        if (LowestPitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch || HighestPitch < LowestPitch || HighestPitch > Vocabulary.HighestPitch)
        {
            throw new ArgumentOutOfRangeException(nameof(LowestPitch), $"The pitch range [{LowestPitch}, {HighestPitch}] must be a non-empty range within MIDI 0–127.");
        }

        if ((uint)Strictness > (uint)PitchStrictness.ChordTones)
        {
            throw new ArgumentOutOfRangeException(nameof(Strictness));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxPitchRepeats);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxIdenticalBars);
    }
}
