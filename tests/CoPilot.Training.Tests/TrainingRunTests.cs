using CoPilot.Data;
using CoPilot.Export;

namespace CoPilot.Training.Tests;

public sealed class TrainingRunTests : IDisposable
{
    private const int Vocab = 16;
    private static readonly TransformerConfig Tiny = new(Vocab, ContextLength: 8, Layers: 2, Dim: 16, Heads: 2);

    private readonly string root = Path.Combine(Path.GetTempPath(), "copilot-training-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void StoppingAtACheckpointAndResumingEndsWithTheSameWeights()
    {
        var corpus = Corpus();
        var options = Options() with { OutputDirectory = Path.Combine(root, "straight") };
        var straight = TrainingRun.Run(corpus, options);

        var interruptedOptions = options with { OutputDirectory = Path.Combine(root, "interrupted") };
        using var stop = new CancellationTokenSource();
        var first = TrainingRun.Run(corpus, interruptedOptions, p =>
        {
            if (p.Step == 10)
            {
                stop.Cancel();
            }
        }, stop.Token);
        var resumed = TrainingRun.Run(corpus, interruptedOptions);

        Assert.True(first.Cancelled);
        Assert.Equal(10, first.Steps);
        Assert.Equal(20, resumed.Steps);
        foreach (var (name, _) in Tiny.WeightShapes())
        {
            Assert.Equal(straight.Final.Tensors[name], resumed.Final.Tensors[name]);
        }

        Assert.Equal(straight.History.Train, resumed.History.Train);
        Assert.Equal(straight.History.Valid, resumed.History.Valid);
        Assert.NotEqual(first.Final.Tensors["head.weight"], resumed.Final.Tensors["head.weight"]);
    }

    [Fact]
    public void TheSameOptionsTrainTheSameWeightsAndAnotherSeedDoesNot()
    {
        var corpus = Corpus();
        var a = TrainingRun.Run(corpus, Options() with { Steps = 6 });
        var b = TrainingRun.Run(corpus, Options() with { Steps = 6 });
        var c = TrainingRun.Run(corpus, Options() with { Steps = 6, Seed = 2 });

        Assert.Equal(a.Final.Tensors["blocks.0.attn.qkv.weight"], b.Final.Tensors["blocks.0.attn.qkv.weight"]);
        Assert.NotEqual(a.Final.Tensors["blocks.0.attn.qkv.weight"], c.Final.Tensors["blocks.0.attn.qkv.weight"]);
    }

    [Fact]
    public void LearnsAPredictableCorpusWellBelowChance()
    {
        var result = TrainingRun.Run(Corpus(), Options() with { Steps = 400, Dropout = 0, LearningRate = 1e-2, WarmupSteps = 20, ValidateEvery = 200 });

        double chance = Math.Log(Vocab);
        Assert.Equal(2, result.History.Valid.Count);
        Assert.True(result.History.Valid[^1].Loss < 0.5 * chance, $"valid NLL {result.History.Valid[^1].Loss} vs chance {chance}");
        Assert.NotNull(result.Best);
        Assert.Equal(result.History.BestValid!.Value.Loss, result.History.Valid.Min(p => p.Loss));
    }

    [Fact]
    public void ReportsProgressAndWritesWeightsCheckpointsAndALossCurve()
    {
        string directory = Path.Combine(root, "files");
        var reports = new List<TrainingProgress>();
        var result = TrainingRun.Run(Corpus(), Options() with { OutputDirectory = directory, CheckpointEvery = 5, KeepCheckpoints = 2 }, reports.Add);

        Assert.Equal([5L, 10, 15, 20], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(r.TokensPerSecond > 0 && r.TrainLoss > 0 && r.LearningRate > 0));
        Assert.Equal(TimeSpan.Zero, reports[^1].Eta);
        Assert.NotNull(reports[^1].ValidNll);
        Assert.Equal(2, Directory.GetFiles(directory, "checkpoint-*.bin").Length);
        Assert.EndsWith("checkpoint-00000020.bin", result.CheckpointPath, StringComparison.Ordinal);
        byte[] png = File.ReadAllBytes(result.PlotPath!);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var final = TransformerWeightsFile.Read(Path.Combine(directory, TrainingRun.FinalWeightsFileName));
        Assert.Equal(result.Final.Tensors["tok_emb.weight"], final.Tensors["tok_emb.weight"]);
        Assert.NotNull(result.BestWeightsPath);
    }

    [Fact]
    public void AValidSubsetRunScoresLikeTheFullSplitAfterwards()
    {
        var corpus = Corpus();
        var subset = corpus.WithValidSubset(3);
        var run = TrainingRun.Run(subset, Options() with { Steps = 10 });

        Assert.Equal(3, subset.Valid.Count);
        Assert.Same(corpus.Valid[3], subset.Valid[1]);
        Assert.Equal(run.History.Valid[^1].Loss, ValidationScore.Nll(run.Final, subset.Valid, stride: 4, threads: 1), 6);
        double full = ValidationScore.Nll(run.Final, corpus.Valid, stride: 4, threads: 1);
        Assert.NotEqual(run.History.Valid[^1].Loss, full, 6);
    }

    [Fact]
    public void PermissiveOnlyRefusesACorpusWithANonPermissiveSet()
    {
        var permissive = Corpus([CorpusSet.Billboard, CorpusSet.JsbChorales]);
        var withPop909 = Corpus([CorpusSet.JsbChorales, CorpusSet.Pop909]);
        var options = Options() with { Steps = 1, PermissiveLicencesOnly = true };

        var run = TrainingRun.Run(permissive, options);
        Assert.Equal(1, run.Steps);
        Assert.Equal(["CC0", "public domain"], run.Sets.Select(s => s.Licence));
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Run(withPop909, options));
        Assert.Contains("Pop909", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, TrainingRun.Run(withPop909, options with { PermissiveLicencesOnly = false }).Steps);
    }

    [Fact]
    public void TheScheduleWarmsUpLinearlyThenDecaysToTheFloor()
    {
        var options = Options() with { Steps = 100, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRate = 1e-4 };

        Assert.Equal(1e-4, LearningRateSchedule.At(0, options), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(9, options), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(10, options), 12);
        Assert.Equal(1e-4, LearningRateSchedule.At(99, options), 12);
        for (long step = 10; step < 99; step++)
        {
            Assert.True(LearningRateSchedule.At(step + 1, options) < LearningRateSchedule.At(step, options));
        }
    }

    private static TrainingOptions Options() => new()
    {
        Model = Tiny,
        BatchSize = 4,
        Steps = 20,
        WarmupSteps = 4,
        LearningRate = 1e-3,
        MinLearningRate = 1e-4,
        Dropout = 0.1,
        Seed = 1,
        // One thread: on a loaded machine libgomp's spinning second thread makes tiny steps many times slower.
        Threads = 1,
        ValidateEvery = 10,
        CheckpointEvery = 10,
        ReportEvery = 5,
        ValidationStride = 4,
    };

    // Songs of a header (1, style 2 or 3) then an arithmetic run mod 12 shifted into 4 … 15: the next token is
    // predictable from the previous two, and a transposition by k adds k to every run token (mod 12).
    private static TrainingCorpus Corpus(IReadOnlyList<CorpusSet>? sets = null)
    {
        var random = new Random(4);
        int[] Song()
        {
            int step = random.Next(1, 4), start = random.Next(12), length = random.Next(6, 30);
            return [1, 1 + step, .. Enumerable.Range(0, length).Select(i => 4 + ((start + (i * step)) % 12))];
        }

        var train = Enumerable.Range(0, 40).Select(_ => Song()).ToArray();
        var valid = Enumerable.Range(0, 8).Select(_ => Song()).ToArray();
        return new TrainingCorpus(train, valid, Vocab, sets ?? [CorpusSet.JsbChorales], Transpose);
    }

    private static bool Transpose(Span<int> tokens, int semitones)
    {
        int shift = ((semitones % 12) + 12) % 12;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] >= 4)
            {
                tokens[i] = 4 + ((tokens[i] - 4 + shift) % 12);
            }
        }

        return true;
    }
}
