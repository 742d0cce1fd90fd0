using CoPilot.Data;
using CoPilot.Inference.Tokens;

namespace CoPilot.Evaluation.Corpus;

/// <summary>
/// The bars of one song and the map from its source beats to grid ticks (see <see cref="SongQuantiser"/>).
/// Coordinates are beats: annotated beats for POP909 (beat i of beat_midi.txt is coordinate i), source
/// quarter-note beats otherwise.
/// </summary>
internal sealed class Timeline
{
    private const int MaxBeatsPerBar = 7;

    private readonly double[]? _beats;
    private readonly int[]? _downbeats;
    private readonly int _usualBarBeats;
    private readonly List<(int Tick, Metre Metre)>? _metres;
    private readonly List<(int Start, int Ticks, Metre Metre)> _bars = [];
    private double _origin;

    private Timeline(double[] beats, int[] downbeats, int usualBarBeats)
    {
        _beats = beats;
        _downbeats = downbeats;
        _usualBarBeats = usualBarBeats;
    }

    private Timeline(List<(int Tick, Metre Metre)> metres)
    {
        _metres = metres;
    }

    public int BarCount => _bars.Count;

    private int TotalTicks => _bars.Count == 0 ? 0 : _bars[^1].Start + _bars[^1].Ticks;

    /// <summary>POP909: bars from the annotated downbeats; null without two beats and a downbeat.</summary>
    public static Timeline? FromBeats(IReadOnlyList<BeatMark> marks)
    {
        var beats = new List<double>();
        var downbeats = new List<int>();
        foreach (BeatMark mark in marks)
        {
            if (beats.Count > 0 && mark.Beat <= beats[^1])
            {
                continue; // a repeated or backwards time would divide by zero in the re-measuring
            }

            if (mark.Downbeat)
            {
                downbeats.Add(beats.Count);
            }

            beats.Add(mark.Beat);
        }

        if (beats.Count < 2 || downbeats.Count == 0)
        {
            return null;
        }

        // The song's usual bar: the commonest downbeat spacing that is a bar of the vocabulary.
        int usual = downbeats.Zip(downbeats.Skip(1), (a, b) => b - a)
            .Where(n => n <= MaxBeatsPerBar)
            .GroupBy(n => n)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key == 4 ? 0 : 1)
            .Select(g => g.Key)
            .FirstOrDefault(4);
        return new Timeline([.. beats], [.. downbeats], usual);
    }

    /// <summary>Every other set: bars in the metres as given (4/4 when there is none).</summary>
    public static Timeline FromMetres(IReadOnlyList<TimeSignatureChange> changes)
    {
        var metres = new List<(int Tick, Metre Metre)>();
        foreach (TimeSignatureChange change in changes.OrderBy(c => c.Beat))
        {
            int tick = Math.Max(0, (int)Math.Round(change.Beat * Vocabulary.TicksPerBeat));
            var metre = new Metre(change.Numerator, change.Denominator);
            if (metres.Count > 0 && metres[^1].Tick == tick)
            {
                metres[^1] = (tick, metre);
            }
            else if (metres.Count == 0 || metres[^1].Metre != metre)
            {
                metres.Add((tick, metre));
            }
        }

        if (metres.Count == 0)
        {
            metres.Add((0, Metre.FourFour));
        }

        metres[0] = (0, metres[0].Metre);
        return new Timeline(metres);
    }

    /// <summary>The coordinate of a source beat.</summary>
    public double ToCoordinate(double sourceBeat)
    {
        if (_beats is not { } beats)
        {
            return sourceBeat;
        }

        if (sourceBeat <= beats[0])
        {
            return (sourceBeat - beats[0]) / (beats[1] - beats[0]);
        }

        if (sourceBeat >= beats[^1])
        {
            return beats.Length - 1 + ((sourceBeat - beats[^1]) / (beats[^1] - beats[^2]));
        }

        int i = Array.BinarySearch(beats, sourceBeat);
        if (i >= 0)
        {
            return i;
        }

        int k = ~i - 1;
        return k + ((sourceBeat - beats[k]) / (beats[k + 1] - beats[k]));
    }

    /// <summary>The grid tick of a source beat.</summary>
    public int Tick(double sourceBeat) => GridSnap.Snap((ToCoordinate(sourceBeat) - _origin) * Vocabulary.TicksPerBeat);

    /// <summary>Lays out bars from before <paramref name="first"/> to past <paramref name="last"/> (coordinates).</summary>
    public bool Cover(double first, double last, out string? problem)
    {
        problem = null;
        _bars.Clear();
        if (_beats is null)
        {
            _origin = 0;
            return ExtendTo((int)Math.Ceiling(Math.Max(0, last) * Vocabulary.TicksPerBeat), out problem);
        }

        // Bars in beats: pickup, then downbeat to downbeat, split where a downbeat was missed.
        var lengths = new List<int>();
        int[] downbeats = _downbeats!;
        int start = downbeats[0];
        if (start > 0)
        {
            lengths.AddRange(Split(start, fromEnd: true));
            start = 0;
        }

        for (int k = 0; k + 1 < downbeats.Length; k++)
        {
            lengths.AddRange(Split(downbeats[k + 1] - downbeats[k], fromEnd: false));
        }

        // Before the first annotated beat: whole usual bars back to the first event.
        double snappedFirst = Math.Floor(first * 4) / 4;
        while (start > snappedFirst)
        {
            start -= _usualBarBeats;
            lengths.Insert(0, _usualBarBeats);
        }

        _origin = start;
        int tick = 0;
        foreach (int beats in lengths)
        {
            _bars.Add((tick, beats * Vocabulary.TicksPerBeat, new Metre(beats, 4)));
            tick += beats * Vocabulary.TicksPerBeat;
        }

        return ExtendTo((int)Math.Ceiling((last - _origin) * Vocabulary.TicksPerBeat), out problem);
    }

    /// <summary>Adds bars until one holds <paramref name="lastTick"/>.</summary>
    public bool ExtendTo(int lastTick, out string? problem)
    {
        problem = null;
        while (TotalTicks <= lastTick)
        {
            int start = TotalTicks;
            if (_metres is null)
            {
                _bars.Add((start, _usualBarBeats * Vocabulary.TicksPerBeat, new Metre(_usualBarBeats, 4)));
                continue;
            }

            int m = _metres.FindLastIndex(c => c.Tick <= start);
            Metre metre = _metres[m].Metre;
            int ticks = metre.BarTicks;
            if (ticks <= 0 || !metre.HasToken)
            {
                problem = $"metre {metre}";
                return false;
            }

            if (m + 1 < _metres.Count && start + ticks > _metres[m + 1].Tick)
            {
                // A metre change inside a bar cuts it short.
                ticks = _metres[m + 1].Tick - start;
                if (MetreOfLength(ticks) is not { } cut)
                {
                    problem = $"a bar of {ticks} ticks before a change to {_metres[m + 1].Metre}";
                    return false;
                }

                metre = cut;
            }

            _bars.Add((start, ticks, metre));
        }

        return true;
    }

    /// <summary>The metre changes of the bars laid out, the first at bar 0.</summary>
    public List<MetreChange> MetreChanges()
    {
        var changes = new List<MetreChange>();
        for (int b = 0; b < _bars.Count; b++)
        {
            if (changes.Count == 0 || changes[^1].Metre != _bars[b].Metre)
            {
                changes.Add(new MetreChange(b, _bars[b].Metre));
            }
        }

        if (changes.Count == 0)
        {
            changes.Add(new MetreChange(0, _metres?[0].Metre ?? Metre.FourFour));
        }

        return changes;
    }

    /// <summary>The bar whose line is nearest to <paramref name="tick"/>.</summary>
    public int NearestBarLine(int tick)
    {
        int b = _bars.FindLastIndex(bar => bar.Start <= tick);
        if (b < 0)
        {
            return 0;
        }

        return tick - _bars[b].Start > _bars[b].Ticks / 2 && b + 1 < _bars.Count ? b + 1 : b;
    }

    private List<int> Split(int beats, bool fromEnd)
    {
        if (beats <= MaxBeatsPerBar)
        {
            return [beats];
        }

        var parts = new List<int>();
        int rest = beats;
        while (rest > MaxBeatsPerBar)
        {
            parts.Add(_usualBarBeats);
            rest -= _usualBarBeats;
        }

        if (fromEnd)
        {
            parts.Insert(0, rest);
        }
        else
        {
            parts.Add(rest);
        }

        return parts;
    }

    private static Metre? MetreOfLength(int ticks)
    {
        Metre metre = ticks % Vocabulary.TicksPerBeat == 0 ? new Metre(ticks / Vocabulary.TicksPerBeat, 4) : new Metre(ticks / (Vocabulary.TicksPerBeat / 2), 8);
        return ticks > 0 && metre.BarTicks == ticks && metre.HasToken ? metre : null;
    }
}
