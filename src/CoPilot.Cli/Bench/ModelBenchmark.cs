using System.Diagnostics;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Cli.Bench;

/// <summary>One decoder file to time.</summary>
public sealed record ModelUnderTest(OnnxWeightFormat Format, string Path);

/// <summary>What <see cref="ModelBenchmark"/> measures for one model, all on the calling thread.</summary>
/// <param name="FirstLoadMilliseconds">
/// The first <see cref="OnnxDecoder.Load(string, string?)"/> of this file in the process; for INT8 (loaded first)
/// it includes starting ONNX Runtime and JIT-compiling the managed code around it.
/// </param>
/// <param name="MedianLoadMilliseconds">The median over every load of this file.</param>
/// <param name="StepMilliseconds">Per-token <see cref="OnnxDecoder.Step"/> times, sorted.</param>
/// <param name="AllocatedPerToken">Managed bytes allocated on this thread per measured step.</param>
/// <param name="AnswerMilliseconds">Per answer (Reset, prompt, generated tokens), sorted.</param>
/// <param name="AnswerBars">Bar tokens in the last answer (with random weights they mean nothing musically).</param>
/// <param name="AllocatedPerAnswer">Managed bytes allocated on this thread per answer.</param>
/// <param name="StepCpuMilliseconds">The process's CPU time per timed step (user + system, every thread).</param>
/// <param name="AnswerCpuMilliseconds">The process's CPU time per timed answer.</param>
public sealed record ModelTimings(
    OnnxWeightFormat Format,
    string Path,
    long FileBytes,
    OnnxModelInfo Info,
    double FirstLoadMilliseconds,
    double MedianLoadMilliseconds,
    double[] StepMilliseconds,
    double AllocatedPerToken,
    double[] AnswerMilliseconds,
    int AnswerBars,
    double AllocatedPerAnswer,
    double StepCpuMilliseconds,
    double AnswerCpuMilliseconds)
{
    public double StepP50 => Percentile(StepMilliseconds, 0.50);

    public double StepP99 => Percentile(StepMilliseconds, 0.99);

    public double StepMax => StepMilliseconds.Length == 0 ? 0 : StepMilliseconds[^1];

    public double StepMean => StepMilliseconds.Length == 0 ? 0 : StepMilliseconds.Average();

    public double AnswerP50 => Percentile(AnswerMilliseconds, 0.50);

    public double AnswerMax => AnswerMilliseconds.Length == 0 ? 0 : AnswerMilliseconds[^1];

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The settings of one <see cref="ModelBenchmark"/> run.</summary>
/// <param name="Tokens">Timed steps per model, after one warm-up pass over the whole context.</param>
/// <param name="Loads">Session loads per model (the first is reported on its own: it loads ONNX Runtime too).</param>
/// <param name="Answers">Timed answers per model, after one warm-up answer.</param>
/// <param name="PromptTokens">The prompt fed step by step before each answer.</param>
/// <param name="AnswerTokens">Tokens drawn per answer: ~150 is an 8-bar melody (Position Pitch Duration Velocity per note).</param>
public sealed record ModelBenchmarkSettings(int Tokens = 2048, int Loads = 5, int Answers = 20, int PromptTokens = 64, int AnswerTokens = 150, ulong Seed = 1);

/// <summary>
/// Times exported decoders on one thread, interleaved so that every model sees the same machine load: session
/// loads, single-token steps over every cache position, managed allocation per step, and whole answers
/// (Reset, a prompt fed token by token, then tokens drawn with <see cref="ConstrainedSampler"/>).
/// </summary>
/// <remarks>
/// <para>Steps cycle through positions 0…ContextLength−1 (Reset when the context is full), so the figures cover
/// short and long caches alike. Allocation is read with <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// around the timed loops only; the stopwatch reads and the preallocated result arrays allocate nothing.</para>
/// <para>On a busy machine the wall-clock tail is mostly the scheduler's: a preempted step waits a time slice
/// (several ms). The process's CPU time (<see cref="Environment.CpuUsage"/>, read outside the allocation
/// brackets) is reported beside it as the cost the machine's load does not change.</para>
/// <para>Answers mask Eos (the logits are copied first) so that every answer has the same length: a random
/// model would otherwise end some answers after a few tokens and flatter the time.</para>
/// </remarks>
public static class ModelBenchmark
{
    public static IReadOnlyList<ModelTimings> Run(IReadOnlyList<ModelUnderTest> models, ModelBenchmarkSettings settings, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(settings);
        int count = models.Count;
        var loads = new double[count][];
        for (int m = 0; m < count; m++)
        {
            loads[m] = new double[settings.Loads];
        }

        progress?.Invoke($"loading each model {settings.Loads} times");
        // INT8 first: its first load then pays for starting ONNX Runtime, as the plugin's only load does.
        int[] loadOrder = [.. Enumerable.Range(0, count).OrderBy(m => models[m].Format == OnnxWeightFormat.Int8 ? 0 : 1)];
        for (int round = 0; round < settings.Loads; round++)
        {
            foreach (int m in loadOrder)
            {
                long start = Stopwatch.GetTimestamp();
                using var decoder = OnnxDecoder.Load(models[m].Path);
                loads[m][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        var decoders = new OnnxDecoder[count];
        try
        {
            for (int m = 0; m < count; m++)
            {
                decoders[m] = OnnxDecoder.Load(models[m].Path);
                if (decoders[m].VocabSize < Vocabulary.Size)
                {
                    throw new OnnxModelException(OnnxModelError.Incompatible, $"{models[m].Path} has {decoders[m].VocabSize} logits; the sampler needs {Vocabulary.Size}.");
                }
            }

            progress?.Invoke($"timing {settings.Tokens} steps per model");
            var steps = new double[count][];
            var stepBytes = new long[count];
            var stepCpu = new TimeSpan[count];
            TimeSteps(decoders, settings, steps, stepBytes, stepCpu);

            progress?.Invoke($"timing {settings.Answers} answers per model");
            var answers = new double[count][];
            var answerBytes = new long[count];
            var bars = new int[count];
            var answerCpu = new TimeSpan[count];
            TimeAnswers(decoders, settings, answers, answerBytes, bars, answerCpu);

            var results = new List<ModelTimings>();
            for (int m = 0; m < count; m++)
            {
                double[] sortedLoads = [.. loads[m].Order()];
                Array.Sort(steps[m]);
                Array.Sort(answers[m]);
                results.Add(new ModelTimings(
                    models[m].Format,
                    models[m].Path,
                    new FileInfo(models[m].Path).Length,
                    decoders[m].Info,
                    loads[m][0],
                    ModelTimings.Percentile(sortedLoads, 0.5),
                    steps[m],
                    stepBytes[m] / (double)Math.Max(1, settings.Tokens),
                    answers[m],
                    bars[m],
                    answerBytes[m] / (double)Math.Max(1, settings.Answers),
                    stepCpu[m].TotalMilliseconds / Math.Max(1, settings.Tokens),
                    answerCpu[m].TotalMilliseconds / Math.Max(1, settings.Answers)));
            }

            return results;
        }
        finally
        {
            foreach (OnnxDecoder? decoder in decoders)
            {
                decoder?.Dispose();
            }
        }
    }

    private static void TimeSteps(OnnxDecoder[] decoders, ModelBenchmarkSettings settings, double[][] steps, long[] allocated, TimeSpan[] cpu)
    {
        int context = decoders.Min(d => d.ContextLength);
        int vocab = decoders.Min(d => d.VocabSize);
        var random = new Random((int)settings.Seed);
        int[] tokens = [.. Enumerable.Range(0, context).Select(_ => random.Next(vocab))];
        var ticks = new long[decoders.Length][];
        for (int m = 0; m < decoders.Length; m++)
        {
            ticks[m] = new long[settings.Tokens];
            // Warm-up: ORT's first runs at each cache length set up its kernels.
            decoders[m].Reset();
            for (int t = 0; t < context; t++)
            {
                decoders[m].Step(tokens[t]);
            }
        }

        for (int done = 0; done < settings.Tokens; done += context)
        {
            int chunk = Math.Min(context, settings.Tokens - done);
            for (int m = 0; m < decoders.Length; m++)
            {
                OnnxDecoder decoder = decoders[m];
                long[] times = ticks[m];
                decoder.Reset();
                TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int t = 0; t < chunk; t++)
                {
                    long start = Stopwatch.GetTimestamp();
                    decoder.Step(tokens[t]);
                    times[done + t] = Stopwatch.GetTimestamp() - start;
                }

                allocated[m] += GC.GetAllocatedBytesForCurrentThread() - before;
                cpu[m] += Environment.CpuUsage.TotalTime - cpuBefore;
            }
        }

        for (int m = 0; m < decoders.Length; m++)
        {
            steps[m] = Array.ConvertAll(ticks[m], t => t * 1000.0 / Stopwatch.Frequency);
        }
    }

    private static void TimeAnswers(OnnxDecoder[] decoders, ModelBenchmarkSettings settings, double[][] answers, long[] allocated, int[] bars, TimeSpan[] cpu)
    {
        int[] prompt = BenchPrompt.Create(settings.PromptTokens);
        int context = decoders.Min(d => d.ContextLength);
        if (prompt.Length + settings.AnswerTokens > context)
        {
            throw new ArgumentException($"A prompt of {prompt.Length} and an answer of {settings.AnswerTokens} tokens do not fit a context of {context}.", nameof(settings));
        }

        var samplers = new ConstrainedSampler[decoders.Length];
        var buffers = new float[decoders.Length][];
        for (int m = 0; m < decoders.Length; m++)
        {
            samplers[m] = new ConstrainedSampler(new SamplerSettings(), settings.Seed);
            buffers[m] = new float[decoders[m].VocabSize];
            answers[m] = new double[settings.Answers];
            Answer(decoders[m], samplers[m], buffers[m], prompt, settings.AnswerTokens, settings.Seed);
        }

        for (int a = 0; a < settings.Answers; a++)
        {
            for (int m = 0; m < decoders.Length; m++)
            {
                TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                bars[m] = Answer(decoders[m], samplers[m], buffers[m], prompt, settings.AnswerTokens, settings.Seed + (ulong)a);
                answers[m][a] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                allocated[m] += GC.GetAllocatedBytesForCurrentThread() - before;
                cpu[m] += Environment.CpuUsage.TotalTime - cpuBefore;
            }
        }
    }

    /// <summary>One answer as the inference thread would write it; returns its Bar tokens.</summary>
    private static int Answer(OnnxDecoder decoder, ConstrainedSampler sampler, float[] buffer, int[] prompt, int answerTokens, ulong seed)
    {
        sampler.Reset(seed);
        decoder.Reset();
        ReadOnlySpan<float> logits = default;
        foreach (int token in prompt)
        {
            sampler.Observe(token);
            logits = decoder.Step(token);
        }

        int bars = 0;
        for (int i = 0; i < answerTokens; i++)
        {
            logits.CopyTo(buffer);
            buffer[Vocabulary.Eos] = float.NegativeInfinity;
            int token = sampler.Sample(buffer);
            sampler.Observe(token);
            bars += token == Vocabulary.Bar ? 1 : 0;
            if (i + 1 < answerTokens)
            {
                logits = decoder.Step(token);
            }
        }

        return bars;
    }
}
