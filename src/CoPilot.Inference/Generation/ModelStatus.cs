using System.Diagnostics;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Inference.Generation;

/// <summary>Whether answers come from the model or, and why, from the live style learner.</summary>
/// <remarks>The order is the order of the plugin's "Model" display items: never reorder, only append.</remarks>
public enum ModelStatus
{
    /// <summary>No model was asked for: the style learner answers.</summary>
    NotLoaded,
    Loaded,
    Missing,
    Corrupt,

    /// <summary>A valid ONNX file, but not a decoder this build can drive (format, vocabulary, shape).</summary>
    Incompatible,

    /// <summary>The ONNX Runtime library is not beside the plugin (or cannot be loaded).</summary>
    RuntimeMissing,

    /// <summary>The model loaded but failed while answering; the style learner took over.</summary>
    Failed,
}

/// <summary>What <see cref="ModelLoader.Load"/> found.</summary>
/// <param name="Decoder">The loaded decoder (the caller owns and disposes it), null unless <see cref="Status"/> is Loaded.</param>
/// <param name="Originality">The originality index shipped beside the model; never null when <see cref="Status"/> is Loaded and the index was asked for.</param>
public sealed record ModelLoadResult(OnnxDecoder? Decoder, ModelStatus Status, string Message, double Milliseconds, OriginalityIndex? Originality = null);

/// <summary>
/// Opens the shipped decoder and sorts every way that can go wrong into a <see cref="ModelStatus"/>, so the
/// plugin and the CLI fall back to the style learner instead of failing.
/// </summary>
/// <remarks>
/// Allocates (ONNX Runtime builds its session): call it on the UI or a loader thread at initialize, never on the
/// audio thread, and never while the transport plays if it can be avoided.
/// </remarks>
public static class ModelLoader
{
    /// <summary>The model file's name in the bundle's Contents/Resources and in the repository's models/.</summary>
    public const string ShippedFileName = "copilot-int8.onnx";

    /// <summary>The originality index's name beside the model: every 9-note run of the training melodies.</summary>
    public const string OriginalityFileName = "originality.bin";

    /// <summary>
    /// Shortest context worth running: a header, a few bars of the player and an answer of a few bars. A model
    /// with less would answer from almost nothing.
    /// </summary>
    public const int MinimumContextLength = 64;

    /// <summary>
    /// Loads <paramref name="path"/> and the originality index beside it; never throws for a bad or absent file or
    /// a missing runtime. A model without its index is not used: the sampler's guard is what keeps the model from
    /// quoting its training songs, so a bundle that lost the index falls back to the style learner (Missing or
    /// Corrupt, with the index named in the message). A caller that writes no melodies (the chord accompanist)
    /// passes <paramref name="withOriginality"/> false and skips reading it.
    /// </summary>
    public static ModelLoadResult Load(string? path, string? expectedVocabularyHash = null, bool withOriginality = true)
    {
        long start = Stopwatch.GetTimestamp();
        if (string.IsNullOrEmpty(path))
        {
            return new ModelLoadResult(null, ModelStatus.Missing, "No model path (the plugin bundle could not be located).", 0);
        }

        OnnxDecoder decoder;
        try
        {
            decoder = OnnxDecoder.Load(path, expectedVocabularyHash);
        }
        catch (OnnxModelException e)
        {
            ModelStatus status = e.Error switch
            {
                OnnxModelError.Missing => ModelStatus.Missing,
                OnnxModelError.Incompatible => ModelStatus.Incompatible,
                _ => ModelStatus.Corrupt,
            };
            return new ModelLoadResult(null, status, e.Message, Elapsed(start));
        }
        catch (Exception e) when (IsRuntimeMissing(e))
        {
            return new ModelLoadResult(null, ModelStatus.RuntimeMissing, $"ONNX Runtime cannot be loaded: {e.Message}", Elapsed(start));
        }
#pragma warning disable CA1031 // Whatever else a bad file provokes inside the runtime, the host must keep running.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new ModelLoadResult(null, ModelStatus.Corrupt, $"{path}: {e.GetType().Name}: {e.Message}", Elapsed(start));
        }

        if (decoder.VocabSize < Vocabulary.Size || decoder.ContextLength < MinimumContextLength)
        {
            string message = $"{path}: vocabulary {decoder.VocabSize} (need {Vocabulary.Size}), context {decoder.ContextLength} (need {MinimumContextLength}).";
            decoder.Dispose();
            return new ModelLoadResult(null, ModelStatus.Incompatible, message, Elapsed(start));
        }

        if (!withOriginality)
        {
            return new ModelLoadResult(decoder, ModelStatus.Loaded, $"{path}: {decoder.Info}", Elapsed(start));
        }

        OriginalityIndex? originality = TryLoadOriginality(path, out ModelStatus problem, out string? reason);
        if (originality is null)
        {
            decoder.Dispose();
            return new ModelLoadResult(null, problem, $"{reason}: without it the model could quote its training songs.", Elapsed(start));
        }

        return new ModelLoadResult(decoder, ModelStatus.Loaded, $"{path}: {decoder.Info}; originality index of {originality.Count:N0} runs", Elapsed(start), originality);
    }

    /// <summary>
    /// The originality index beside <paramref name="modelPath"/>; null when it is absent (<paramref name="problem"/>
    /// Missing) or unreadable (Corrupt), with <paramref name="reason"/> naming the file.
    /// </summary>
    public static OriginalityIndex? TryLoadOriginality(string modelPath, out ModelStatus problem, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", OriginalityFileName);
        problem = ModelStatus.Loaded;
        reason = null;
        if (!File.Exists(path))
        {
            problem = ModelStatus.Missing;
            reason = $"No originality index at {path}";
            return null;
        }

        try
        {
            return OriginalityIndex.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problem = ModelStatus.Corrupt;
            reason = $"Originality index {path} unusable ({e.Message})";
            return null;
        }
    }

    private static bool IsRuntimeMissing(Exception e) => e switch
    {
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => true,
        TypeInitializationException { InnerException: { } inner } => IsRuntimeMissing(inner),
        _ => false,
    };

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
