namespace CoPilot.Training;

/// <summary>
/// Transposes a token sequence in place by <paramref name="semitones"/>; false (and the span untouched)
/// when it cannot, e.g. a pitch would leave the MIDI range. CoPilot.Inference.Tokens.TokenTransposer.TryTranspose
/// has this shape.
/// </summary>
public delegate bool Transposition(Span<int> tokens, int semitones);

/// <summary>
/// What the trainer learns from: tokenised songs (each already starting with its header tokens, Bos Style
/// Task Key …) from the train and valid splits, and the sets they were drawn from (for the licence check
/// and the model card).
/// </summary>
public sealed class TrainingCorpus
{
    public TrainingCorpus(IReadOnlyList<int[]> train, IReadOnlyList<int[]> valid, int vocabSize, IReadOnlyList<string> sets, Transposition? transposition = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 2);
        CheckTokens(train, vocabSize, nameof(train));
        CheckTokens(valid, vocabSize, nameof(valid));
        Train = train;
        Valid = valid;
        VocabSize = vocabSize;
        Sets = sets;
        Transposition = transposition;
    }

    public IReadOnlyList<int[]> Train { get; }

    public IReadOnlyList<int[]> Valid { get; }

    public int VocabSize { get; }

    /// <summary>Names of the data sets (see <see cref="TrainingSets"/>) the songs come from.</summary>
    public IReadOnlyList<string> Sets { get; }

    /// <summary>The augmentation; null trains on the songs as written.</summary>
    public Transposition? Transposition { get; }

    /// <summary>Tokens the model is asked to predict in a split: every token but each song's first.</summary>
    public static long PredictedTokens(IReadOnlyList<int[]> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        long count = 0;
        foreach (var song in songs)
        {
            count += Math.Max(0, song.Length - 1);
        }

        return count;
    }

    private static void CheckTokens(IReadOnlyList<int[]> songs, int vocabSize, string name)
    {
        for (int s = 0; s < songs.Count; s++)
        {
            foreach (int token in songs[s])
            {
                if ((uint)token >= (uint)vocabSize)
                {
                    throw new ArgumentException($"Song {s} holds token {token}, outside the vocabulary of {vocabSize}.", name);
                }
            }
        }
    }
}
