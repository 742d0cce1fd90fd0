using static TorchSharp.torch;

namespace CoPilot.Training;

/// <summary>
/// Exact negative log-likelihood per token of the valid split: every token of every song but the first is
/// predicted exactly once.
/// </summary>
/// <remarks>
/// Songs up to ContextLength + 1 tokens are one window. Longer songs are read with a sliding window of
/// ContextLength tokens that advances by the stride; each window scores only the targets the previous one
/// did not, so a token late in a long song is predicted from at least ContextLength − stride tokens of
/// context (the first window scores from the song's start). Stride = ContextLength gives disjoint windows
/// (cheapest, most pessimistic); smaller strides approach what the model sees when it plays, at a cost of
/// about ContextLength / stride forward passes per token.
/// </remarks>
internal sealed class ValidationPass
{
    private readonly List<Window> windows = [];
    private readonly IReadOnlyList<int[]> songs;
    private readonly int context;
    private readonly int batchSize;

    public ValidationPass(IReadOnlyList<int[]> songs, int context, int stride, int batchSize)
    {
        this.songs = songs;
        this.context = context;
        this.batchSize = batchSize;
        for (int s = 0; s < songs.Count; s++)
        {
            int targets = songs[s].Length - 1;
            if (targets < 1)
            {
                continue;
            }

            // Targets 1 … end are predicted from inputs 0 … end − 1.
            int end = Math.Min(targets, context);
            windows.Add(new Window(s, 0, end, 0));
            while (end < targets)
            {
                int next = Math.Min(targets, end + stride);
                int start = next - context;
                windows.Add(new Window(s, start, context, end - start));
                end = next;
            }
        }

        // Full-length windows first so that batches rarely mix lengths (shorter ones are padded).
        windows.Sort((a, b) => b.Length.CompareTo(a.Length));
        PredictedTokens = TrainingCorpus.PredictedTokens(songs);
        InputTokens = windows.Sum(w => (long)w.Length);
    }

    public long PredictedTokens { get; }

    /// <summary>Forward passes over this many input tokens (more than <see cref="PredictedTokens"/> when windows overlap).</summary>
    public long InputTokens { get; }

    /// <summary>Mean NLL in nats per predicted token; NaN when the split is empty or the pass was cancelled.</summary>
    public double Run(CoPilotTransformer model, CancellationToken cancellation = default)
    {
        if (PredictedTokens == 0)
        {
            return double.NaN;
        }

        bool wasTraining = model.training;
        model.eval();
        double total = 0;
        long scored = 0;
        try
        {
            using var noGrad = no_grad();
            for (int first = 0; first < windows.Count; first += batchSize)
            {
                if (cancellation.IsCancellationRequested)
                {
                    return double.NaN;
                }

                int count = Math.Min(batchSize, windows.Count - first);
                int width = windows[first].Length;
                var inputs = new long[count * width];
                var targets = new long[count * width];
                for (int b = 0; b < count; b++)
                {
                    var w = windows[first + b];
                    int[] song = songs[w.Song];
                    for (int t = 0; t < width; t++)
                    {
                        bool real = t < w.Length;
                        inputs[(b * width) + t] = real ? song[w.Start + t] : 0;
                        bool scoredHere = real && t >= w.ScoreFrom;
                        targets[(b * width) + t] = scoredHere ? song[w.Start + t + 1] : WindowSampler.IgnoredTarget;
                        scored += scoredHere ? 1 : 0;
                    }
                }

                using var scope = NewDisposeScope();
                var x = tensor(inputs, [count, width]);
                var y = tensor(targets, [count * width]);
                var logits = model.forward(x);
                var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), y, ignore_index: WindowSampler.IgnoredTarget, reduction: nn.Reduction.Sum);
                total += loss.item<float>();
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        if (scored != PredictedTokens)
        {
            throw new InvalidOperationException($"Validation scored {scored} tokens, expected {PredictedTokens}.");
        }

        return total / scored;
    }

    private readonly record struct Window(int Song, int Start, int Length, int ScoreFrom);
}
