namespace CoPilot.Music;

/// <summary>
/// Offline chord recognition over time windows (beats, half bars, the beats of a data set's beat track):
/// each window gets a duration-weighted pitch-class histogram and a bass, every candidate chord is scored
/// by <see cref="ChordRecognizer"/>, and dynamic programming (Viterbi) picks the chord sequence that
/// maximises the summed score minus <see cref="ChangePenalty"/> per chord change. The penalty keeps a passing
/// note or an arpeggio that leaves out the third in one beat from flipping the chord.
/// </summary>
/// <remarks>
/// <para>
/// A window's bass is the lowest pitch that sounds for at least <see cref="BassFraction"/> of the window (so a
/// grace note or a quick run below the bass line does not count), otherwise the lowest pitch that sounds in
/// it at all. Windows where nothing sounds are <see cref="Chord.None"/> ("N"); others always get a chord.
/// </para>
/// <para>Offline only: allocates its work arrays.</para>
/// </remarks>
public sealed class ChordSegmenter
{
    private const int NoChordState = ChordRecognizerStates.Chords;
    private const int States = ChordRecognizerStates.Chords + 1;

    /// <param name="recognizer">The window scorer; default weights when null.</param>
    /// <param name="changePenalty">
    /// Score given up per chord change; 0 takes the best chord of every window. With one-beat windows a beat
    /// that a passing or neighbour note makes read as another chord (C with an A: Am7/C) leads by 0.5-1 for that
    /// beat, while a real change leads by about that much on every beat of the new chord. The default 0.5
    /// makes a one-beat detour cost 1 (two changes), so it needs a lead above 1, and a new chord lasting two
    /// beats or more wins. To be tuned on data with the evaluation.
    /// </param>
    /// <param name="bassFraction">Fraction of a window a note must sound to be its bass (see remarks).</param>
    /// <param name="weightByVelocity">
    /// Weight each note's overlap by its <see cref="TimedNote.Velocity"/> too (a caller can put a per-track
    /// weight there, so a melody full of passing notes counts less than the accompaniment). The bass is chosen
    /// by time alone either way.
    /// </param>
    public ChordSegmenter(ChordRecognizer? recognizer = null, double changePenalty = 0.5, double bassFraction = 0.25, bool weightByVelocity = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(changePenalty);
        ArgumentOutOfRangeException.ThrowIfNegative(bassFraction);
        Recognizer = recognizer ?? new ChordRecognizer();
        ChangePenalty = changePenalty;
        BassFraction = bassFraction;
        WeightByVelocity = weightByVelocity;
    }

    public bool WeightByVelocity { get; }

    public ChordRecognizer Recognizer { get; }

    public double ChangePenalty { get; }

    public double BassFraction { get; }

    /// <summary>Boundaries every <paramref name="step"/> from 0 up to and past <paramref name="end"/>: one window per beat by default.</summary>
    public static double[] RegularBoundaries(double end, double step = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        int windows = Math.Max(1, (int)Math.Ceiling(end / step));
        var boundaries = new double[windows + 1];
        for (int i = 0; i <= windows; i++)
        {
            boundaries[i] = i * step;
        }

        return boundaries;
    }

    /// <summary>One chord per window; see <see cref="Recognize(ReadOnlySpan{TimedNote}, ReadOnlySpan{double}, Span{Chord}, ReadOnlySpan{Key})"/>.</summary>
    public Chord[] Recognize(ReadOnlySpan<TimedNote> notes, ReadOnlySpan<double> boundaries, ReadOnlySpan<Key> keys = default)
    {
        var chords = new Chord[Math.Max(0, boundaries.Length - 1)];
        Recognize(notes, boundaries, chords, keys);
        return chords;
    }

    /// <summary>
    /// Writes the chord of each window [boundaries[i], boundaries[i + 1]) to <paramref name="chords"/>[i].
    /// </summary>
    /// <param name="notes">The notes, in any order; times in the same unit as the boundaries (beats or seconds).</param>
    /// <param name="boundaries">Ascending window boundaries: n + 1 of them for n windows.</param>
    /// <param name="chords">Room for n chords.</param>
    /// <param name="keys">Key context: empty for none, one key for the whole piece, or one per window (for instance from <see cref="KeySegmenter"/>).</param>
    public void Recognize(ReadOnlySpan<TimedNote> notes, ReadOnlySpan<double> boundaries, Span<Chord> chords, ReadOnlySpan<Key> keys = default)
    {
        int windows = boundaries.Length - 1;
        if (windows <= 0)
        {
            return;
        }

        if (chords.Length < windows)
        {
            throw new ArgumentException("One chord per window.", nameof(chords));
        }

        if (keys.Length > 1 && keys.Length != windows)
        {
            throw new ArgumentException("No key, one key, or one key per window.", nameof(keys));
        }

        for (int i = 0; i < windows; i++)
        {
            if (!(boundaries[i + 1] > boundaries[i]))
            {
                throw new ArgumentException("Boundaries must be strictly ascending.", nameof(boundaries));
            }
        }

        var histograms = new double[windows * PitchClass.Count];
        var bass = new int[windows];
        var anyBass = new int[windows];
        Array.Fill(bass, int.MaxValue);
        Array.Fill(anyBass, int.MaxValue);
        foreach (TimedNote note in notes)
        {
            if (!(note.DurationBeats > 0))
            {
                continue;
            }

            // First window whose end lies after the note's start.
            int w = boundaries[1..].BinarySearch(note.StartBeat);
            w = w < 0 ? ~w : w + 1;
            for (; w < windows && boundaries[w] < note.EndBeat; w++)
            {
                double overlap = Math.Min(note.EndBeat, boundaries[w + 1]) - Math.Max(note.StartBeat, boundaries[w]);
                if (overlap <= 0)
                {
                    continue;
                }

                histograms[(w * PitchClass.Count) + note.PitchClass.Value] += WeightByVelocity ? overlap * note.Velocity : overlap;
                anyBass[w] = Math.Min(anyBass[w], note.Pitch);
                if (overlap >= BassFraction * (boundaries[w + 1] - boundaries[w]))
                {
                    bass[w] = Math.Min(bass[w], note.Pitch);
                }
            }
        }

        var scores = new double[windows * States];
        var basses = new PitchClass?[windows];
        for (int w = 0; w < windows; w++)
        {
            int lowest = bass[w] != int.MaxValue ? bass[w] : anyBass[w];
            basses[w] = lowest != int.MaxValue ? new PitchClass(lowest) : null;
            Key? key = keys.Length == 0 ? null : keys[keys.Length == 1 ? 0 : w];
            Span<double> row = scores.AsSpan(w * States, States);
            if (Recognizer.Score(histograms.AsSpan(w * PitchClass.Count, PitchClass.Count), basses[w], key, row))
            {
                row[NoChordState] = double.NegativeInfinity;
            }
            else
            {
                row.Fill(double.NegativeInfinity);
                row[NoChordState] = 0;
            }
        }

        Span<int> path = windows <= 1024 ? stackalloc int[windows] : new int[windows];
        Viterbi(scores, windows, path);
        for (int w = 0; w < windows; w++)
        {
            chords[w] = path[w] == NoChordState ? Chord.None : ChordRecognizer.CandidateChord(path[w], basses[w]);
        }
    }

    // With one change penalty for every pair of states, the best predecessor of a state is either itself or
    // the best state of the previous window: O(windows × states), not O(windows × states²).
    private void Viterbi(double[] scores, int windows, Span<int> path)
    {
        var back = new int[windows * States];
        var previous = new double[States];
        var current = new double[States];
        Array.Copy(scores, previous, States);
        for (int w = 1; w < windows; w++)
        {
            int bestPrevious = ArgMax(previous);
            double switchScore = previous[bestPrevious] - ChangePenalty;
            for (int s = 0; s < States; s++)
            {
                bool stay = previous[s] >= switchScore;
                back[(w * States) + s] = stay ? s : bestPrevious;
                current[s] = scores[(w * States) + s] + (stay ? previous[s] : switchScore);
            }

            (previous, current) = (current, previous);
        }

        int state = ArgMax(previous);
        for (int w = windows - 1; w >= 0; w--)
        {
            path[w] = state;
            state = back[(w * States) + state];
        }
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}

internal static class ChordRecognizerStates
{
    public const int Chords = ChordQualities.Count * PitchClass.Count;
}
