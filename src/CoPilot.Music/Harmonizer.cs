namespace CoPilot.Music;

/// <summary>
/// A rule-based four-part harmoniser: under each melody (soprano) note it writes one to three harmony notes
/// (bass; alto and bass; or alto, tenor and bass) from the current chord, in SATB ranges, without parallel
/// fifths and octaves or voice crossing, and with as little motion as it can.
/// </summary>
/// <remarks>
/// <para>
/// Each step enumerates every voicing of every candidate chord: the chord given, or the diatonic triads that
/// contain the melody note (in minor also V and vii° on the raised seventh, so that A minor's V is E-G#-B;
/// a chromatic melody note falls back to the major and minor triads that contain it). Ranges (S C4–G5,
/// A G3–D5, T C3–G4, B E2–C4), order (no crossing) and spacing (at most an octave between soprano and alto
/// and between alto and tenor) are hard limits; they relax only when a melody note leaves no voicing at all.
/// </para>
/// <para>
/// Costs, in roughly semitones of motion: motion of the lower voices; each parallel fifth or octave 40;
/// doubling (root 0, fifth 1, third 2–3, leading note 20: never in practice); missing third 6; bass on the
/// third 1.5, on the fifth 4; an unresolved leading note in V→I 1.5; and progression preferences (root
/// down a fifth is cheapest, V→IV is a retrogression, I, V and IV are cheaper than iii and vii°). The
/// offline API runs a beam search over the whole melody, which also prefers a final tonic in root
/// position after a dominant. The live API chooses greedily from the previous voicing, allocation-free.
/// </para>
/// <para>[one thread] An instance holds the live context (the previous voicing and chord) and its buffers.</para>
/// </remarks>
public sealed class Harmonizer
{
    public const int SopranoLow = 60;
    public const int SopranoHigh = 79;
    public const int AltoLow = 55;
    public const int AltoHigh = 74;
    public const int TenorLow = 48;
    public const int TenorHigh = 67;
    public const int BassLow = 40;
    public const int BassHigh = 60;

    public const int MaxCandidates = 4096;
    public const int DefaultBeamWidth = 32;

    // Cost weights (see remarks). Parallels and crossings are far above anything motion can save.
    private const float ParallelCost = 40f;
    private const float LeadingToneDoubled = 20f;
    private const float MissingThird = 6f;
    private const float MissingFifth = 1f;
    private const float MissingRoot = 8f;
    private const float MissingOther = 3f;
    private const float ThirdDoubledMajor = 3f;
    private const float ThirdDoubledMinor = 2f;
    private const float FifthDoubled = 1f;
    private const float OtherDoubled = 6f;
    private const float BassOnThird = 1.5f;
    private const float BassOnFifth = 4f;
    private const float BassOnOther = 3f;
    private const float WideTenorBass = 1f;
    private const float UnresolvedLeadingTone = 1.5f;
    private const float ProgressionWeight = 2f;
    private const float FallbackChordCost = 3f;
    private const float RelaxedCost = 30f;

    private const int MaxChords = 9 + 24;

    // The chord palette of the key: diatonic first, then the 24 major and minor triads as a fallback for chromatic notes.
    private readonly int[] _chordRoot = new int[MaxChords];
    private readonly int[] _chordMask = new int[MaxChords];
    private readonly float[] _chordCost = new float[MaxChords];
    private int _diatonicCount;
    private int _chordCount;

    private readonly Candidate[] _candidates = new Candidate[MaxCandidates];
    private int _candidateCount;

    private Candidate _previous;
    private bool _hasPrevious;

    public Harmonizer(Key key, int harmonyVoices = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(harmonyVoices, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(harmonyVoices, 3);
        HarmonyVoices = harmonyVoices;
        SetKey(key);
    }

    /// <summary>3: alto, tenor, bass; 2: alto and bass; 1: bass.</summary>
    public int HarmonyVoices { get; }

    public Key Key { get; private set; }

    /// <summary>The voicing of the last live step, or <see cref="Voicing.None"/> after <see cref="Reset"/>.</summary>
    public Voicing Previous => _hasPrevious ? _previous.Voicing : Voicing.None;

    private bool HasAlto => HarmonyVoices >= 2;

    private bool HasTenor => HarmonyVoices == 3;

    private PitchClass Tonic => Key.TonicPitchClass;

    // The leading note: a semitone under the tonic, raised in minor.
    private int LeadingTone => (Tonic.Value + 11) % 12;

    /// <summary>Changes the key (allocation-free: the palette is rebuilt in place). The live context is kept.</summary>
    public void SetKey(Key key)
    {
        Key = key;
        int tonic = key.TonicPitchClass.Value;
        _diatonicCount = 0;
        Scale scale = key.Scale;
        for (int degree = 0; degree < 7 && scale.Count == 7; degree++)
        {
            int root = scale.Degree(degree).Value;
            int mask = (1 << root) | (1 << scale.Degree(degree + 2).Value) | (1 << scale.Degree(degree + 4).Value);
            AddDiatonic(root, mask, tonic);
        }

        if (key.Mode.HasMinorThird())
        {
            // Harmonic minor's V and vii°: the raised seventh is the leading note.
            int dominant = (tonic + 7) % 12;
            int leading = (tonic + 11) % 12;
            AddDiatonic(dominant, (1 << dominant) | (1 << leading) | (1 << ((tonic + 2) % 12)), tonic);
            AddDiatonic(leading, (1 << leading) | (1 << ((tonic + 2) % 12)) | (1 << ((tonic + 5) % 12)), tonic);
        }

        _chordCount = _diatonicCount;
        for (int root = 0; root < 12; root++)
        {
            for (int minor = 0; minor < 2; minor++)
            {
                int mask = (1 << root) | (1 << ((root + (minor == 0 ? 4 : 3)) % 12)) | (1 << ((root + 7) % 12));
                _chordRoot[_chordCount] = root;
                _chordMask[_chordCount] = mask;
                _chordCost[_chordCount] = FallbackChordCost;
                _chordCount++;
            }
        }
    }

    private void AddDiatonic(int root, int mask, int tonic)
    {
        int rel = (root - tonic + 12) % 12;
        bool major = (mask & (1 << ((root + 4) % 12))) != 0;
        bool diminished = (mask & (1 << ((root + 6) % 12))) != 0;
        // Preferences of common-practice harmony: I, V, IV first; ii and vi next; iii, VII and vii° last; a minor v is modal.
        float cost = rel switch
        {
            0 => 0f,
            7 => major ? 0.2f : 2f,
            5 => 0.4f,
            2 => diminished ? 1.2f : 0.8f,
            8 or 9 => 0.8f,
            3 or 4 => 1.5f,
            _ => 1.5f,
        };
        _chordRoot[_diatonicCount] = root;
        _chordMask[_diatonicCount] = mask;
        _chordCost[_diatonicCount] = cost * ProgressionWeight;
        _diatonicCount++;
    }

    /// <summary>Forgets the live context: the next step is voiced as a beginning.</summary>
    public void Reset() => _hasPrevious = false;

    /// <summary>Sets the live context, for example from what was actually played.</summary>
    public void SetPrevious(Voicing voicing, Chord chord)
    {
        _previous = new Candidate { Voicing = voicing, ChordRoot = chord.IsNone ? -1 : chord.Root.Value, ChordMask = chord.PitchClasses.Mask };
        _hasPrevious = voicing.Soprano >= 0;
    }

    /// <summary>
    /// [live] Harmonises one melody note with a chord chosen from the key, after the previous step. Writes the
    /// harmony notes highest first (alto, tenor, bass as present) and returns how many; 0 when the melody
    /// note is outside MIDI range. Allocation-free.
    /// </summary>
    public int Step(int soprano, Span<int> harmony) => Step(soprano, Chord.None, harmony);

    /// <summary>[live] As <see cref="Step(int, Span{int})"/> with the chord given (<see cref="Chord.None"/>: choose).</summary>
    public int Step(int soprano, Chord chord, Span<int> harmony)
    {
        if ((uint)soprano > Pitch.MaxNumber)
        {
            return 0;
        }

        if (harmony.Length < HarmonyVoices)
        {
            throw new ArgumentException($"The harmony span needs {HarmonyVoices} slots.", nameof(harmony));
        }

        Generate(soprano, chord);
        int best = 0;
        float bestCost = float.MaxValue;
        for (int i = 0; i < _candidateCount; i++)
        {
            ref Candidate c = ref _candidates[i];
            float cost = c.Local + (_hasPrevious ? Transition(_previous, c) : 0f);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = i;
            }
        }

        _previous = _candidates[best];
        _hasPrevious = true;
        return Write(_previous.Voicing, harmony);
    }

    private int Write(Voicing voicing, Span<int> harmony)
    {
        int n = 0;
        if (HasAlto)
        {
            harmony[n++] = voicing.Alto;
        }

        if (HasTenor)
        {
            harmony[n++] = voicing.Tenor;
        }

        harmony[n++] = voicing.Bass;
        return n;
    }

    /// <summary>
    /// [offline] Harmonises a whole melody with a beam search over the voicings of every note. <paramref name="chords"/>
    /// is empty (choose every chord) or one per note (<see cref="Chord.None"/>: choose that one). Does not
    /// touch the live context. Allocates its back-pointers.
    /// </summary>
    public void Harmonize(ReadOnlySpan<int> melody, ReadOnlySpan<Chord> chords, Span<Voicing> output, int beamWidth = DefaultBeamWidth)
    {
        if (!chords.IsEmpty && chords.Length != melody.Length)
        {
            throw new ArgumentException("One chord per melody note, or none.", nameof(chords));
        }

        if (output.Length < melody.Length)
        {
            throw new ArgumentException("One output voicing per melody note.", nameof(output));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(beamWidth, 1);
        int steps = melody.Length;
        if (steps == 0)
        {
            return;
        }

        var history = new Entry[steps][];
        var beam = new Entry[beamWidth];
        int beamCount = 0;
        var scored = new Entry[MaxCandidates];
        for (int t = 0; t < steps; t++)
        {
            int soprano = Math.Clamp(melody[t], 0, Pitch.MaxNumber);
            Generate(soprano, chords.IsEmpty ? Chord.None : chords[t]);
            for (int i = 0; i < _candidateCount; i++)
            {
                ref Candidate c = ref _candidates[i];
                float best = 0f;
                int back = -1;
                if (t > 0)
                {
                    best = float.MaxValue;
                    for (int j = 0; j < beamCount; j++)
                    {
                        float cost = beam[j].Cost + Transition(beam[j].Candidate, c);
                        if (cost < best)
                        {
                            best = cost;
                            back = j;
                        }
                    }
                }

                scored[i] = new Entry { Candidate = c, Cost = best + c.Local + Cadence(c, t, steps), Back = back };
            }

            int kept = Math.Min(beamWidth, _candidateCount);
            SelectBest(scored.AsSpan(0, _candidateCount), kept);
            beamCount = kept;
            Array.Copy(scored, beam, kept);
            history[t] = beam[..kept];
        }

        int at = 0;
        for (int j = 1; j < beamCount; j++)
        {
            if (beam[j].Cost < beam[at].Cost)
            {
                at = j;
            }
        }

        for (int t = steps - 1; t >= 0; t--)
        {
            Entry e = history[t][at];
            output[t] = e.Candidate.Voicing;
            at = e.Back;
        }
    }

    // Partial selection sort: the k cheapest first (k is small).
    private static void SelectBest(Span<Entry> entries, int k)
    {
        for (int i = 0; i < k; i++)
        {
            int min = i;
            for (int j = i + 1; j < entries.Length; j++)
            {
                if (entries[j].Cost < entries[min].Cost)
                {
                    min = j;
                }
            }

            (entries[i], entries[min]) = (entries[min], entries[i]);
        }
    }

    // The end of the melody: a root-position tonic, preceded by a dominant.
    private float Cadence(in Candidate c, int t, int steps)
    {
        int tonic = Tonic.Value;
        if (t == steps - 1)
        {
            float cost = c.ChordRoot == tonic ? 0f : 6f;
            return cost + (c.Voicing.Bass >= 0 && c.Voicing.Bass % 12 == tonic ? 0f : 3f);
        }

        if (t == steps - 2)
        {
            return c.ChordRoot == (tonic + 7) % 12 ? 0f : 2f;
        }

        return 0f;
    }

    private float Transition(in Candidate before, in Candidate after)
    {
        Voicing a = before.Voicing;
        Voicing b = after.Voicing;
        float cost = 0f;
        cost += VoiceMotion(a.Alto, b.Alto, 1f, 4);
        cost += VoiceMotion(a.Tenor, b.Tenor, 1f, 4);
        cost += VoiceMotion(a.Bass, b.Bass, 0.4f, 7);
        cost += ParallelCost * VoiceLeading.CountParallels(a, b);
        cost += ProgressionWeight * Progression(before.ChordRoot, before.ChordMask, after.ChordRoot, after.ChordMask);

        // V → I: the leading note in an inner voice rises to the tonic.
        int tonic = Tonic.Value;
        if (before.ChordRoot == (tonic + 7) % 12 && after.ChordRoot == tonic)
        {
            cost += Unresolved(a.Alto, b.Alto) + Unresolved(a.Tenor, b.Tenor);
        }

        return cost;
    }

    private float Unresolved(int before, int after)
        => before >= 0 && after >= 0 && before % 12 == LeadingTone && after != before + 1 ? UnresolvedLeadingTone : 0f;

    private static float VoiceMotion(int before, int after, float weight, int leap)
    {
        if (before < 0 || after < 0)
        {
            return 0f;
        }

        int d = Math.Abs(after - before);
        // Leaps beyond a third (inner voices) or a fifth (bass) cost extra: singers and chorale style avoid them.
        return (weight * d) + (d > leap ? 0.5f * (d - leap) : 0f);
    }

    private float Progression(int rootBefore, int maskBefore, int rootAfter, int maskAfter)
    {
        if (rootBefore < 0 || rootAfter < 0)
        {
            return 0f;
        }

        int interval = (rootAfter - rootBefore + 12) % 12;
        float cost = interval switch
        {
            0 => maskBefore == maskAfter ? 1f : 1.5f,
            5 => 0f,
            7 => 1f,
            2 => 0.8f,
            10 => 1.5f,
            3 or 4 or 8 or 9 => 1f,
            6 => 3f,
            _ => 2.5f,
        };
        int tonic = Tonic.Value;
        // V → IV: the retrogression common-practice harmony avoids.
        if (rootBefore == (tonic + 7) % 12 && rootAfter == (tonic + 5) % 12)
        {
            cost += 2f;
        }

        return cost;
    }

    private void Generate(int soprano, Chord chord)
    {
        _candidateCount = 0;
        int sopranoClass = soprano % 12;
        for (int relax = 0; relax < 3 && _candidateCount == 0; relax++)
        {
            if (!chord.IsNone)
            {
                GenerateChord(soprano, chord.Root.Value, chord.PitchClasses.Mask, 0f, relax);
                continue;
            }

            for (int i = 0; i < _diatonicCount; i++)
            {
                if ((_chordMask[i] & (1 << sopranoClass)) != 0)
                {
                    GenerateChord(soprano, _chordRoot[i], _chordMask[i], _chordCost[i], relax);
                }
            }

            if (_candidateCount == 0)
            {
                for (int i = _diatonicCount; i < _chordCount; i++)
                {
                    if ((_chordMask[i] & (1 << sopranoClass)) != 0)
                    {
                        GenerateChord(soprano, _chordRoot[i], _chordMask[i], _chordCost[i], relax);
                    }
                }
            }
        }

        if (_candidateCount == 0)
        {
            // No chord tone below the melody at all (a melody note under E2): the voices fall silent.
            _candidates[0] = new Candidate { Voicing = new Voicing(soprano, Voicing.Absent, Voicing.Absent, Voicing.Absent), ChordRoot = -1, Local = RelaxedCost * 3 };
            _candidateCount = 1;
        }
    }

    // relax 0: strict; 1: no spacing limit; 2: ranges widened to anything under the melody within two octaves.
    private void GenerateChord(int soprano, int root, int mask, float chordCost, int relax)
    {
        int bassLow = relax < 2 ? BassLow : Math.Max(0, soprano - 24);
        int bassHigh = relax < 2 ? BassHigh : soprano;
        int tenorLow = relax < 2 ? TenorLow : bassLow;
        int tenorHigh = relax < 2 ? TenorHigh : soprano;
        int altoLow = relax < 2 ? AltoLow : bassLow;
        int altoHigh = relax < 2 ? AltoHigh : soprano;
        bool spacing = relax == 0;
        float relaxCost = relax * RelaxedCost;

        for (int bass = bassLow; bass <= Math.Min(bassHigh, soprano); bass++)
        {
            if ((mask & (1 << (bass % 12))) == 0)
            {
                continue;
            }

            int tenorFrom = HasTenor ? Math.Max(tenorLow, bass) : Voicing.Absent;
            int tenorTo = HasTenor ? Math.Min(tenorHigh, soprano) : Voicing.Absent;
            for (int tenor = tenorFrom; tenor <= tenorTo; tenor++)
            {
                if (tenor >= 0 && (mask & (1 << (tenor % 12))) == 0)
                {
                    continue;
                }

                int floor = tenor >= 0 ? tenor : bass;
                int altoFrom = HasAlto ? Math.Max(altoLow, floor) : Voicing.Absent;
                int altoTo = HasAlto ? Math.Min(altoHigh, soprano) : Voicing.Absent;
                for (int alto = altoFrom; alto <= altoTo; alto++)
                {
                    if (alto >= 0 && (mask & (1 << (alto % 12))) == 0)
                    {
                        continue;
                    }

                    if (spacing && ((alto >= 0 && soprano - alto > 12) || (alto >= 0 && tenor >= 0 && alto - tenor > 12)))
                    {
                        continue;
                    }

                    if (_candidateCount == MaxCandidates)
                    {
                        return;
                    }

                    var voicing = new Voicing(soprano, alto, tenor, bass);
                    _candidates[_candidateCount++] = new Candidate
                    {
                        Voicing = voicing,
                        ChordRoot = root,
                        ChordMask = mask,
                        Local = chordCost + relaxCost + Doubling(voicing, root, mask),
                    };
                }
            }
        }
    }

    // Completeness, doubling and inversion of one voicing of a chord.
    private float Doubling(in Voicing v, int root, int mask)
    {
        Span<int> count = stackalloc int[12];
        count.Clear();
        int sounding = 0;
        for (int voice = 0; voice < Voicing.VoiceCount; voice++)
        {
            int p = v[voice];
            if (p >= 0)
            {
                count[p % 12]++;
                sounding++;
            }
        }

        bool majorThird = (mask & (1 << ((root + 4) % 12))) != 0;
        int third = majorThird ? (root + 4) % 12 : (root + 3) % 12;
        // The fifth: perfect, diminished (vii°) or augmented; none (-1) in a chord without one.
        int fifth = (mask & (1 << ((root + 7) % 12))) != 0 ? (root + 7) % 12
            : (mask & (1 << ((root + 6) % 12))) != 0 ? (root + 6) % 12
            : (mask & (1 << ((root + 8) % 12))) != 0 ? (root + 8) % 12
            : -1;
        float cost = 0f;
        if (sounding >= 3)
        {
            cost += count[root] == 0 ? MissingRoot : 0f;
            cost += (mask & (1 << third)) != 0 && count[third] == 0 ? MissingThird : 0f;
            cost += fifth >= 0 && count[fifth] == 0 ? MissingFifth : 0f;
            for (int pc = 0; pc < 12; pc++)
            {
                if ((mask & (1 << pc)) != 0 && pc != root && pc != third && pc != fifth && count[pc] == 0)
                {
                    cost += MissingOther;
                }
            }
        }

        for (int pc = 0; pc < 12; pc++)
        {
            int extra = count[pc] - 1;
            if (extra <= 0)
            {
                continue;
            }

            if (pc == LeadingTone && (mask & (1 << pc)) != 0)
            {
                cost += LeadingToneDoubled * extra;
            }
            else if (pc == root)
            {
                // Doubling the root is the rule; tripling it leaves something out, charged above.
            }
            else if (pc == fifth)
            {
                cost += FifthDoubled * extra;
            }
            else if (pc == third)
            {
                cost += (majorThird ? ThirdDoubledMajor : ThirdDoubledMinor) * extra;
            }
            else
            {
                cost += OtherDoubled * extra;
            }
        }

        int bass = v.Bass % 12;
        cost += bass == root ? 0f : bass == third ? BassOnThird : bass == fifth ? BassOnFifth : BassOnOther;
        if (v.Tenor >= 0 && v.Tenor - v.Bass > 19)
        {
            cost += WideTenorBass;
        }

        return cost;
    }

    private struct Candidate
    {
        public Voicing Voicing;
        public int ChordRoot;
        public int ChordMask;
        public float Local;
    }

    private struct Entry
    {
        public Candidate Candidate;
        public float Cost;
        public int Back;
    }
}
