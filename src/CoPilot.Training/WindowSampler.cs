namespace CoPilot.Training;

/// <summary>
/// Draws training windows of ContextLength + 1 tokens (inputs and their next-token targets) from the train
/// songs, transposed at random. All randomness comes from one <see cref="SplitMix64Random"/> whose state a
/// checkpoint keeps.
/// </summary>
/// <remarks>
/// A song is chosen with probability proportional to its length, so every token is about equally likely to be
/// trained on; the window starts at the song's first token with <see cref="TrainingOptions.HeaderWindowProbability"/>
/// (otherwise uniformly), so the header tokens (Bos Style Task Key Metre) are seen often enough to condition
/// on. Songs shorter than a window are padded: inputs with 0, targets with <see cref="IgnoredTarget"/>.
/// </remarks>
internal sealed class WindowSampler
{
    /// <summary>The target the loss skips (cross_entropy's default ignore_index).</summary>
    public const long IgnoredTarget = -100;

    private readonly int[][] songs;
    private readonly long[] cumulativeLength;
    private readonly int context;
    private readonly TrainingOptions options;
    private readonly Transposition? transposition;
    private readonly int[] window;

    public WindowSampler(IReadOnlyList<int[]> songs, TrainingOptions options, Transposition? transposition, SplitMix64Random random)
    {
        this.options = options;
        this.transposition = transposition;
        Random = random;
        context = options.Model.ContextLength;
        window = new int[context + 1];
        var usable = songs.Where(s => s.Length >= 2).ToArray();
        if (usable.Length == 0)
        {
            throw new ArgumentException("No train song has two tokens or more.", nameof(songs));
        }

        this.songs = usable;
        cumulativeLength = new long[usable.Length];
        long total = 0;
        for (int i = 0; i < usable.Length; i++)
        {
            total += usable[i].Length;
            cumulativeLength[i] = total;
        }
    }

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
        long pick = Random.NextInt64(cumulativeLength[^1]);
        int index = Array.BinarySearch(cumulativeLength, pick + 1);
        if (index < 0)
        {
            index = ~index;
        }

        int[] song = songs[index];
        int length = Math.Min(song.Length, window.Length);
        int lastStart = song.Length - length;
        int start = lastStart == 0 || Random.NextDouble() < options.HeaderWindowProbability ? 0 : (int)Random.NextInt64(lastStart + 1);
        var span = window.AsSpan(0, length);
        song.AsSpan(start, length).CopyTo(span);
        if (transposition is not null)
        {
            int semitones = options.MinTransposition + (int)Random.NextInt64(options.MaxTransposition - options.MinTransposition + 1);
            // A failed transposition leaves the window as written (the transposer's all-or-nothing contract).
            if (semitones != 0)
            {
                transposition(span, semitones);
            }
        }

        return length;
    }
}
