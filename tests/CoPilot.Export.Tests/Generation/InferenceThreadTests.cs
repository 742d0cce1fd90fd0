using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;

namespace CoPilot.Export.Tests.Generation;

/// <summary>The inference thread as the plugin runs it, answering with a shipped-shape decoder.</summary>
public sealed class InferenceThreadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-worker-").FullName;

    [Fact]
    public void Once_warm_the_inference_thread_answers_with_the_model_and_allocates_nothing()
    {
        // Before the key-table warm-up in ModelPhraseGenerator's constructor this found 72 B: the sampler's key
        // masks built on the inference thread the first time the player's key was known.
        string path = Path.Combine(_folder, ModelLoader.ShippedFileName);
        DecoderExporter.Write(RandomWeights.Create(DecoderExportTests.Large, seed: 40), OnnxWeightFormat.Int8, "test", path);
        ModelAnswerTests.WriteOriginalityIndex(_folder);
        using var answerer = new ModelFallbackGenerator(new ContinuatorGenerator());
        Assert.Equal(ModelStatus.Loaded, answerer.Load(path));
        var input = new SpscRing<EngineMessage>(4096);
        var output = new SpscRing<ScheduledNote>(1024);
        var worker = new InferenceWorker(answerer, input, output);
        worker.Start();
        try
        {
            double beat = 0;
            long warm = 0;
            for (int phrase = 0; phrase < 12; phrase++)
            {
                if (phrase == 2)
                {
                    warm = worker.AllocatedBytes;
                }

                beat = Play(input, beat, phrase);
                while (input.Count > 0 || worker.Answers < phrase + 1)
                {
                    Thread.Sleep(1);
                }

                while (output.TryRead(out _))
                {
                }

                Thread.Sleep(20); // the worker counts its bytes after each pass of its loop
            }

            Assert.Equal(ModelStatus.Loaded, answerer.Status);
            Assert.True(answerer.ModelAnswers >= 10, $"{answerer.ModelAnswers} answers from the model, {answerer.RulesAnswers} from the style learner");
            Assert.Equal(warm, worker.AllocatedBytes);
        }
        finally
        {
            Assert.True(worker.Stop(TimeSpan.FromSeconds(5)));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Eight notes of a scale in eighths, then the phrase end; returns the next phrase's start.
    private static double Play(SpscRing<EngineMessage> input, double start, int phrase)
    {
        byte[] pitches = [60, 62, 64, 65, 67, 69, 71, 72];
        for (int i = 0; i < pitches.Length; i++)
        {
            byte pitch = pitches[(i + phrase) % pitches.Length];
            double on = start + (i * 0.5);
            Send(input, new EngineMessage(EngineMessageKind.Note, new NoteEvent(on, 0, -1, NoteEventKind.NoteOn, 0, pitch, 0.7f), 0, 0, 0, 0, 0, 0));
            Send(input, new EngineMessage(EngineMessageKind.Note, new NoteEvent(on + 0.4, 0, -1, NoteEventKind.NoteOff, 0, pitch, 0f), 0, 0, 0, 0, 0, 0));
        }

        double end = start + 4.5;
        Send(input, new EngineMessage(EngineMessageKind.PhraseEnd, default, phrase + 1, end, 8, 0.5f, (ulong)phrase, 0));
        return end + 12;
    }

    private static void Send(SpscRing<EngineMessage> input, in EngineMessage message) => Assert.True(input.TryWrite(message));
}
