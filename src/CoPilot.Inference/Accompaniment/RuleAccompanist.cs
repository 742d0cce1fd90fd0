using CoPilot.Core;
using CoPilot.Music;

namespace CoPilot.Inference.Accompaniment;

/// <summary>
/// The live accompanist without a model: chords in the player's key from the pop transition statistics and
/// music theory (<see cref="ChordSuggester"/>), the one among the likeliest that best fits the tune.
/// </summary>
/// <remarks>
/// <para>Silent until the live key tracker knows the key. The first chord is the tonic triad. At every later bar
/// line the candidates are the chord sounding and the suggester's three likeliest next chords; each scores its
/// probability plus how much of the melody heard since the last bar line lies in its tones, the notes still held
/// counting double (they will sound over it). At a half bar the chord changes only when the notes held there
/// clash with it. Creativity draws among the candidates by score instead of taking the best.</para>
/// <para>[inference thread] only; allocation-free after construction.</para>
/// </remarks>
public sealed class RuleAccompanist : IAccompanist
{
    private const int Candidates = 4;
    private const int History = 16;

    private readonly LiveKeyTracker _keys = LiveKeyTracker.WithPop909Model();
    private readonly ChordSuggester _suggester = new();
    private readonly ChordSuggestion[] _suggestions = new ChordSuggestion[Candidates - 1];
    private readonly Chord[] _history = new Chord[History];
    private readonly Chord[] _candidates = new Chord[Candidates];
    private readonly double[] _scores = new double[Candidates];
    private readonly int[] _pitches = new int[ChordVoicing.MaxNotes];

    // Melody heard since the last bar-line decision, by pitch class: onsets weighted by velocity.
    private readonly double[] _heard = new double[PitchClass.Count];
    private readonly int[] _held = new int[128];
    private int _historyCount;
    private Chord _sounding;
    private double _beatsPerBar = 4;

    public RuleAccompanist() => _suggester.SetStatistics(ChordStyle.Pop, HarmonyAnalyst.PopTransitions());

    /// <summary>The chord now played, <see cref="Chord.None"/> before the first.</summary>
    public Chord Sounding => _sounding;

    public void Observe(in NoteEvent e)
    {
        if (e.Pitch > 127 || !double.IsFinite(e.Beat))
        {
            return;
        }

        if (e.IsNoteOn && e.Velocity > 0f)
        {
            _keys.NoteOn(e.Pitch, e.Beat, e.Velocity);
            _heard[e.Pitch % PitchClass.Count] += 0.5 + e.Velocity;
            _held[e.Pitch]++;
        }
        else
        {
            _keys.NoteOff(e.Pitch, e.Beat);
            if (_held[e.Pitch] > 0)
            {
                _held[e.Pitch]--;
            }
        }
    }

    public int Accompany(in ChordSlotRequest request, Span<GeneratedNote> output)
    {
        if (!_keys.HasKey || !double.IsFinite(request.StartBeat) || !(request.SlotBeats > 0))
        {
            return 0;
        }

        Key key = _keys.Key;
        bool barLine = Math.Abs(request.StartBeat - (Math.Round(request.StartBeat / _beatsPerBar) * _beatsPerBar)) < 1e-6;
        if (_sounding.IsNone)
        {
            Play(new Chord(key.TonicPitchClass, key.Mode.HasMinorThird() ? ChordQuality.Minor : ChordQuality.Major));
        }
        else if (barLine || HeldFit(_sounding) < 0.5)
        {
            Play(Choose(key, request, barLine));
        }

        if (barLine)
        {
            Array.Clear(_heard);
        }

        int n = ChordVoicing.Block(_sounding, _pitches);
        n = Math.Min(n, output.Length);
        for (int i = 0; i < n; i++)
        {
            output[i] = new GeneratedNote(0, request.SlotBeats, (byte)_pitches[i], i == 0 ? 0.6f : 0.5f);
        }

        return n;
    }

    public void SetMetre(int numerator, int denominator)
    {
        if (numerator > 0 && denominator > 0)
        {
            _beatsPerBar = numerator * 4.0 / denominator;
        }
    }

    public void Reset()
    {
        _keys.Reset();
        Array.Clear(_heard);
        Array.Clear(_held);
        _historyCount = 0;
        _sounding = Chord.None;
    }

    private Chord Choose(Key key, in ChordSlotRequest request, bool barLine)
    {
        int count = 0;
        _candidates[count] = _sounding;
        _scores[count++] = barLine ? 0.2 : 0.5;
        int suggested = _suggester.Suggest(_history.AsSpan(0, _historyCount), key, ChordStyle.Pop, _suggestions);
        for (int i = 0; i < suggested && count < Candidates; i++)
        {
            _candidates[count] = _suggestions[i].Chord;
            _scores[count++] = _suggestions[i].Score;
        }

        double heardTotal = 0;
        foreach (double h in _heard)
        {
            heardTotal += h;
        }

        int best = 0;
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            double fit = heardTotal > 0 ? Fit(_candidates[i], _heard) / heardTotal : 0.5;
            _scores[i] = _scores[i] + fit + HeldFit(_candidates[i]);
            total += _scores[i];
            if (_scores[i] > _scores[best])
            {
                best = i;
            }
        }

        if (request.Creativity <= 0 || total <= 0)
        {
            return _candidates[best];
        }

        // Creativity 1 draws by score; lower values lean towards the best.
        var random = new SplitMix64(request.Seed);
        if (random.NextDouble() >= request.Creativity)
        {
            return _candidates[best];
        }

        double pick = random.NextDouble() * total;
        for (int i = 0; i < count; i++)
        {
            pick -= _scores[i];
            if (pick <= 0)
            {
                return _candidates[i];
            }
        }

        return _candidates[best];
    }

    // Share of the held notes that are chord tones (1 when nothing is held).
    private double HeldFit(Chord chord)
    {
        int held = 0, inChord = 0;
        PitchClassSet tones = chord.PitchClasses;
        for (int p = 0; p < _held.Length; p++)
        {
            if (_held[p] > 0)
            {
                held++;
                inChord += tones.Contains(new PitchClass(p % PitchClass.Count)) ? 1 : 0;
            }
        }

        return held == 0 ? 1 : inChord / (double)held;
    }

    private static double Fit(Chord chord, ReadOnlySpan<double> heard)
    {
        double sum = 0;
        PitchClassSet tones = chord.PitchClasses;
        for (int pc = 0; pc < heard.Length; pc++)
        {
            if (tones.Contains(new PitchClass(pc)))
            {
                sum += heard[pc];
            }
        }

        return sum;
    }

    private void Play(Chord chord)
    {
        if (chord.IsNone || chord == _sounding)
        {
            return;
        }

        _sounding = chord;
        if (_historyCount == History)
        {
            Array.Copy(_history, 1, _history, 0, History - 1);
            _historyCount--;
        }

        _history[_historyCount++] = chord;
    }
}
