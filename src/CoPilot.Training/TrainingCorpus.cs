using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Inference.Tokens;

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
    /// <param name="trainGroups">The group (index into <paramref name="groupNames"/>) of each train song; null puts them all in one.</param>
    public TrainingCorpus(
        IReadOnlyList<int[]> train,
        IReadOnlyList<int[]> valid,
        int vocabSize,
        IReadOnlyList<CorpusSet> sets,
        Transposition? transposition = null,
        IReadOnlyList<int>? trainGroups = null,
        IReadOnlyList<string>? groupNames = null)
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
        GroupNames = groupNames ?? ["all"];
        TrainGroups = trainGroups ?? new int[train.Count];
        if (TrainGroups.Count != train.Count || TrainGroups.Any(g => (uint)g >= (uint)GroupNames.Count))
        {
            throw new ArgumentException("Every train song needs a group among the group names.", nameof(trainGroups));
        }
    }

    public IReadOnlyList<int[]> Train { get; }

    public IReadOnlyList<int[]> Valid { get; }

    public int VocabSize { get; }

    /// <summary>The data sets the songs come from (licences in <see cref="TrainingSets"/>).</summary>
    public IReadOnlyList<CorpusSet> Sets { get; }

    /// <summary>The group of each train song, which <see cref="TrainingOptions.GroupBalance"/> weighs.</summary>
    public IReadOnlyList<int> TrainGroups { get; }

    /// <summary>The groups' names, e.g. "Nottingham Melody".</summary>
    public IReadOnlyList<string> GroupNames { get; }

    /// <summary>The augmentation; null trains on the songs as written.</summary>
    public Transposition? Transposition { get; }

    /// <summary>
    /// The train and valid splits of every allowed set in every view it has (so every task token is trained),
    /// tokenised with the event vocabulary, with ±semitone transposition as augmentation.
    /// </summary>
    /// <param name="views">Restricts the (set, view) pairs; null takes them all. Pairs of a set the licence
    /// option excludes are refused rather than skipped, so a mistaken selection cannot go unnoticed.</param>
    public static TrainingCorpus Load(CorpusLibrary library, bool permissiveLicencesOnly, IReadOnlyList<(CorpusSet Set, CorpusView View)>? views = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        var allowed = TrainingSets.Allowed(permissiveLicencesOnly).Select(s => s.Set).ToHashSet();
        var pairs = views ?? [.. allowed.SelectMany(set => CorpusViews.Of(set).Select(view => (set, view)))];
        var train = new List<int[]>();
        var valid = new List<int[]>();
        var groups = new List<int>();
        var names = new List<string>();
        foreach (var (set, view) in pairs)
        {
            if (!allowed.Contains(set))
            {
                throw new ArgumentException($"{set} ({TrainingSets.Of(set).Licence}) is excluded by the permissive-licence option.", nameof(views));
            }

            List<int[]> songs = library.Tokens(set, Split.Train, view).TokenArrays();
            train.AddRange(songs);
            groups.AddRange(Enumerable.Repeat(names.Count, songs.Count));
            names.Add($"{set} {view}");
            valid.AddRange(library.Tokens(set, Split.Valid, view).TokenArrays());
        }

        return new TrainingCorpus(train, valid, Vocabulary.Size, [.. pairs.Select(p => p.Set).Distinct()], TokenTransposer.TryTranspose, groups, names);
    }

    /// <summary>
    /// The same corpus validating on every <paramref name="every"/>-th valid song only: periodic passes over the
    /// whole valid split of all sets (1.44M tokens) take minutes each; score the chosen weights on the full split
    /// afterwards with <see cref="ValidationScore.Nll"/>.
    /// </summary>
    public TrainingCorpus WithValidSubset(int every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return new TrainingCorpus(Train, [.. Valid.Where((_, i) => i % every == 0)], VocabSize, Sets, Transposition, TrainGroups, GroupNames);
    }

    /// <summary>Each group's train tokens and its share of the training windows under <paramref name="balance"/> (see <see cref="TrainingOptions.GroupBalance"/>).</summary>
    public IReadOnlyList<GroupShare> Shares(double balance)
    {
        var tokens = new long[GroupNames.Count];
        for (int i = 0; i < Train.Count; i++)
        {
            tokens[TrainGroups[i]] += Train[i].Length;
        }

        double total = tokens.Sum(t => Math.Pow(t, balance));
        return [.. tokens.Select((t, g) => new GroupShare(GroupNames[g], t, Math.Pow(t, balance) / total))];
    }

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

/// <summary>A group of the training corpus (a set in one view): its train tokens and its share of the windows.</summary>
public sealed record GroupShare(string Group, long Tokens, double Share);
