using CoPilot.Inference.Onnx;

namespace CoPilot.Inference.Tests.Onnx;

/// <summary>Bad model files give one catchable exception type with a reason; exported models are tested in CoPilot.Export.Tests.</summary>
public sealed class OnnxDecoderLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("copilot-onnx-load-").FullName;

    [Fact]
    public void A_missing_file_is_reported_as_missing()
    {
        string path = Path.Combine(_folder, "absent.onnx");
        var e = Assert.Throws<OnnxModelException>(() => OnnxDecoder.Load(path));
        Assert.Equal(OnnxModelError.Missing, e.Error);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_reported_as_corrupt()
    {
        string path = Path.Combine(_folder, "notes.onnx");
        File.WriteAllText(path, "MThd this is a MIDI file, not a model");
        var e = Assert.Throws<OnnxModelException>(() => OnnxDecoder.Load(path));
        Assert.Equal(OnnxModelError.Corrupt, e.Error);
    }

    [Fact]
    public void An_empty_file_is_reported_as_corrupt()
    {
        string path = Path.Combine(_folder, "empty.onnx");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<OnnxModelException>(() => OnnxDecoder.Load(path));
        Assert.Equal(OnnxModelError.Corrupt, e.Error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
