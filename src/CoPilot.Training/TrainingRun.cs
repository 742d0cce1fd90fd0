using System.Diagnostics;
using System.Runtime.CompilerServices;
using CoPilot.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoPilot.Training;

/// <summary>A progress report, sent every <see cref="TrainingOptions.ReportEvery"/> steps and after each validation.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Tokens">Training tokens (batch × context per step) processed.</param>
/// <param name="TokensPerSecond">Over the last report interval, training steps only.</param>
/// <param name="Eta">Remaining training steps at the recent speed plus the remaining validation passes at the last pass's duration.</param>
/// <param name="TrainLoss">Mean training loss over the last report interval (nats per token).</param>
/// <param name="ValidNll">The latest validation NLL per token, or null before the first.</param>
public readonly record struct TrainingProgress(
    long Step,
    long TotalSteps,
    long Tokens,
    double TokensPerSecond,
    TimeSpan Eta,
    double TrainLoss,
    double? ValidNll,
    double LearningRate);

/// <summary>What a run leaves behind.</summary>
public sealed class TrainingResult(TransformerWeights final, TransformerWeights? best, TrainingHistory history, long steps, bool cancelled, string? checkpointPath, string? bestWeightsPath, string? plotPath, IReadOnlyList<TrainingSet> sets)
{
    /// <summary>The sets trained on with their licences, for the model card.</summary>
    public IReadOnlyList<TrainingSet> Sets { get; } = sets;

    /// <summary>The weights after the last step done.</summary>
    public TransformerWeights Final { get; } = final;

    /// <summary>The weights at the lowest validation NLL (null when the run never validated).</summary>
    public TransformerWeights? Best { get; } = best;

    public TrainingHistory History { get; } = history;

    public long Steps { get; } = steps;

    public bool Cancelled { get; } = cancelled;

    public string? CheckpointPath { get; } = checkpointPath;

    public string? BestWeightsPath { get; } = bestWeightsPath;

    public string? PlotPath { get; } = plotPath;
}

/// <summary>
/// Trains <see cref="CoPilotTransformer"/> on a <see cref="TrainingCorpus"/>: random windows, AdamW, warm-up
/// and cosine decay, gradient clipping, periodic exact validation, checkpoints, resume and loss curves.
/// </summary>
/// <remarks>
/// Deterministic for a given corpus, options and thread count: the weights, the dropout masks (the model's
/// own generator) and the windows and transpositions (the trainer's generator) all come from the seed, never
/// from torch's global generator, so other torch users in the process cannot perturb a run. A run
/// stopped at a checkpoint and resumed ends with the same weights as one that never stopped.
/// Calls <c>torch.set_num_threads</c>, which is process-wide.
/// </remarks>
public static class TrainingRun
{
    public const string BestWeightsFileName = "best.cptw";
    public const string FinalWeightsFileName = "final.cptw";
    public const string LossCurveFileName = "loss.png";

    public static TrainingResult Run(TrainingCorpus corpus, TrainingOptions options, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        // Before anything touches torch: a method that does may load libtorch (and libgomp) when it is compiled.
        OpenMpWaitPolicy.PreferPassive();
        return RunLoaded(corpus, options, progress, cancellation);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TrainingResult RunLoaded(TrainingCorpus corpus, TrainingOptions options, Action<TrainingProgress>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckLicences(corpus, options);
        if (corpus.VocabSize != options.Model.VocabSize)
        {
            throw new ArgumentException($"The corpus has {corpus.VocabSize} tokens, the model {options.Model.VocabSize}.", nameof(options));
        }

        set_num_threads(options.Threads);
        using var model = new CoPilotTransformer(options.Model, options.Seed, options.Dropout);
        model.train();
        using var optimizer = CreateOptimizer(model, options);
        var state = new TrainingState();
        var sampler = new WindowSampler(corpus.Train, options, corpus.Transposition, new SplitMix64Random(SamplerSeed(options.Seed)), corpus.TrainGroups);
        var validation = new ValidationPass(corpus.Valid, options.Model.ContextLength, options.EffectiveValidationStride, options.ValidationBatchSize);
        string? directory = options.OutputDirectory;
        TransformerWeights? best = null;
        string? checkpointPath = null;

        if (directory is not null && options.Resume && TrainingCheckpoint.Latest(directory) is { } latest)
        {
            state = TrainingCheckpoint.Read(latest, model, optimizer);
            sampler.Random.State = state.SamplerState;
            checkpointPath = latest;
            string bestPath = Path.Combine(directory, BestWeightsFileName);
            if (state.History.Valid.Count > 0 && File.Exists(bestPath))
            {
                best = TransformerWeightsFile.Read(bestPath);
            }
        }

        int context = options.Model.ContextLength;
        var inputs = new long[options.BatchSize * context];
        var targets = new long[options.BatchSize * context];
        long tokensPerStep = (long)options.BatchSize * context;
        var clock = new Stopwatch();
        long intervalStartStep = state.Step;
        double? lastValid = state.History.Valid.Count > 0 ? state.History.Valid[^1].Loss : null;
        double secondsPerValidation = 0;
        bool cancelled = false;
        var lastReport = new TrainingProgress(state.Step, options.Steps, state.Tokens, 0, TimeSpan.Zero, double.NaN, lastValid, 0);

        while (state.Step < options.Steps)
        {
            if (cancellation.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            double learningRate = LearningRateSchedule.At(state.Step, options);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            clock.Start();
            sampler.Fill(inputs, targets);
            double loss = Step(model, optimizer, inputs, targets, options);
            clock.Stop();

            state.Step++;
            state.Tokens += tokensPerStep;
            state.IntervalLossSum += loss;
            state.IntervalSteps++;
            bool last = state.Step == options.Steps;

            bool report = state.Step % options.ReportEvery == 0 || last;
            TrainingProgress? message = null;
            if (report)
            {
                double trainLoss = state.IntervalLossSum / state.IntervalSteps;
                state.History.Train.Add(new LossPoint(state.Step, state.Tokens, trainLoss));
                long intervalSteps = Math.Max(1, state.Step - intervalStartStep);
                double secondsPerStep = clock.Elapsed.TotalSeconds / intervalSteps;
                long validationsLeft = ValidationsAfter(state.Step, options);
                // Until a pass has been timed, a forward-only token is taken to cost a third of a training token
                // (forward plus a backward of about twice its cost).
                double validationSeconds = secondsPerValidation > 0 ? secondsPerValidation : validation.InputTokens * secondsPerStep / tokensPerStep / 3;
                var eta = TimeSpan.FromSeconds((secondsPerStep * (options.Steps - state.Step)) + (validationSeconds * validationsLeft));
                message = new TrainingProgress(state.Step, options.Steps, state.Tokens, tokensPerStep / Math.Max(secondsPerStep, 1e-9), eta, trainLoss, lastValid, learningRate);
                lastReport = message.Value;
                state.IntervalLossSum = 0;
                state.IntervalSteps = 0;
                intervalStartStep = state.Step;
                clock.Reset();
            }

            if ((options.ValidateEvery > 0 && state.Step % options.ValidateEvery == 0) || last)
            {
                long started = Stopwatch.GetTimestamp();
                // A cancelled pass records nothing; the loop then stops at this step with a checkpoint.
                double nll = validation.Run(model, cancellation);
                secondsPerValidation = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (!double.IsNaN(nll))
                {
                    bool improved = state.History.BestValid is not { } previous || nll < previous.Loss;
                    state.History.Valid.Add(new LossPoint(state.Step, state.Tokens, nll));
                    lastValid = nll;
                    if (improved)
                    {
                        best = model.ToWeights();
                        if (directory is not null)
                        {
                            Directory.CreateDirectory(directory);
                            TransformerWeightsFile.Write(Path.Combine(directory, BestWeightsFileName), best);
                        }
                    }

                    message = (message ?? lastReport with { Step = state.Step, Tokens = state.Tokens }) with { ValidNll = nll };
                }
            }

            if (message is { } done)
            {
                progress?.Invoke(done);
            }

            if (directory is not null && ((options.CheckpointEvery > 0 && state.Step % options.CheckpointEvery == 0) || last))
            {
                state.SamplerState = sampler.Random.State;
                checkpointPath = TrainingCheckpoint.Write(directory, state, model, optimizer, options.KeepCheckpoints);
            }
        }

        string? plotPath = null;
        string? bestWeightsPath = null;
        if (directory is not null)
        {
            if (cancelled && state.Step > 0)
            {
                state.SamplerState = sampler.Random.State;
                checkpointPath = TrainingCheckpoint.Write(directory, state, model, optimizer, options.KeepCheckpoints);
            }

            Directory.CreateDirectory(directory);
            TransformerWeightsFile.Write(Path.Combine(directory, FinalWeightsFileName), model.ToWeights());
            plotPath = Path.Combine(directory, LossCurveFileName);
            LossCurvePlot.Save(state.History, plotPath);
            string candidate = Path.Combine(directory, BestWeightsFileName);
            bestWeightsPath = File.Exists(candidate) ? candidate : null;
        }

        return new TrainingResult(model.ToWeights(), best, state.History, state.Step, cancelled, checkpointPath, bestWeightsPath, plotPath, [.. corpus.Sets.Distinct().Select(TrainingSets.Of)]);
    }

    private static double Step(CoPilotTransformer model, AdamW optimizer, long[] inputs, long[] targets, TrainingOptions options)
    {
        using var scope = NewDisposeScope();
        int context = options.Model.ContextLength;
        var x = tensor(inputs, [options.BatchSize, context]);
        var y = tensor(targets, [options.BatchSize * context]);
        var logits = model.forward(x);
        var loss = nn.functional.cross_entropy(logits.view(-1, options.Model.VocabSize), y, ignore_index: WindowSampler.IgnoredTarget);
        optimizer.zero_grad();
        loss.backward();
        if (options.GradientClip > 0)
        {
            nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
        }

        optimizer.step();
        return loss.item<float>();
    }

    // GPT-2 practice: decay the matrices (embeddings, projections, head), not the biases or LayerNorm gains.
    private static AdamW CreateOptimizer(CoPilotTransformer model, TrainingOptions options)
    {
        var parameters = model.NamedParameters();
        var decayed = options.Model.WeightShapes().Where(w => w.Shape.Length >= 2).Select(w => parameters[w.Name]).ToArray();
        var plain = options.Model.WeightShapes().Where(w => w.Shape.Length < 2).Select(w => parameters[w.Name]).ToArray();
        const double epsilon = 1e-8;
        var groups = new[]
        {
            new AdamW.ParamGroup(decayed, options.LearningRate, options.Beta1, options.Beta2, epsilon, options.WeightDecay, false, false),
            new AdamW.ParamGroup(plain, options.LearningRate, options.Beta1, options.Beta2, epsilon, 0, false, false),
        };
        return optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, epsilon, options.WeightDecay);
    }

    private static void CheckLicences(TrainingCorpus corpus, TrainingOptions options)
    {
        var allowed = TrainingSets.Allowed(options.PermissiveLicencesOnly);
        foreach (var set in corpus.Sets)
        {
            var licence = TrainingSets.Of(set);
            if (!allowed.Contains(licence))
            {
                throw new ArgumentException($"Permissive licences only, but the corpus includes {set} ({licence.Licence}).", nameof(corpus));
            }
        }
    }

    // Validation passes still to come after `step`: every ValidateEvery-th step, and the last step in any case.
    private static long ValidationsAfter(long step, TrainingOptions options)
    {
        if (step >= options.Steps)
        {
            return 0;
        }

        if (options.ValidateEvery == 0)
        {
            return 1;
        }

        long periodic = (options.Steps / options.ValidateEvery) - (step / options.ValidateEvery);
        return periodic + (options.Steps % options.ValidateEvery == 0 ? 0 : 1);
    }

    private static ulong SamplerSeed(long seed) => unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL);
}
