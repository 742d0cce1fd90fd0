using System.Diagnostics;
using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.TestSupport;
using Xunit.Abstractions;

namespace CoPilot.Export.Tests.Generation;

/// <summary>
/// The plugin's answer path on a real ONNX decoder of the shipped shape (random INT8 weights until the trained
/// model lands): loading, fallback on a broken file, allocation per answer, and the cost of an answer (reported,
/// not bounded: the machine is shared).
/// </summary>
/// <remarks>
/// These live here rather than in CoPilot.Inference.Tests because only this project can write a model
/// (CoPilot.Export references CoPilot.Inference, not the other way round).
/// </remarks>
public sealed class ModelAnswerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] ScaleRun = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77];

    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-answer-").FullName;

    [Fact]
    public void A_shipped_shape_model_answers_eight_bars_with_no_allocation_and_reports_its_cost()
    {
        string path = WriteModel(seed: 30);
        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Loaded, generator.Load(path));
        output.WriteLine(generator.StatusMessage);

        NoteEvent[] phrase = Phrase(bars: 4);
        var answer = new GeneratedNote[128];
        for (int i = 0; i < 3; i++)
        {
            Round(generator, phrase, answer, (ulong)i);
        }

        const int Rounds = 20;
        var answerTicks = new long[Rounds];
        var tokens = new int[Rounds];
        var notes = new int[Rounds];
        ModelPhraseGenerator modelGenerator = generator.Model!;
        long allocated = AllocationCount.During(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                foreach (NoteEvent e in phrase)
                {
                    generator.Observe(e);
                }

                generator.EndPhrase();
                long start = Stopwatch.GetTimestamp();
                notes[i] = generator.Generate(new GenerationRequest(32, answer.Length, 0.5f, 100 + (ulong)i), answer);
                answerTicks[i] = Stopwatch.GetTimestamp() - start;
                tokens[i] = modelGenerator.LastAnswerTokens + modelGenerator.LastCatchUpTokens;
            }
        });

        Assert.True(generator.Status == ModelStatus.Loaded, generator.StatusMessage);
        Assert.Equal(0, generator.RulesAnswers);
        Assert.True(generator.ModelAnswers >= 3 + Rounds);
        Assert.Equal(0, allocated);

        double[] ms = [.. answerTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order()];
        double perToken = answerTicks.Sum() * 1000.0 / Stopwatch.Frequency / tokens.Sum();
        output.WriteLine(
            $"8-bar answers (MaxBeats 32): {notes.Average():F1} notes, {tokens.Average():F0} tokens each (min {tokens.Min()}, max {tokens.Max()}); " +
            $"answer time p50 {ms[Rounds / 2]:F1} ms, max {ms[^1]:F1} ms; {perToken:F3} ms per token (sampling included); {allocated} B allocated in {Rounds} answers");
    }

    [Fact]
    public void Cost_of_a_full_eight_bar_answer()
    {
        // Random weights end answers early (Eos is as likely as any token); a trained model plays on. To time a
        // whole 8-bar answer, the decoder's Eos is masked: every token still costs one full decoder step.
        using OnnxDecoder decoder = OnnxDecoder.Load(WriteModel(seed: 33));
        var model = new ModelPhraseGenerator(new EndlessLogits(new OnnxLogitsSource(decoder)));
        NoteEvent[] phrase = Phrase(bars: 2);
        var answer = new GeneratedNote[128];
        for (int i = 0; i < 3; i++)
        {
            Round(model, phrase, answer, (ulong)i);
        }

        const int Rounds = 10;
        var ms = new double[Rounds];
        int tokens = 0, notes = 0;
        double lastBeat = 0;
        long allocated = AllocationCount.During(() =>
        {
            tokens = notes = 0;
            lastBeat = 0;
            for (int i = 0; i < Rounds; i++)
            {
                foreach (NoteEvent e in phrase)
                {
                    model.Observe(e);
                }

                model.EndPhrase();
                long start = Stopwatch.GetTimestamp();
                int n = model.Generate(new GenerationRequest(32, answer.Length, 0.5f, 200 + (ulong)i), answer);
                ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                tokens += model.LastAnswerTokens + model.LastCatchUpTokens;
                notes += n;
                lastBeat = Math.Max(lastBeat, n > 0 ? answer[n - 1].StartBeat : 0);
            }
        });
        Assert.Equal(0, allocated);
        Array.Sort(ms);
        output.WriteLine(
            $"Full answers (Eos masked, MaxBeats 32, prompt {model.Prompt.Count} tokens): {tokens / (double)Rounds:F0} tokens and {notes / (double)Rounds:F1} notes each, last onset up to beat {lastBeat:F2}; " +
            $"p50 {ms[Rounds / 2]:F1} ms, max {ms[^1]:F1} ms; {ms.Sum() / tokens:F3} ms per token; {allocated} B allocated");
        Assert.True(tokens / Rounds > 80, "the answers ran long");
    }

    [Fact]
    public void A_truncated_model_file_is_corrupt_and_the_style_learner_answers()
    {
        string path = WriteModel(seed: 31);
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_folder, "truncated.onnx");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Corrupt, generator.Load(truncated));
        output.WriteLine(generator.StatusMessage);

        var answer = new GeneratedNote[64];
        Assert.True(Round(generator, Phrase(bars: 2), answer, 1) > 0);
        Assert.Equal(1, generator.RulesAnswers);
    }

    [Fact]
    public void A_model_without_its_originality_index_is_not_used_and_the_style_learner_answers()
    {
        string path = WriteModel(seed: 36);
        File.Delete(Path.Combine(_folder, ModelLoader.OriginalityFileName));

        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Missing, generator.Load(path));
        Assert.Contains(ModelLoader.OriginalityFileName, generator.StatusMessage, StringComparison.Ordinal);
        Assert.Null(generator.Model);

        var answer = new GeneratedNote[64];
        Assert.True(Round(generator, Phrase(bars: 2), answer, 1) > 0);
        Assert.Equal(1, generator.RulesAnswers);
    }

    [Fact]
    public void The_accompanist_needs_no_originality_index_and_loads_the_model_without_one()
    {
        // Chords quote no melody, so the plugin's second session does not read (or need) the index.
        string path = WriteModel(seed: 38);
        File.Delete(Path.Combine(_folder, ModelLoader.OriginalityFileName));

        var accompanist = new FallbackAccompanist(new RuleAccompanist());
        Assert.Equal(ModelStatus.Loaded, accompanist.Load(path));
        Assert.NotNull(accompanist.Model);
        accompanist.Unload();
        Assert.Null(accompanist.Model);
        Assert.Equal(ModelStatus.NotLoaded, accompanist.Status);
    }

    [Fact]
    public void A_corrupt_originality_index_makes_the_model_count_as_corrupt()
    {
        string path = WriteModel(seed: 37);
        File.WriteAllBytes(Path.Combine(_folder, ModelLoader.OriginalityFileName), [1, 2, 3, 4, 5]);

        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Corrupt, generator.Load(path));
        Assert.Contains(ModelLoader.OriginalityFileName, generator.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_of_another_format_is_incompatible()
    {
        string path = Path.Combine(_folder, "small-vocab.onnx");
        var config = new TransformerConfig(VocabSize: 64, ContextLength: 128, Layers: 1, Dim: 32, Heads: 4);
        DecoderExporter.Write(RandomWeights.Create(config, seed: 32), OnnxWeightFormat.Int8, "test", path);

        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Incompatible, generator.Load(path));
        output.WriteLine(generator.StatusMessage);
    }

    [Fact]
    public void A_model_of_another_token_layout_is_incompatible_when_the_plugin_asks_for_its_own()
    {
        string path = WriteModel(seed: 34); // carries the fingerprint "test"

        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Incompatible, generator.Load(path, expectedVocabularyHash: Vocabulary.Fingerprint));
        Assert.Contains(Vocabulary.Fingerprint, generator.StatusMessage, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A decoder whose Eos logit is minus infinity. Allocation-free.</summary>
    private sealed class EndlessLogits(ILogitsSource inner) : ILogitsSource
    {
        private readonly float[] _logits = new float[inner.VocabSize];

        public int VocabSize => inner.VocabSize;

        public int ContextLength => inner.ContextLength;

        public int Position => inner.Position;

        public void Reset() => inner.Reset();


        public void Rewind(int position) => inner.Rewind(position);

        public ReadOnlySpan<float> Hidden => inner.Hidden;

        public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens) => Mask(inner.Prefill(tokens));

        public ReadOnlySpan<float> Step(int token) => Mask(inner.Step(token));

        private float[] Mask(ReadOnlySpan<float> logits)
        {
            logits[^_logits.Length..].CopyTo(_logits);
            _logits[Vocabulary.Eos] = float.NegativeInfinity;
            return _logits;
        }
    }

    private static int Round(IPhraseGenerator generator, NoteEvent[] phrase, GeneratedNote[] answer, ulong seed)
    {
        foreach (NoteEvent e in phrase)
        {
            generator.Observe(e);
        }

        generator.EndPhrase();
        return generator.Generate(new GenerationRequest(32, answer.Length, 0.5f, seed), answer);
    }

    // A C major melody in eighths and quarters, `bars` bars of 4/4.
    private static NoteEvent[] Phrase(int bars)
    {
        byte[] pitches = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62];
        var events = new List<NoteEvent>();
        double beat = 0;
        for (int i = 0; beat < bars * 4; i++)
        {
            double length = i % 3 == 2 ? 1 : 0.5;
            byte pitch = pitches[i % pitches.Length];
            events.Add(new NoteEvent(beat, 0, -1, NoteEventKind.NoteOn, 0, pitch, 0.7f));
            events.Add(new NoteEvent(beat + length, 0, -1, NoteEventKind.NoteOff, 0, pitch, 0f));
            beat += length;
        }

        return [.. events];
    }

    private string WriteModel(int seed)
    {
        string path = Path.Combine(_folder, $"model-{seed}.onnx");
        DecoderExporter.Write(RandomWeights.Create(DecoderExportTests.Large, seed), OnnxWeightFormat.Int8, "test", path);
        WriteOriginalityIndex(_folder);
        return path;
    }

    /// <summary>An originality index of one scale run, where the loader looks for it: beside the model.</summary>
    internal static void WriteOriginalityIndex(string folder) =>
        OriginalityIndex.Build([ScaleRun]).Save(Path.Combine(folder, ModelLoader.OriginalityFileName));
}
