using System.Runtime.CompilerServices;
using CoPilot.Export;
using static TorchSharp.torch;

namespace CoPilot.Training;

/// <summary>
/// The exact validation NLL of given weights, outside a run: for a final full-split figure when the run itself
/// validated on a subset (<see cref="TrainingCorpus.WithValidSubset"/>) to save time.
/// </summary>
public static class ValidationScore
{
    /// <summary>Mean NLL in nats per predicted token (the method of <see cref="TrainingOptions.ValidationStride"/>).</summary>
    /// <param name="stride">Window advance in tokens; 0 means ContextLength / 2, as in a run.</param>
    public static double Nll(TransformerWeights weights, IReadOnlyList<int[]> songs, int stride = 0, int threads = 2, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(songs);
        OpenMpWaitPolicy.PreferPassive();
        return Score(weights, songs, stride, threads, batchSize);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Score(TransformerWeights weights, IReadOnlyList<int[]> songs, int stride, int threads, int batchSize)
    {
        set_num_threads(threads);
        int context = weights.Config.ContextLength;
        int effective = stride > 0 ? Math.Min(stride, context) : Math.Max(1, context / 2);
        using var model = CoPilotTransformer.FromWeights(weights);
        return new ValidationPass(songs, context, effective, batchSize).Run(model);
    }
}
