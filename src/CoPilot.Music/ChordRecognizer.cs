namespace CoPilot.Music;

/// <summary>The outcome of chord recognition: the best chord, its score and the runner-up's.</summary>
/// <param name="Chord">The best chord; <see cref="Chord.None"/> when too little sounds.</param>
/// <param name="Score">Its template score (about 1 for a complete chord with nothing else sounding).</param>
/// <param name="RunnerUp">The best chord with another root or quality.</param>
/// <param name="RunnerUpScore">Its score; the gap is a confidence measure.</param>
public readonly record struct ChordEstimate(Chord Chord, double Score, Chord RunnerUp, double RunnerUpScore)
{
    public double Margin => Score - RunnerUpScore;

    public static ChordEstimate None => default;
}

/// <summary>
/// The weights of <see cref="ChordRecognizer"/>'s template score. The defaults are tuned on the textbook
/// cases of the tests (every quality in every inversion, incomplete voicings); see the recogniser's remarks.
/// </summary>
public sealed record ChordScoring
{
    /// <summary>
    /// Cost per unit of (normalised) weight on pitch classes outside the chord. Below 1 because passing and
    /// neighbour notes are expected in any real texture; the priors keep them from becoming sixths and ninths.
    /// </summary>
    public double ExtraPenalty { get; init; } = 0.5;

    /// <summary>Cost of a missing root (rootless voicings are rare in what a co-pilot hears).</summary>
    public double MissingRoot { get; init; } = 0.35;

    /// <summary>Cost of a missing third: a bare fifth still reads as major, the simplest chord with it.</summary>
    public double MissingThird { get; init; } = 0.25;

    /// <summary>Cost of a missing perfect fifth: small, since pianists and guitarists leave it out all the time.</summary>
    public double MissingFifth { get; init; } = 0.08;

    /// <summary>Cost of a missing colour tone: the sixth, seventh, ninth, suspension or altered fifth that names the chord.</summary>
    public double MissingColour { get; init; } = 0.3;

    /// <summary>Bonus when the bass is the root: what tells Dm7 from F6/D and C6 from Am7/C.</summary>
    public double RootInBass { get; init; } = 0.1;

    /// <summary>Cost when the bass is not a chord tone (a slash chord over a foreign bass, C/D).</summary>
    public double ForeignBass { get; init; } = 0.1;

    /// <summary>With a key: bonus times the fraction of the chord's tones in the key's scale.</summary>
    public double Diatonic { get; init; } = 0.06;

    /// <summary>A chord tone with at least this fraction of the loudest pitch class's weight counts as fully present.</summary>
    public double Presence { get; init; } = 0.25;

    /// <summary>
    /// Prior per quality (in <see cref="ChordQuality"/> order), added to the score. Triads 0; the sevenths
    /// -0.1 to -0.15; sixths, ninths, add9 and mMaj7 about -0.2. A colour tone thus has to carry about a tenth
    /// (sevenths) to an eighth (sixths, ninths) of the sounding weight before the richer chord wins, so a
    /// passing note does not turn C into Cadd9 while a played C6 voicing (a quarter of the weight on A) is C6.
    /// Within a same-notes pair the higher prior names inversions: Am7/E, not C6/E.
    /// </summary>
    public IReadOnlyList<double> Priors { get; init; } =
    [
        0.0, 0.0, -0.05, -0.1, -0.15, -0.12, -0.2, -0.22, -0.12, -0.14, -0.12, -0.14, -0.15, -0.2, -0.2, -0.22, -0.2, -0.2, -0.18,
    ];

    public static ChordScoring Default { get; } = new();
}

/// <summary>
/// Chord recognition by template matching: every quality of the vocabulary on every root (19 × 12
/// candidates) is scored against a 12-bin pitch-class weight vector, and the best wins.
/// </summary>
/// <remarks>
/// <para>
/// Score = (weight on chord tones) − <see cref="ChordScoring.ExtraPenalty"/> × (weight on other pitch classes)
/// − the cost of each missing chord tone (root, third, fifth, colour) + the quality's prior + a bass term
/// (root in the bass, or a foreign bass) + optionally a diatonic bonus for the key. Weights are normalised to
/// sum 1, so a complete chord with nothing else sounding scores about 1 plus its prior.
/// </para>
/// <para>
/// Ambiguities between chords with the same notes are decided by the bass, as musicians name them: C E G A
/// over C is C6 and over A is Am7 (never Am7/C); D F A C over D is Dm7, over F it is F6; B D F A over B is
/// Bm7b5, over D Dm6; C D G over C is Csus2, over G Gsus4. Symmetric chords (dim7, aug) take the bass as root. Between a
/// chord and its subset (C E G vs C E G Bb) the extra note decides; with notes missing the simpler quality
/// wins through the priors and the higher cost of a missing colour tone than a missing fifth.
/// </para>
/// <para>Stateless after construction and allocation-free: safe to share between threads and to call live.</para>
/// </remarks>
public sealed class ChordRecognizer
{
    private const int MaxTones = 5;
    private const int Candidates = ChordQualities.Count * PitchClass.Count;

    private readonly byte[] _toneOffsets = new byte[ChordQualities.Count * MaxTones];
    private readonly double[] _tonePenalties = new double[ChordQualities.Count * MaxTones];
    private readonly byte[] _toneCounts = new byte[ChordQualities.Count];
    private readonly int[] _templates = new int[ChordQualities.Count];
    private readonly double[] _priors = new double[ChordQualities.Count];
    private readonly int[] _rotatedTemplates = new int[Candidates];

    public ChordRecognizer(ChordScoring? scoring = null)
    {
        Scoring = scoring ?? ChordScoring.Default;
        if (Scoring.Priors.Count != ChordQualities.Count)
        {
            throw new ArgumentException($"Priors need one value per quality ({ChordQualities.Count}).", nameof(scoring));
        }

        for (int q = 0; q < ChordQualities.Count; q++)
        {
            var quality = (ChordQuality)q;
            ReadOnlySpan<Interval> tones = quality.Tones();
            _toneCounts[q] = (byte)tones.Length;
            _templates[q] = quality.Template().Mask;
            _priors[q] = Scoring.Priors[q];
            for (int root = 0; root < PitchClass.Count; root++)
            {
                _rotatedTemplates[(q * PitchClass.Count) + root] = quality.Template().Transpose(root).Mask;
            }

            for (int t = 0; t < tones.Length; t++)
            {
                _toneOffsets[(q * MaxTones) + t] = (byte)(tones[t].Semitones % PitchClass.Count);
                _tonePenalties[(q * MaxTones) + t] = t switch
                {
                    0 => Scoring.MissingRoot,
                    1 when tones[t].Number == 3 => Scoring.MissingThird,
                    // A suspended chord without its fifth is a bare fourth or second: the fifth counts like a third.
                    2 when tones[t] == Interval.PerfectFifth && tones[1].Number != 3 => Scoring.MissingThird,
                    2 when tones[t] == Interval.PerfectFifth => Scoring.MissingFifth,
                    _ => Scoring.MissingColour,
                };
            }
        }
    }

    public ChordScoring Scoring { get; }

    /// <summary>
    /// The chord of sounding MIDI pitches, all weighted equally; the lowest is the bass. Fewer than two
    /// distinct pitch classes give <see cref="ChordEstimate.None"/>.
    /// </summary>
    public ChordEstimate Recognize(ReadOnlySpan<int> pitches) => Recognize(pitches, [], null);

    /// <summary>
    /// The chord of sounding MIDI pitches with weights (velocity, or how long each has sounded; empty: all 1).
    /// The lowest pitch with a positive weight is the bass. With a key, diatonic chords get a small bonus.
    /// </summary>
    public ChordEstimate Recognize(ReadOnlySpan<int> pitches, ReadOnlySpan<float> weights, Key? key = null)
    {
        if (!weights.IsEmpty && weights.Length != pitches.Length)
        {
            throw new ArgumentException("One weight per pitch, or none.", nameof(weights));
        }

        Span<double> histogram = stackalloc double[PitchClass.Count];
        histogram.Clear();
        int lowest = int.MaxValue;
        for (int i = 0; i < pitches.Length; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            if (w > 0)
            {
                histogram[MusicMath.Mod(pitches[i], PitchClass.Count)] += w;
                lowest = Math.Min(lowest, pitches[i]);
            }
        }

        int distinct = 0;
        foreach (double w in histogram)
        {
            distinct += w > 0 ? 1 : 0;
        }

        if (distinct < 2)
        {
            return ChordEstimate.None;
        }

        return Recognize(histogram, new PitchClass(lowest), key);
    }

    /// <summary>
    /// The chord of a 12-bin pitch-class weight vector (C first; any scale) with a known bass, or none. An
    /// empty vector gives <see cref="ChordEstimate.None"/>.
    /// </summary>
    public ChordEstimate Recognize(ReadOnlySpan<double> pitchClassWeights, PitchClass? bass, Key? key = null)
    {
        Span<double> scores = stackalloc double[Candidates];
        if (!Score(pitchClassWeights, bass, key, scores))
        {
            return ChordEstimate.None;
        }

        int best = 0;
        int second = 1;
        if (scores[second] > scores[best])
        {
            (best, second) = (second, best);
        }

        for (int i = 2; i < Candidates; i++)
        {
            if (scores[i] > scores[best])
            {
                second = best;
                best = i;
            }
            else if (scores[i] > scores[second])
            {
                second = i;
            }
        }

        return new ChordEstimate(CandidateChord(best, bass), scores[best], CandidateChord(second, bass), scores[second]);
    }

    /// <summary>Number of scored candidates: 12 roots × every quality, indexed quality × 12 + root.</summary>
    public static int CandidateCount => Candidates;

    /// <summary>The chord of candidate <paramref name="index"/> (quality × 12 + root), in an inversion when the bass is one of its tones.</summary>
    public static Chord CandidateChord(int index, PitchClass? bass)
    {
        var quality = (ChordQuality)(index / PitchClass.Count);
        var root = new PitchClass(index % PitchClass.Count);
        if (bass is PitchClass b && quality.Template().Contains(new PitchClass(b - root)))
        {
            return new Chord(root, quality, b);
        }

        return new Chord(root, quality);
    }

    /// <summary>
    /// Scores every candidate (see <see cref="CandidateChord"/> for the indexing) into <paramref name="scores"/>;
    /// false, and nothing written, when the weights are all zero.
    /// </summary>
    public bool Score(ReadOnlySpan<double> pitchClassWeights, PitchClass? bass, Key? key, Span<double> scores)
    {
        if (pitchClassWeights.Length != PitchClass.Count)
        {
            throw new ArgumentException("A pitch-class histogram has 12 bins.", nameof(pitchClassWeights));
        }

        if (scores.Length < Candidates)
        {
            throw new ArgumentException($"Scores need room for {Candidates} candidates.", nameof(scores));
        }

        double total = 0;
        double max = 0;
        foreach (double w in pitchClassWeights)
        {
            if (w > 0)
            {
                total += w;
                max = Math.Max(max, w);
            }
        }

        if (!(total > 0))
        {
            return false;
        }

        // Twice over so a rotation needs no modulo: w[root + offset] for offsets up to 11.
        Span<double> w2 = stackalloc double[2 * PitchClass.Count];
        for (int i = 0; i < PitchClass.Count; i++)
        {
            double w = Math.Max(0, pitchClassWeights[i]) / total;
            w2[i] = w;
            w2[i + PitchClass.Count] = w;
        }

        double presence = Scoring.Presence * max / total;
        double inversePresence = 1 / presence;
        int scale = key is Key k ? k.PitchClasses.Mask : 0;
        int bassValue = bass is PitchClass bassPc ? bassPc.Value : -1;
        int bassBit = bassValue >= 0 ? 1 << bassValue : 0;
        double extraPenalty = Scoring.ExtraPenalty;
        double rootInBass = Scoring.RootInBass;
        double foreignBass = Scoring.ForeignBass;
        double diatonicBonus = Scoring.Diatonic;
        ReadOnlySpan<byte> offsets = _toneOffsets;
        ReadOnlySpan<double> penalties = _tonePenalties;
        ReadOnlySpan<int> rotated = _rotatedTemplates;
        for (int q = 0; q < ChordQualities.Count; q++)
        {
            int count = _toneCounts[q];
            ReadOnlySpan<byte> toneOffsets = offsets.Slice(q * MaxTones, count);
            ReadOnlySpan<double> tonePenalties = penalties.Slice(q * MaxTones, count);
            double prior = _priors[q];
            double diatonicPerTone = diatonicBonus / count;
            for (int root = 0; root < PitchClass.Count; root++)
            {
                double matched = 0;
                double missing = 0;
                for (int t = 0; t < toneOffsets.Length; t++)
                {
                    double w = w2[root + toneOffsets[t]];
                    matched += w;
                    if (w < presence)
                    {
                        missing += tonePenalties[t] * (1 - (w * inversePresence));
                    }
                }

                int mask = rotated[(q * PitchClass.Count) + root];
                double score = matched - (extraPenalty * (1 - matched)) - missing + prior;
                if (bassValue == root)
                {
                    score += rootInBass;
                }
                else if ((mask & bassBit) == 0 && bassBit != 0)
                {
                    score -= foreignBass;
                }

                if (scale != 0)
                {
                    score += diatonicPerTone * System.Numerics.BitOperations.PopCount((uint)(mask & scale));
                }

                scores[(q * PitchClass.Count) + root] = score;
            }
        }

        return true;
    }
}
