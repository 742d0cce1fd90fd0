namespace CoPilot.Core;

/// <summary>
/// Musical time for the engine: where each block starts in beats, how many beats a sample lasts, the
/// metre, and whether the host jumped, looped, started or stopped.
/// </summary>
/// <remarks>
/// <para>The engine's beat line is continuous while nothing jumps: each block starts where the previous one
/// ended. While the host plays and gives musical time, the line follows the host's position; a difference
/// from the prediction larger than a small tolerance is a jump (relocation, loop wrap, a scrub) and is
/// reported so scheduled answers can be cancelled and notes released.</para>
/// <para>When the transport is stopped, or the host gives no musical time, the clock runs free at the last
/// known tempo, so a musician can jam with the transport stopped.</para>
/// <para>Hosts send odd values: tempo 0, NaN or absurd, a 0/0 metre, no validity flags at all. Anything
/// invalid keeps the last good value (120 BPM and 4/4 to begin with).</para>
/// [audio thread] only; no allocation.
/// </remarks>
public sealed class BeatClock
{
    public const double DefaultTempo = 120;
    public const double MinTempo = 20;
    public const double MaxTempo = 999;

    // A host position within this many beats of the prediction is the same timeline: hosts round
    // projectTimeMusic, and some advance it in sample-rounded steps. A tempo change inside the previous
    // block also moves the position by up to that block's length (the prediction used one tempo for the
    // whole block; measured 0.0045-0.015 beats at 512 samples), so the tolerance grows with the block.
    private const double JumpToleranceBeats = 1e-3;

    private double _sampleRate = 48000;
    private double _nextBlockBeat;
    private bool _started;

    /// <summary>The sample rate the clock converts with; set from setupProcessing.</summary>
    public double SampleRate => _sampleRate;

    /// <summary>Current tempo in quarter notes per minute (always sane).</summary>
    public double Tempo { get; private set; } = DefaultTempo;

    public int Numerator { get; private set; } = 4;

    public int Denominator { get; private set; } = 4;

    /// <summary>Quarter notes per bar for the current metre (3/4 → 3, 6/8 → 3, 7/8 → 3.5).</summary>
    public double BeatsPerBar => Numerator * 4.0 / Denominator;

    public bool Playing { get; private set; }

    /// <summary>True in the block where the host's position jumped (relocate, loop wrap).</summary>
    public bool Jumped { get; private set; }

    /// <summary>True in the block where playback started.</summary>
    public bool Started { get; private set; }

    /// <summary>True in the block where playback stopped.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Engine beat at the first sample of the current block.</summary>
    public double BlockStartBeat { get; private set; }

    /// <summary>Samples in the current block.</summary>
    public int BlockSamples { get; private set; }

    /// <summary>Engine beat just after the current block.</summary>
    public double BlockEndBeat => BlockStartBeat + (BlockSamples * BeatsPerSample);

    public double BeatsPerSample => Tempo / 60.0 / _sampleRate;

    public double SamplesPerBeat => _sampleRate * 60.0 / Tempo;

    /// <summary>Start of the bar containing the block start, in engine beats.</summary>
    public double BarStartBeat { get; private set; }

    /// <summary>Samples processed since activation: a monotonic clock for ordering and latency.</summary>
    public long SamplePosition { get; private set; }

    /// <summary>[UI thread, inactive] The sample rate changed (setupProcessing). Keeps the beat position.</summary>
    public void SetSampleRate(double sampleRate)
    {
        if (IsValidSampleRate(sampleRate))
        {
            _sampleRate = sampleRate;
        }
    }

    /// <summary>Sample rates the engine accepts: 1 kHz to 1.536 MHz (anything else is a host error).</summary>
    public static bool IsValidSampleRate(double sampleRate) =>
        double.IsFinite(sampleRate) && sampleRate >= 1000 && sampleRate <= 1_536_000;

    /// <summary>Forget the timeline (activation): the next block starts a new one.</summary>
    public void Reset()
    {
        _started = false;
        _nextBlockBeat = 0;
        Playing = false;
        Jumped = Started = Stopped = false;
        BlockStartBeat = 0;
        BlockSamples = 0;
        SamplePosition = 0;
    }

    /// <summary>[audio thread] Advances to the next block.</summary>
    public void Advance(in TransportInfo t, int numSamples)
    {
        numSamples = Math.Max(0, numSamples);
        if (t.TempoValid && double.IsFinite(t.Tempo) && t.Tempo >= MinTempo && t.Tempo <= MaxTempo)
        {
            Tempo = t.Tempo;
        }

        if (t.TimeSignatureValid && t.Numerator is >= 1 and <= 64 && t.Denominator is >= 1 and <= 64
            && (t.Denominator & (t.Denominator - 1)) == 0)
        {
            Numerator = t.Numerator;
            Denominator = t.Denominator;
        }

        bool wasPlaying = Playing;
        Playing = t.HasContext && t.Playing;
        Started = Playing && !wasPlaying;
        Stopped = wasPlaying && !Playing;
        Jumped = false;

        double predicted = _nextBlockBeat;
        double start = predicted;
        bool hostMusic = Playing && t.ProjectTimeMusicValid && double.IsFinite(t.ProjectTimeMusic) && Math.Abs(t.ProjectTimeMusic) < 1e9;
        if (hostMusic)
        {
            start = t.ProjectTimeMusic;
            // The first block of a run and a start of playback adopt the host's position without calling
            // it a jump; any other disagreement is one.
            double previousBlockBeats = BlockEndBeat - BlockStartBeat; // still the previous block's here
            double tolerance = JumpToleranceBeats + previousBlockBeats;
            Jumped = _started && !Started && Math.Abs(start - predicted) > tolerance;
        }

        BlockStartBeat = start;
        BlockSamples = numSamples;
        BarStartBeat = t.BarPositionValid && hostMusic && double.IsFinite(t.BarPositionMusic) && t.BarPositionMusic <= start + 1e-9
            ? t.BarPositionMusic
            : Math.Floor((start + 1e-9) / BeatsPerBar) * BeatsPerBar;
        _nextBlockBeat = BlockEndBeat;
        SamplePosition += numSamples;
        _started = true;
    }

    /// <summary>Engine beat at a sample offset inside the current block.</summary>
    public double BeatAt(int sampleOffset) => BlockStartBeat + (sampleOffset * BeatsPerSample);

    /// <summary>
    /// Sample offset of <paramref name="beat"/> inside the current block: negative if it was earlier,
    /// at least <see cref="BlockSamples"/> if it lies in a later block.
    /// </summary>
    public long OffsetOf(double beat)
    {
        double offset = (beat - BlockStartBeat) * SamplesPerBeat;
        return offset >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)Math.Ceiling(offset - 1e-6);
    }

    /// <summary>The first bar line strictly after <paramref name="beat"/> (for phrase ends at bar lines).</summary>
    public double NextBarLineAfter(double beat)
    {
        double bar = BeatsPerBar;
        double n = Math.Floor((beat - BarStartBeat) / bar) + 1;
        return BarStartBeat + (n * bar);
    }
}
