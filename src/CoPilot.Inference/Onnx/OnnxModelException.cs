namespace CoPilot.Inference.Onnx;

/// <summary>Why a model file could not be used.</summary>
public enum OnnxModelError
{
    /// <summary>No file at the path (or it cannot be read).</summary>
    Missing,

    /// <summary>ONNX Runtime could not parse or initialise the file: truncated, not ONNX, unsupported ops.</summary>
    Corrupt,

    /// <summary>A valid ONNX model, but not one this decoder can run: metadata, format version, vocabulary or tensors differ.</summary>
    Incompatible,
}

/// <summary>
/// The one exception <see cref="OnnxDecoder.Load(string, string?)"/> throws for a bad model file, so a caller
/// (the plugin's loader, the CLI) catches a single type, reports <see cref="Error"/> and keeps running
/// without the model.
/// </summary>
public sealed class OnnxModelException : Exception
{
    public OnnxModelException()
    {
    }

    public OnnxModelException(string message)
        : base(message)
    {
    }

    public OnnxModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxModelException(OnnxModelError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public OnnxModelError Error { get; } = OnnxModelError.Corrupt;
}
