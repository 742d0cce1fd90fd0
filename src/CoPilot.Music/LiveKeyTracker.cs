namespace CoPilot.Music;

/// <summary>
/// Follows the key of what is being played, one note event at a time.
/// </summary>
/// <remarks>
/// <para>
/// The histogram is duration-weighted and decays exponentially with musical time: every sounding note adds
/// its weight for as long as it sounds, and everything older fades with the given half-life in beats. Between
/// two events the set of sounding notes is constant, so the update is exact in closed form:
/// <c>h ← h·e^(−λΔt) + a·(1 − e^(−λΔt))/λ</c> per pitch class, with <c>a</c> the summed weight of the
/// sounding notes and <c>λ = ln 2 / half-life</c>. One <c>exp</c> and 24 twelve-term dot products per event.
/// </para>
/// <para>
/// Hysteresis keeps the display from flickering: the first key is taken once enough has been heard; after
/// that a new key replaces the current one only when it beats the current key's correlation by
/// <c>switchMargin</c> and stays the best for <c>confirmBeats</c>.
/// </para>
/// <para>
/// Velocity weighs a note between 0.5 (softest) and 1 (loudest): accents count a little more, but a soft
/// note is still heard. Time running backwards (a loop or a relocation) restarts the clock without decay.
/// </para>
/// <para>
/// It also keeps decayed histograms of the bass (the lowest sounding pitch, by duration) and of note onsets, the
/// opening bass (the lowest note struck within <see cref="ChordSpreadBeats"/> of the first note since the last
/// <see cref="Reset"/>, fading with <see cref="OpeningHalfLifeBeats"/>), and with a <see cref="KeyModel"/> one of
/// the triads the sounding notes contain; the scores are then the model's key probabilities instead of profile
/// correlations, and the hysteresis works on probabilities.
/// </para>
/// <para>Owned by one thread (the inference thread). Allocation-free after construction.</para>
/// </remarks>
public sealed class LiveKeyTracker
{
    private const int NoPitch = Pitch.MaxNumber + 1;

    /// <summary>Notes struck this close to the first note count as one chord with it (a strum, a human hand).</summary>
    public const double ChordSpreadBeats = 0.125;

    /// <summary>
    /// How fast the opening bass fades: a cue for the first bars of a song, not a memory that would hold the
    /// first key against a modulation later on.
    /// </summary>
    public const double OpeningHalfLifeBeats = 32;

    private static readonly double OpeningLambda = Math.Log(2) / OpeningHalfLifeBeats;

    private readonly KeyFinder _finder;
    private readonly KeyModel? _model;
    private readonly double[] _bass = new double[PitchClass.Count];
    private readonly double[] _onsets = new double[PitchClass.Count];
    private readonly double[] _opening = new double[PitchClass.Count];
    private readonly double[] _triads = new double[KeyModel.TriadCount];
    private readonly double[] _triadsSounding = new double[KeyModel.TriadCount];
    private readonly int[] _pitchClassCount = new int[PitchClass.Count];
    private readonly double[] _features = new double[Key.MajorMinorCount * KeyModel.FeatureCount];
    private readonly double _lambda;
    private readonly double _switchMargin;
    private readonly double _confirmBeats;
    private readonly double _minimumWeight;
    private readonly double[] _histogram = new double[PitchClass.Count];
    private readonly double[] _sounding = new double[PitchClass.Count];
    private readonly double[] _scores = new double[Key.MajorMinorCount];
    private readonly float[] _pitchWeight = new float[Pitch.MaxNumber + 1];
    private readonly byte[] _pitchCount = new byte[Pitch.MaxNumber + 1];
    private double _lastBeat;
    private bool _started;
    private int _current = -1;
    private int _candidate = -1;
    private double _candidateSince;
    private int _lowest = NoPitch;
    private int _openingPitch = NoPitch;
    private double _openingBeat;

    /// <param name="profile">
    /// Key profile; Albrecht-Shanahan when null. <see cref="KeyProfiles.Pop909"/> (learned on POP909 train) fits
    /// pop better: with half-life 128 and margin 0 it agrees with the offline key after 8 bars on 80 % of POP909
    /// valid songs against the default's 77 % (docs/evaluation/keys.md).
    /// </param>
    /// <param name="halfLifeBeats">How fast old notes fade: after this many beats a note counts half.</param>
    /// <param name="switchMargin">Correlation a new key must gain over the current one before it replaces it.</param>
    /// <param name="confirmBeats">How long the new key must stay ahead before the switch.</param>
    /// <param name="minimumWeightBeats">Note-beats heard before the first key is reported.</param>
    public LiveKeyTracker(KeyProfile? profile = null, double halfLifeBeats = 16, double switchMargin = 0.05, double confirmBeats = 2, double minimumWeightBeats = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(halfLifeBeats);
        ArgumentOutOfRangeException.ThrowIfNegative(switchMargin);
        ArgumentOutOfRangeException.ThrowIfNegative(confirmBeats);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumWeightBeats);
        _finder = new KeyFinder(profile ?? KeyProfiles.AlbrechtShanahan);
        _lambda = Math.Log(2) / halfLifeBeats;
        HalfLifeBeats = halfLifeBeats;
        _switchMargin = switchMargin;
        _confirmBeats = confirmBeats;
        _minimumWeight = minimumWeightBeats;
    }

    /// <summary>A tracker that scores keys with a learned <see cref="KeyModel"/> (bass, onsets and a key prior as well as the histogram).</summary>
    /// <param name="model">The model; its half-life sets how fast old notes fade.</param>
    /// <param name="switchMargin">Probability a new key must gain over the current one before it replaces it.</param>
    /// <param name="confirmBeats">How long the new key must stay ahead before the switch.</param>
    /// <param name="minimumWeightBeats">Note-beats heard before the first key is reported.</param>
    public LiveKeyTracker(KeyModel model, double switchMargin = KeyModels.Pop909SwitchMargin, double confirmBeats = KeyModels.Pop909ConfirmBeats, double minimumWeightBeats = 2)
        : this(model?.Profile, model?.HalfLifeBeats ?? 1, switchMargin, confirmBeats, minimumWeightBeats)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>
    /// The tracker the plugin uses: the key model learned on POP909 train (<see cref="KeyModels.Pop909"/>) with the
    /// switch settings chosen with it. After 8 bars it agrees with the offline key on 90 % of POP909 valid songs,
    /// against 77 % for the Albrecht-Shanahan histogram of the default constructor, and changes key about half
    /// as often over a song (docs/evaluation/keys.md). Call on the thread that will own it (it allocates).
    /// </summary>
    public static LiveKeyTracker WithPop909Model() => new(KeyModels.Pop909, KeyModels.Pop909SwitchMargin, KeyModels.Pop909ConfirmBeats);

    public double HalfLifeBeats { get; }

    /// <summary>True once a key has been reported.</summary>
    public bool HasKey => _current >= 0;

    /// <summary>The reported key (hysteresis applied); meaningless until <see cref="HasKey"/>.</summary>
    public Key Key => _current >= 0 ? Key.FromIndex(_current) : default;

    /// <summary>Correlation of the current histogram with the reported key (with a <see cref="KeyModel"/>, its probability).</summary>
    public double Correlation => _current >= 0 ? _scores[_current] : 0;

    /// <summary>The best key right now, before hysteresis.</summary>
    public Key Leader => Key.FromIndex(KeyFinder.BestIndex(_scores, -1));

    /// <summary>How many times the reported key changed (the first key counts as one).</summary>
    public int KeyChanges { get; private set; }

    /// <summary>The decayed, duration-weighted histogram as of the last event, C first.</summary>
    public ReadOnlySpan<double> Histogram => _histogram;

    /// <summary>The decayed duration of the lowest sounding pitch, per pitch class.</summary>
    public ReadOnlySpan<double> BassHistogram => _bass;

    /// <summary>The decayed, velocity-weighted count of note onsets per pitch class.</summary>
    public ReadOnlySpan<double> OnsetHistogram => _onsets;

    /// <summary>
    /// The opening bass: on the pitch class of the first chord's lowest note, 1 when struck, halving every
    /// <see cref="OpeningHalfLifeBeats"/>; 0 elsewhere and before any note.
    /// </summary>
    public ReadOnlySpan<double> OpeningBass => _opening;

    /// <summary>
    /// The decayed duration of each major and minor triad (<see cref="KeyModel.TriadCount"/> bins, as
    /// <see cref="Key.Index"/>) among the sounding notes; a moment with several shares its time (kept with a model only).
    /// </summary>
    public ReadOnlySpan<double> TriadHistogram => _triads;

    /// <summary>
    /// Correlations of all 24 keys as of the last event, indexed as <see cref="Key.Index"/> (with a
    /// <see cref="KeyModel"/>, probabilities).
    /// </summary>
    public ReadOnlySpan<double> Scores => _scores;

    /// <summary>A key went down. Returns true when the reported key changed.</summary>
    public bool NoteOn(int pitch, double beat, float velocity)
    {
        if ((uint)pitch > Pitch.MaxNumber)
        {
            return false;
        }

        AdvanceHistogram(beat);
        float weight = 0.5f + (0.5f * Math.Clamp(velocity, 0f, 1f));
        if (_pitchCount[pitch] < byte.MaxValue)
        {
            _pitchCount[pitch]++;
            _pitchWeight[pitch] += weight;
            _sounding[pitch % PitchClass.Count] += weight;
            _pitchClassCount[pitch % PitchClass.Count]++;
            _onsets[pitch % PitchClass.Count] += weight;
            _lowest = Math.Min(_lowest, pitch);
            Open(pitch, beat);
            FindTriads();
        }

        return Evaluate(beat);
    }

    /// <summary>A key came up. Unmatched note-offs are ignored. Returns true when the reported key changed.</summary>
    public bool NoteOff(int pitch, double beat)
    {
        if ((uint)pitch > Pitch.MaxNumber)
        {
            return false;
        }

        AdvanceHistogram(beat);
        int count = _pitchCount[pitch];
        if (count > 0)
        {
            // Overlapping notes of one pitch (retriggers) release their average weight.
            float weight = _pitchWeight[pitch] / count;
            _pitchCount[pitch]--;
            _pitchWeight[pitch] = count == 1 ? 0 : _pitchWeight[pitch] - weight;
            int pc = pitch % PitchClass.Count;
            // Counted per pitch class as well, so a silent class is exactly 0, not a rounding residue.
            _sounding[pc] = --_pitchClassCount[pc] == 0 ? 0 : Math.Max(0, _sounding[pc] - weight);
            if (count == 1 && pitch == _lowest)
            {
                _lowest = LowestFrom(pitch + 1);
            }

            FindTriads();
        }

        return Evaluate(beat);
    }

    /// <summary>Lets time pass without an event (e.g. once per block while notes are held).</summary>
    public bool Advance(double beat)
    {
        AdvanceHistogram(beat);
        return Evaluate(beat);
    }

    /// <summary>Releases every sounding note (transport stop, all-notes-off) but keeps what was heard.</summary>
    public void ReleaseAll(double beat)
    {
        AdvanceHistogram(beat);
        Array.Clear(_pitchCount);
        Array.Clear(_pitchWeight);
        Array.Clear(_sounding);
        Array.Clear(_triadsSounding);
        Array.Clear(_pitchClassCount);
        _lowest = NoPitch;
    }

    /// <summary>Forgets everything, as for a new song.</summary>
    public void Reset()
    {
        Array.Clear(_histogram);
        Array.Clear(_bass);
        Array.Clear(_onsets);
        Array.Clear(_opening);
        _openingPitch = NoPitch;
        Array.Clear(_triads);
        Array.Clear(_triadsSounding);
        Array.Clear(_pitchClassCount);
        Array.Clear(_sounding);
        _lowest = NoPitch;
        Array.Clear(_scores);
        Array.Clear(_pitchCount);
        Array.Clear(_pitchWeight);
        _started = false;
        _current = -1;
        _candidate = -1;
        KeyChanges = 0;
    }

    private void AdvanceHistogram(double beat)
    {
        if (!_started || !(beat > _lastBeat))
        {
            // First event, same time, or time went backwards (loop, relocation): no decay, restart the clock.
            _started = true;
            _lastBeat = beat;
            return;
        }

        double dt = beat - _lastBeat;
        _lastBeat = beat;
        double decay = Math.Exp(-_lambda * dt);
        double gain = (1 - decay) / _lambda;
        for (int pc = 0; pc < PitchClass.Count; pc++)
        {
            _histogram[pc] = (_histogram[pc] * decay) + (_sounding[pc] * gain);
            _bass[pc] *= decay;
            _onsets[pc] *= decay;
        }

        if (_openingPitch != NoPitch)
        {
            _opening[_openingPitch % PitchClass.Count] *= Math.Exp(-OpeningLambda * dt);
        }

        for (int t = 0; t < KeyModel.TriadCount; t++)
        {
            _triads[t] = (_triads[t] * decay) + (_triadsSounding[t] * gain);
        }

        if (_lowest < NoPitch)
        {
            _bass[_lowest % PitchClass.Count] += gain;
        }
    }

    /// <summary>The first note sets the opening bass; a lower one struck with it (a strummed chord) takes its place.</summary>
    private void Open(int pitch, double beat)
    {
        if (_openingPitch == NoPitch)
        {
            _openingBeat = beat;
            _openingPitch = pitch;
            _opening[pitch % PitchClass.Count] = 1;
            return;
        }

        if (pitch >= _openingPitch || Math.Abs(beat - _openingBeat) > ChordSpreadBeats)
        {
            return;
        }

        // The weight moves with it, already faded by the time since the first note.
        int previous = _openingPitch % PitchClass.Count;
        double weight = _opening[previous];
        _opening[previous] = 0;
        _openingPitch = pitch;
        _opening[pitch % PitchClass.Count] = weight;
    }

    /// <summary>Which major and minor triads the sounding pitch classes contain; each gets an equal share.</summary>
    private void FindTriads()
    {
        if (_model is null)
        {
            return;
        }

        int found = 0;
        for (int root = 0; root < PitchClass.Count; root++)
        {
            bool hasRootAndFifth = _pitchClassCount[root] > 0 && _pitchClassCount[(root + 7) % PitchClass.Count] > 0;
            bool major = hasRootAndFifth && _pitchClassCount[(root + 4) % PitchClass.Count] > 0;
            bool minor = hasRootAndFifth && _pitchClassCount[(root + 3) % PitchClass.Count] > 0;
            _triadsSounding[root] = major ? 1 : 0;
            _triadsSounding[PitchClass.Count + root] = minor ? 1 : 0;
            found += (major ? 1 : 0) + (minor ? 1 : 0);
        }

        if (found > 1)
        {
            for (int t = 0; t < KeyModel.TriadCount; t++)
            {
                _triadsSounding[t] /= found;
            }
        }
    }

    private int LowestFrom(int pitch)
    {
        for (int p = pitch; p <= Pitch.MaxNumber; p++)
        {
            if (_pitchCount[p] > 0)
            {
                return p;
            }
        }

        return NoPitch;
    }

    private bool Evaluate(double beat)
    {
        if (_model is null)
        {
            _finder.Score(_histogram, _scores);
        }
        else
        {
            _model.Features(_histogram, _bass, _onsets, _triads, _opening, _features);
            _model.Probabilities(_features, _scores);
        }

        int best = KeyFinder.BestIndex(_scores, -1);
        if (_scores[best] <= 0)
        {
            return false;
        }

        if (_current < 0)
        {
            double total = 0;
            foreach (double h in _histogram)
            {
                total += h;
            }

            if (total < _minimumWeight)
            {
                return false;
            }

            _current = best;
            _candidate = -1;
            KeyChanges++;
            return true;
        }

        if (best == _current || _scores[best] < _scores[_current] + _switchMargin)
        {
            _candidate = -1;
            return false;
        }

        if (best != _candidate || beat < _candidateSince)
        {
            _candidate = best;
            _candidateSince = beat;
        }

        if (beat - _candidateSince < _confirmBeats)
        {
            return false;
        }

        _current = best;
        _candidate = -1;
        KeyChanges++;
        return true;
    }
}
