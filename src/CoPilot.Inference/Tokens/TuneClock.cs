namespace CoPilot.Inference.Tokens;

/// <summary>
/// The clock of a tune heard live, in token ticks: 12 to the beat from the bar (on the engine's beat grid) of the
/// first note heard, onsets on the training grid (<see cref="GridSnap"/>), and long pauses shortened, since the
/// model reads bars and twenty silent ones would fill its context with nothing. One clock for the live prompt
/// (Continue) and the live accompanist, so both write the player's notes where the other would.
/// </summary>
/// <remarks>[inference thread]; allocation-free.</remarks>
public sealed class TuneClock
{
    private double _originBeat = double.NaN;
    private int _shift;

    /// <summary>The metre bars are counted in. Changing it does not restart the clock; its owner does.</summary>
    public Metre Metre { get; set; } = Metre.FourFour;

    public int BarTicks => Metre.BarTicks;

    /// <summary>Whether a first note has set the clock going.</summary>
    public bool IsStarted => !double.IsNaN(_originBeat);

    /// <summary>Starts the clock at the bar that holds <paramref name="beat"/>.</summary>
    public void StartAt(double beat)
    {
        double beatsPerBar = BarTicks / (double)Vocabulary.TicksPerBeat;
        _originBeat = Math.Floor(beat / beatsPerBar) * beatsPerBar;
        _shift = 0;
    }

    /// <summary>
    /// Starts the clock at a note-on when it is not running. False for a note-off heard before any note-on: it
    /// ends a note struck before the tune began (before a Reset, or before the plugin was switched on), which the
    /// tune does not hold.
    /// </summary>
    public bool TryStart(double beat, bool noteOn)
    {
        if (IsStarted)
        {
            return true;
        }

        if (noteOn)
        {
            StartAt(beat);
        }

        return noteOn;
    }

    /// <summary>Stops the clock: the next note heard starts it again.</summary>
    public void Stop()
    {
        _originBeat = double.NaN;
        _shift = 0;
    }

    /// <summary>The grid tick of an engine beat.</summary>
    public int Tick(double beat)
    {
        // Hours of playing stay far inside an int; a host clock gone wild is clamped rather than wrapped.
        double ticks = Math.Clamp((beat - _originBeat) * Vocabulary.TicksPerBeat, 0, 1e9);
        return Math.Max(0, GridSnap.Snap(ticks) - _shift);
    }

    /// <summary>
    /// A note at <paramref name="tick"/> after a pause since <paramref name="lastHeard"/>: when more than
    /// <paramref name="maxEmptyBars"/> empty bars lie between them, the clock drops the others from now on, and the
    /// note's tick (returned) moves with it.
    /// </summary>
    public int ShortenPause(int tick, int lastHeard, int maxEmptyBars)
    {
        int gap = (tick / BarTicks) - (lastHeard / BarTicks) - 1;
        if (gap <= maxEmptyBars)
        {
            return tick;
        }

        int cut = (gap - maxEmptyBars) * BarTicks;
        _shift += cut;
        return tick - cut;
    }
}
