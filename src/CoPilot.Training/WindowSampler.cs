using CoPilot.Inference.Tokens;

namespace CoPilot.Training;

/// <summary>
/// Draws training windows of ContextLength + 1 tokens (inputs and their next-token targets) from the train
/// songs, transposed at random. All randomness comes from one <see cref="SplitMix64Random"/> whose state a
/// checkpoint keeps.
/// </summary>
/// <remarks>
/// A song is chosen with probability proportional to its length times its group's weight: within a group (one
/// set in one view) every token is about equally likely to be trained on, and a group's share of the windows is
/// proportional to its tokens to the power <see cref="TrainingOptions.GroupBalance"/>. The window starts at the song's first token with <see cref="TrainingOptions.HeaderWindowProbability"/>
/// (otherwise uniformly), so the header tokens (Bos Style Task Key Metre) are seen often enough to condition
/// on. Songs shorter than a window are padded: inputs with 0, targets with <see cref="IgnoredTarget"/>.
/// With <see cref="TrainingOptions.RepeatWindowProbability"/> a window takes a repeat sign instead (see there):
/// a lead-in, bars a to b, then bar a onwards again; the section is at most half a window, so its repeat fits.
/// </remarks>
internal sealed class WindowSampler
{
    /// <summary>The target the loss skips (cross_entropy's default ignore_index).</summary>
    public const long IgnoredTarget = -100;

    private readonly int[][] songs;
    private readonly int[][] bars;
    private readonly double[] cumulativeWeight;
    private readonly int context;
    private readonly TrainingOptions options;
    private readonly Transposition? transposition;
    private readonly int[] window;

    /// <param name="groups">The group of each song (null: one group); see <see cref="GroupShares"/>.</param>
    public WindowSampler(IReadOnlyList<int[]> songs, TrainingOptions options, Transposition? transposition, SplitMix64Random random, IReadOnlyList<int>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(songs);
        if (groups is not null && groups.Count != songs.Count)
        {
            throw new ArgumentException($"{groups.Count} group labels for {songs.Count} songs.", nameof(groups));
        }

        this.options = options;
        this.transposition = transposition;
        Random = random;
        context = options.Model.ContextLength;
        window = new int[context + 1];
        int[] usable = [.. Enumerable.Range(0, songs.Count).Where(i => songs[i].Length >= 2)];
        if (usable.Length == 0)
        {
            throw new ArgumentException("No train song has two tokens or more.", nameof(songs));
        }

        this.songs = [.. usable.Select(i => songs[i])];
        // Bar lines are only looked for when repeat windows are drawn: plain runs skip the pass over every token.
        bars = options.RepeatWindowProbability > 0 ? [.. this.songs.Select(BarStarts)] : [];
        int[] group = [.. usable.Select(i => groups?[i] ?? 0)];
        var tokens = new Dictionary<int, long>();
        foreach ((int[] song, int g) in this.songs.Zip(group))
        {
            tokens[g] = tokens.GetValueOrDefault(g) + song.Length;
        }

        // A group of T tokens gets T^α of the draws: each of its tokens weighs T^(α−1).
        var perToken = tokens.ToDictionary(t => t.Key, t => Math.Pow(t.Value, options.GroupBalance - 1));
        double total = 0;
        var shares = new Dictionary<int, double>();
        cumulativeWeight = new double[this.songs.Length];
        for (int i = 0; i < this.songs.Length; i++)
        {
            double weight = this.songs[i].Length * perToken[group[i]];
            shares[group[i]] = shares.GetValueOrDefault(group[i]) + weight;
            total += weight;
            cumulativeWeight[i] = total;
        }

        GroupShares = shares.ToDictionary(s => s.Key, s => s.Value / total);
    }

    /// <summary>Each group's expected share of the training windows.</summary>
    public IReadOnlyDictionary<int, double> GroupShares { get; }

    public SplitMix64Random Random { get; }

    /// <summary>Fills [batch, context] inputs and targets (row-major) with freshly drawn windows.</summary>
    public void Fill(long[] inputs, long[] targets)
    {
        int batch = inputs.Length / context;
        for (int b = 0; b < batch; b++)
        {
            int length = Draw();
            int row = b * context;
            for (int t = 0; t < context; t++)
            {
                bool real = t + 1 < length;
                inputs[row + t] = t < length ? window[t] : 0;
                targets[row + t] = real ? window[t + 1] : IgnoredTarget;
            }
        }
    }

    // Copies one window into `window` and returns how many of its tokens are real (≤ context + 1).
    private int Draw()
    {
        double pick = Random.NextDouble() * cumulativeWeight[^1];
        int index = Array.BinarySearch(cumulativeWeight, pick);
        index = Math.Min(index < 0 ? ~index : index + 1, songs.Length - 1);

        int[] song = songs[index];
        int length = options.RepeatWindowProbability > 0 && Random.NextDouble() < options.RepeatWindowProbability
            ? DrawRepeat(song, bars[index])
            : -1;
        if (length < 0)
        {
            length = Math.Min(song.Length, window.Length);
            int lastStart = song.Length - length;
            int start = lastStart == 0 || Random.NextDouble() < options.HeaderWindowProbability ? 0 : (int)Random.NextInt64(lastStart + 1);
            song.AsSpan(start, length).CopyTo(window);
        }

        if (transposition is not null)
        {
            int semitones = options.MinTransposition + (int)Random.NextInt64(options.MaxTransposition - options.MinTransposition + 1);
            // A failed transposition leaves the window as written (the transposer's all-or-nothing contract).
            if (semitones != 0)
            {
                transposition(window.AsSpan(0, length), semitones);
            }
        }

        return length;
    }

    // A lead-in, bars k1..k2 (exclusive), then bar k1 onwards again: bar lines on both sides of the jump keep the
    // token grammar. Returns the window's length, or -1 when the song has no section short enough to repeat.
    private int DrawRepeat(int[] song, int[] barStarts)
    {
        int maxSection = context / 2;
        if (barStarts.Length < 2)
        {
            return -1;
        }

        int k1 = (int)Random.NextInt64(barStarts.Length - 1);
        if (barStarts[k1 + 1] - barStarts[k1] > maxSection)
        {
            return -1;
        }

        int last = k1 + 1;
        while (last + 1 < barStarts.Length && barStarts[last + 1] - barStarts[k1] <= maxSection)
        {
            last++;
        }

        int k2 = k1 + 1 + (int)Random.NextInt64(last - k1);
        int a = barStarts[k1], b = barStarts[k2];
        int start = a <= context / 4 && Random.NextDouble() < options.HeaderWindowProbability
            ? 0
            : a - (int)Random.NextInt64(Math.Min(a, context / 4) + 1);
        int first = b - start;
        song.AsSpan(start, first).CopyTo(window);
        int second = Math.Min(song.Length - a, window.Length - first);
        song.AsSpan(a, second).CopyTo(window.AsSpan(first));
        return first + second;
    }

    private static int[] BarStarts(int[] song)
    {
        var starts = new List<int>();
        for (int i = 0; i < song.Length; i++)
        {
            if (song[i] == Vocabulary.Bar)
            {
                starts.Add(i);
            }
        }

        return [.. starts];
    }
}
