using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;

namespace CoPilot.Cli.Generation;

/// <summary>
/// The shipped model and its originality index: where they are by default, and loading them so that a missing
/// or broken file becomes a reason to fall back instead of an error.
/// </summary>
public static class ModelFiles
{
    public const string ModelFileName = ModelLoader.ShippedFileName;

    /// <summary>
    /// The model path: <paramref name="option"/> when given; else models/copilot-int8.onnx in the repository
    /// (the folder holding CoPilot.sln above the current directory) when it is there; else the one in a models
    /// folder beside the executable when that is there; else the repository's path (or the executable's outside a
    /// repository), so that the fallback notice names where the model was looked for.
    /// </summary>
    public static string ResolveModelPath(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Path.GetFullPath(option);
        }

        string beside = Path.Combine(AppContext.BaseDirectory, "models", ModelFileName);
        string? root = DataLocation.RepositoryRoot(Directory.GetCurrentDirectory());
        string? inRepository = root is null ? null : Path.Combine(root, "models", ModelFileName);
        if (inRepository is not null && File.Exists(inRepository))
        {
            return inRepository;
        }

        return File.Exists(beside) ? beside : inRepository ?? beside;
    }

    /// <summary>
    /// Loads the decoder at <paramref name="path"/>; null with the reason ("missing (…)", "corrupt (…)") when it is missing, corrupt or not a
    /// model this build can drive. Never throws for a bad file: ONNX Runtime failing to start counts as a reason too.
    /// </summary>
    public static OnnxDecoder? TryLoadDecoder(string path, out string? reason)
    {
        reason = null;
        try
        {
            OnnxDecoder decoder = OnnxDecoder.Load(path);
            if (decoder.VocabSize < Vocabulary.Size)
            {
                reason = $"incompatible (its vocabulary has {decoder.VocabSize} tokens, the tokenizer {Vocabulary.Size})";
                decoder.Dispose();
                return null;
            }

            return decoder;
        }
        catch (OnnxModelException e)
        {
            reason = $"{Describe(e.Error)} ({e.Message})";
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            // The native runtime is absent or does not match this machine: no model can run, the learner can.
            reason = $"unusable (ONNX Runtime cannot start: {e.Message})";
        }

        return null;
    }

    private static string Describe(OnnxModelError error) => error switch
    {
        OnnxModelError.Missing => "missing",
        OnnxModelError.Corrupt => "corrupt",
        _ => "incompatible",
    };
}
