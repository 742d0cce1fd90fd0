using CoPilot.Core;
using CoPilot.Inference;
using CoPilot.Inference.Generation;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

public sealed unsafe class ModelStatusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-plugin-model-").FullName;

    [Fact]
    public void Without_a_bundle_the_model_display_says_missing_and_the_style_learner_answers()
    {
        using var p = new PluginUnderTest();
        p.StartProcessing();
        Assert.Equal(Result.kResultOk, p.ProcessPlaying(512));

        Assert.Equal(ModelStatus.Missing, p.ProcessorObject.Answerer!.Status);
        HostParamQueue? queue = p.OutputChanges.Find(Parameters.Model);
        Assert.NotNull(queue);
        Assert.Equal("Model missing: rules", p.ParamString(Parameters.Model, queue[^1].Value));

        // Shown once: the next block sends nothing new.
        Assert.Equal(Result.kResultOk, p.ProcessPlaying(512));
        Assert.Null(p.OutputChanges.Find(Parameters.Model));
    }

    [Theory]
    [InlineData(0.0, "Rules only")]
    [InlineData(1 / 6.0, "Model: loaded")]
    [InlineData(3 / 6.0, "Model corrupt: rules")]
    [InlineData(5 / 6.0, "No ONNX Runtime: rules")]
    [InlineData(1.0, "Model failed: rules")]
    public void The_model_display_names_each_status(double normalized, string text)
    {
        using var p = new PluginUnderTest();
        Assert.Equal(text, p.ParamString(Parameters.Model, normalized));
        Assert.Equal(Result.kResultOk, p.GetParameterInfo((int)Parameters.Model, out ParameterInfo info));
        Assert.NotEqual(0, info.flags & ParameterInfo.kIsReadOnly);
        Assert.Equal(Parameters.ModelItems.Length, Enum.GetValues<ModelStatus>().Length);
    }

    [Fact]
    public void A_corrupt_model_file_is_loaded_at_initialize_reported_and_freed_at_terminate_without_crashing()
    {
        string path = Path.Combine(_folder, "copilot-int8.onnx");
        var bytes = new byte[100_000];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        int asked = 0;
        var answerer = new ModelFallbackGenerator(new ContinuatorGenerator());
        var processor = new Processor(answerer, () =>
        {
            asked++;
            return path;
        });
        nint component = processor.GetInterfacePointer(Iids.IComponent);
        var host = new HostApplication();
        try
        {
            Assert.Equal(ModelStatus.NotLoaded, answerer.Status);
            Assert.Equal(Result.kResultOk, Call(component, 3, host.Ptr)); // initialize
            Assert.Equal(1, asked);
            Assert.Equal(ModelStatus.Corrupt, answerer.Status);
            Assert.Equal(ModelStatus.Corrupt, processor.Accompanist.Status); // Accompany's own session, refused alike
            Assert.True(processor.Worker.IsRunning);
            Assert.Equal(Result.kResultOk, Call(component, 4, 0)); // terminate
            Assert.Equal(ModelStatus.NotLoaded, answerer.Status);
            Assert.Equal(ModelStatus.NotLoaded, processor.Accompanist.Status);
        }
        finally
        {
            PluginUnderTest.Release(component);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int Call(nint obj, int slot, nint arg) => ((delegate* unmanaged<nint, nint, int>)(*(void***)obj)[slot])(obj, arg);
}
