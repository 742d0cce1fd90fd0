namespace CoPilot.Core;

/// <summary>
/// The host's transport for one block, as far as the host said anything (VST3 ProcessContext with its
/// validity flags, translated by the plugin so the engine needs no VST3 types).
/// </summary>
public readonly record struct TransportInfo
{
    /// <summary>False when the host passed no context at all (Steinberg's validator, some offline renders).</summary>
    public bool HasContext { get; init; }

    public bool Playing { get; init; }

    public bool TempoValid { get; init; }

    public double Tempo { get; init; }

    public bool TimeSignatureValid { get; init; }

    public int Numerator { get; init; }

    public int Denominator { get; init; }

    public bool ProjectTimeMusicValid { get; init; }

    /// <summary>Block start in quarter notes.</summary>
    public double ProjectTimeMusic { get; init; }

    public bool BarPositionValid { get; init; }

    /// <summary>Start of the current bar in quarter notes.</summary>
    public double BarPositionMusic { get; init; }

    public bool CycleValid { get; init; }

    public bool CycleActive { get; init; }

    public double CycleStartMusic { get; init; }

    public double CycleEndMusic { get; init; }

    /// <summary>Block start in samples (always given by VST3 hosts, may jump).</summary>
    public long ProjectTimeSamples { get; init; }

    public static TransportInfo None => default;
}
