using CoPilot.Inference.Generation;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tests.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Tests.Generation;

public sealed class ModelFallbackGeneratorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-model-").FullName;

    [Fact]
    public void Without_a_model_file_the_style_learner_answers_and_the_status_says_missing()
    {
        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Missing, generator.Load(Path.Combine(_folder, "absent.onnx")));
        Assert.Equal(ModelStatus.Missing, generator.Status);
        Assert.Equal(ModelStatus.Missing, generator.Load(null));

        Assert.True(AnswerAfterPhrase(generator) > 0);
        Assert.Equal(1, generator.RulesAnswers);
        Assert.Equal(0, generator.ModelAnswers);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("text")]
    [InlineData("empty")]
    public void A_corrupt_model_file_never_crashes_and_the_style_learner_answers(string kind)
    {
        string path = Path.Combine(_folder, kind + ".onnx");
        byte[] bytes = kind switch
        {
            "random" => RandomBytes(200_000, seed: 4),
            "text" => "this is not an ONNX model\n"u8.ToArray(),
            _ => [],
        };
        File.WriteAllBytes(path, bytes);

        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        ModelStatus status = generator.Load(path);

        Assert.Equal(ModelStatus.Corrupt, status);
        Assert.Contains(path, generator.StatusMessage, StringComparison.Ordinal);
        Assert.True(AnswerAfterPhrase(generator) > 0);
    }

    [Fact]
    public void A_model_that_fails_while_playing_hands_over_to_the_style_learner_for_good()
    {
        var failing = new FailingLogits(new RandomLogits(3, contextLength: 256), failAfter: 30);
        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        generator.Use(new ModelPhraseGenerator(failing));
        Assert.Equal(ModelStatus.Loaded, generator.Status);

        int first = AnswerAfterPhrase(generator);
        int second = AnswerAfterPhrase(generator);

        Assert.True(first > 0 && second > 0);
        Assert.Equal(ModelStatus.Failed, generator.Status);
        Assert.Contains(nameof(InvalidOperationException), generator.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(2, generator.RulesAnswers);
        Assert.Equal(0, generator.ModelAnswers);
        int steps = failing.Steps;
        AnswerAfterPhrase(generator);
        Assert.Equal(steps, failing.Steps); // the failed model is not asked again
    }

    [Fact]
    public void A_silent_model_leaves_the_answer_to_the_style_learner()
    {
        // Every sequence the model continues ends at once: Eos is all it ever wants.
        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        generator.Use(new ModelPhraseGenerator(new MemorisingLogits([])));

        Assert.True(AnswerAfterPhrase(generator) > 0);
        Assert.Equal(ModelStatus.Loaded, generator.Status);
        Assert.Equal(1, generator.RulesAnswers);
    }

    [Fact]
    public void A_working_model_answers_and_unloading_returns_to_the_style_learner()
    {
        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        generator.Use(new ModelPhraseGenerator(new RandomLogits(8, contextLength: 256)));

        Assert.True(AnswerAfterPhrase(generator) > 0);
        Assert.Equal(1, generator.ModelAnswers);

        generator.Unload();
        Assert.Equal(ModelStatus.NotLoaded, generator.Status);
        Assert.True(AnswerAfterPhrase(generator) > 0);
        Assert.Equal(1, generator.RulesAnswers);
    }

    [Fact]
    public void A_model_given_after_the_host_set_its_metre_counts_bars_in_it()
    {
        using var generator = new ModelFallbackGenerator(new ContinuatorGenerator());
        generator.SetMetre(3, 4);
        var model = new ModelPhraseGenerator(new RandomLogits(8, contextLength: 256));
        Assert.Equal(Metre.FourFour, model.Prompt.Metre);

        generator.Use(model);
        Assert.Equal(new Metre(3, 4), model.Prompt.Metre);

        generator.SetMetre(6, 8);
        Assert.Equal(new Metre(6, 8), model.Prompt.Metre);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int AnswerAfterPhrase(IPhraseGenerator generator)
    {
        PhrasePlayer.Play(generator, ModelPhraseGeneratorTests.Phrase);
        var answer = new GeneratedNote[32];
        return generator.Generate(new GenerationRequest(8, answer.Length, 0.5f, 1), answer);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class FailingLogits(ILogitsSource inner, int failAfter) : ILogitsSource
    {
        public int Steps { get; private set; }

        public int VocabSize => Vocabulary.Size;

        public int ContextLength => inner.ContextLength;

        public int Position => inner.Position;

        public void Reset() => inner.Reset();


        public void Rewind(int position) => inner.Rewind(position);

        public ReadOnlySpan<float> Hidden => inner.Hidden;

        public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens) => inner.Prefill(tokens);

        public ReadOnlySpan<float> Step(int token) =>
            ++Steps > failAfter ? throw new InvalidOperationException("the session broke") : inner.Step(token);
    }
}
