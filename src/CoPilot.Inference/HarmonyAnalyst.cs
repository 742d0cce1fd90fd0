using CoPilot.Core;
using CoPilot.Music;

namespace CoPilot.Inference;

/// <summary>
/// Listens to the player's notes on the inference thread and keeps what the musician sees: the key, the
/// chord under their hands, and the three chords most likely to come next.
/// </summary>
/// <remarks>
/// [inference thread] only; everything is allocated in the constructor (the pop transition statistics
/// are read once from the embedded models/chord-transitions/pop.tsv).
/// </remarks>
public sealed class HarmonyAnalyst
{
    public const int Suggestions = 3;
    private const int History = 16;

    private readonly LiveKeyTracker _keys = LiveKeyTracker.WithPop909Model();
    private readonly ChordRecognizer _recognizer = new();
    private readonly ChordSuggester _suggester = new();
    private readonly int[] _sounding = new int[128];
    private readonly Chord[] _history = new Chord[History];
    private readonly ChordSuggestion[] _next = new ChordSuggestion[Suggestions];
    private readonly int[] _soundingList = new int[128];
    private int _historyCount;

    public HarmonyAnalyst()
    {
        _suggester.SetStatistics(ChordStyle.Pop, PopTransitions());
    }

    /// <summary>The pop chord-transition statistics shipped in the assembly (models/chord-transitions/pop.tsv); null if missing.</summary>
    internal static ChordTransitions? PopTransitions()
    {
        using Stream? stream = typeof(HarmonyAnalyst).Assembly.GetManifestResourceStream("CoPilot.Inference.pop.tsv");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return ChordTransitions.Load(reader);
    }

    /// <summary>0-23 (see <see cref="Key.Index"/>), or -1 until the tracker is sure.</summary>
    public int KeyIndex => _keys.HasKey ? _keys.Key.Index : -1;

    /// <summary>The chord now sounding (<see cref="ChordCode"/>), 0 if none.</summary>
    public int ChordCodeNow { get; private set; }

    /// <summary>Suggested next chords (<see cref="ChordCode"/>), best first; 0 where none.</summary>
    public int Next(int i) => (uint)i < Suggestions ? _nextCodes[i] : 0;

    private readonly int[] _nextCodes = new int[Suggestions];

    public void Observe(in NoteEvent e)
    {
        if (e.Pitch > 127)
        {
            return;
        }

        if (e.IsNoteOn)
        {
            _keys.NoteOn(e.Pitch, e.Beat, e.Velocity);
            _sounding[e.Pitch]++;
            Recognize();
        }
        else
        {
            _keys.NoteOff(e.Pitch, e.Beat);
            if (_sounding[e.Pitch] > 0)
            {
                _sounding[e.Pitch]--;
            }
        }
    }

    public void Reset()
    {
        _keys.Reset();
        Array.Clear(_sounding);
        _historyCount = 0;
        ChordCodeNow = 0;
        Array.Clear(_nextCodes);
    }

    // A chord is named when a note starts (what the player just struck, with what still sounds).
    private void Recognize()
    {
        int n = 0;
        for (int p = 0; p < _sounding.Length; p++)
        {
            if (_sounding[p] > 0)
            {
                _soundingList[n++] = p;
            }
        }

        Key? key = _keys.HasKey ? _keys.Key : null;
        Chord chord = _recognizer.Recognize(_soundingList.AsSpan(0, n), [], key).Chord;
        if (chord.IsNone || ChordCode.Encode(chord) == ChordCodeNow)
        {
            return;
        }

        ChordCodeNow = ChordCode.Encode(chord);
        if (_historyCount == History)
        {
            Array.Copy(_history, 1, _history, 0, History - 1);
            _historyCount--;
        }

        _history[_historyCount++] = chord;
        Key context = key ?? Key.Major(NoteName.Default(new PitchClass(0)));
        int count = _suggester.Suggest(_history.AsSpan(0, _historyCount), context, ChordStyle.Pop, _next);
        for (int i = 0; i < Suggestions; i++)
        {
            _nextCodes[i] = i < count ? ChordCode.Encode(_next[i].Chord) : 0;
        }
    }
}
