using CoPilot.Export;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;

namespace CoPilot.Training;

/// <summary>Everything that decides a training run's result (plus where it writes and how often it reports).</summary>
/// <remarks>
/// Defaults are the starting point of issue 7: 4 layers, d = 256, 4 heads, context 256, AdamW with linear
/// warm-up and cosine decay, GPT-2-style weight decay on matrices only.
/// </remarks>
public sealed record TrainingOptions
{
    /// <summary>
    /// Issue 7's starting shape over the event vocabulary: 4 layers, d = 256, 4 heads, context 256 (3.3M parameters),
    /// with rotary positions: the learned ones of the first models left them unable to copy a song's own
    /// progressions (docs/evaluation/model.md), which relative positions make a matter of one attention pattern.
    /// </summary>
    public static TransformerConfig DefaultModel { get; } = new(Vocabulary.Size, ContextLength: 256, Layers: 4, Dim: 256, Heads: 4, PositionEncoding.Rotary);

    /// <summary>The model's shape; its vocabulary must match the corpus's.</summary>
    public required TransformerConfig Model { get; init; }

    public int BatchSize { get; init; } = 16;

    public long Steps { get; init; } = 10_000;

    /// <summary>Peak learning rate, reached after <see cref="WarmupSteps"/>.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning rate at the last step (the cosine's floor).</summary>
    public double MinLearningRate { get; init; } = 1e-4;

    public long WarmupSteps { get; init; } = 200;

    public double WeightDecay { get; init; } = 0.1;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.95;

    /// <summary>Global gradient-norm clip; 0 turns clipping off.</summary>
    public double GradientClip { get; init; } = 1.0;

    public double Dropout { get; init; } = 0.1;

    /// <summary>Seeds the weights, dropout and the window sampler.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>libtorch intra-op threads (process-wide).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Share of training windows that start at a song's first token, so the model sees the headers.</summary>
    public double HeaderWindowProbability { get; init; } = 0.2;

    /// <summary>
    /// How training windows are shared between the corpus's groups (a set in one view): a group of T tokens gets
    /// a share ∝ T^GroupBalance. 1 treats every token alike, so POP909's melody and lead-sheet views (four fifths of
    /// the tokens) would crowd out the small chord and folk corpora; 0 gives every group the same share. 0.5 is
    /// the exponent-smoothed sampling of multilingual models (Lample and Conneau, "Cross-lingual Language Model
    /// Pretraining", 2019), chosen so the small corpora are seen several times more often without making them
    /// dominate. 0.3 (the multilingual models' own choice) rather than 0.5 gives the four chord views 38 % of the
    /// windows instead of 33 %: the next-chord task had the furthest to go.
    /// </summary>
    public double GroupBalance { get; init; } = 0.3;

    /// <summary>
    /// Share of training windows that take a repeat sign: bars a to b of a song, then bar a onwards again, as a
    /// player reads a repeated section. Songs repeat their verses, choruses and progressions, and a co-pilot
    /// should follow a song's own progression when it comes round again; but 20 M tokens of plain windows taught
    /// the 4-layer model almost no copying (a song's chords written twice were predicted barely better the second
    /// time: `RepeatProbe`). Repeat windows give the skill a signal to learn from (induction heads, Olsson et al.,
    /// "In-context Learning and Induction Heads", 2022, form where copying pays). Off by default until a full
    /// run shows it helps on valid.
    /// </summary>
    public double RepeatWindowProbability { get; init; }

    /// <summary>Transposition drawn uniformly from [MinTransposition, MaxTransposition] semitones (0 = as written).</summary>
    public int MinTransposition { get; init; } = -5;

    public int MaxTransposition { get; init; } = 6;

    /// <summary>Steps between validation passes; 0 validates only at the end.</summary>
    public long ValidateEvery { get; init; } = 500;

    /// <summary>
    /// Validation windows advance by this many tokens, so every token after a window's first is predicted
    /// with at least ContextLength − stride tokens of context; 0 means ContextLength / 2.
    /// </summary>
    public int ValidationStride { get; init; }

    public int ValidationBatchSize { get; init; } = 32;

    /// <summary>Steps between checkpoints; 0 writes one only at the end (or on cancellation).</summary>
    public long CheckpointEvery { get; init; } = 500;

    /// <summary>How many recent checkpoints stay on disk.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Steps between progress reports and train-loss points.</summary>
    public long ReportEvery { get; init; } = 10;

    /// <summary>Refuse any corpus drawn from a set that is not permissively licensed (see <see cref="TrainingSets"/>).</summary>
    public bool PermissiveLicencesOnly { get; init; }

    /// <summary>Where checkpoints, the best weights and the loss-curve PNG go; null keeps everything in memory.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>
    /// Continue from the latest checkpoint in <see cref="OutputDirectory"/> when there is one. Resume with the
    /// options that wrote it (a different model shape is refused); <see cref="Steps"/> may grow, and the cosine
    /// then follows the new length from the resumed step on.
    /// </summary>
    public bool Resume { get; init; } = true;

    internal int EffectiveValidationStride => ValidationStride > 0 ? Math.Min(ValidationStride, Model.ContextLength) : Math.Max(1, Model.ContextLength / 2);

    /// <summary>Throws naming the first option that cannot work.</summary>
    public void Validate()
    {
        Model.Validate();
        if (BatchSize < 1 || Steps < 1 || WarmupSteps < 0 || Threads < 1 || KeepCheckpoints < 1 || ValidationBatchSize < 1
            || ReportEvery < 1 || ValidateEvery < 0 || CheckpointEvery < 0 || ValidationStride < 0)
        {
            throw new ArgumentException($"Invalid counts in {this}.");
        }

        if (LearningRate <= 0 || MinLearningRate < 0 || MinLearningRate > LearningRate || WeightDecay < 0 || GradientClip < 0
            || Dropout is < 0 or >= 1 || HeaderWindowProbability is < 0 or > 1 || RepeatWindowProbability is < 0 or > 1 || GroupBalance is < 0 or > 1 || MinTransposition > MaxTransposition)
        {
            throw new ArgumentException($"Invalid rates in {this}.");
        }
    }
}
