using System.Globalization;
using System.Text;
using CoPilot.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoPilot.Training;

/// <summary>
/// Everything a run needs to continue as if never stopped: weights, AdamW moments, step, tokens seen,
/// the sampler's and the dropout generator's states, the loss history and the partial report interval.
/// </summary>
/// <remarks>
/// One file per checkpoint, "checkpoint-SSSSSSSS.bin" (step, zero-padded): "CPCK", version, then
/// <see cref="TransformerWeightsFile"/>'s layout for the weights, then the state, then TorchSharp's
/// optimizer state dictionary. Written to a temporary name and renamed, so a crash mid-write never leaves
/// a truncated latest checkpoint.
/// </remarks>
internal static class TrainingCheckpoint
{
    private const uint Magic = 0x4B435043; // "CPCK"
    private const int Version = 1;
    private const string Prefix = "checkpoint-";
    private const string Extension = ".bin";

    public static string Write(string directory, TrainingState state, CoPilotTransformer model, OptimizerHelper optimizer, int keep)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"{Prefix}{state.Step.ToString("D8", CultureInfo.InvariantCulture)}{Extension}");
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(Version);
            TransformerWeightsFile.Write(writer, model.ToWeights());
            writer.Write(state.Step);
            writer.Write(state.Tokens);
            writer.Write(state.SamplerState);
            writer.Write(state.IntervalLossSum);
            writer.Write(state.IntervalSteps);
            using var rng = model.DropoutGenerator.get_state();
            byte[] rngBytes = rng.bytes.ToArray();
            writer.Write(rngBytes.Length);
            writer.Write(rngBytes);
            state.History.Write(writer);
            optimizer.save_state_dict(writer);
        }

        File.Move(temp, path, overwrite: true);
        foreach (string old in List(directory).SkipLast(keep))
        {
            File.Delete(old);
        }

        return path;
    }

    /// <summary>The checkpoint with the highest step in <paramref name="directory"/>, or null.</summary>
    public static string? Latest(string directory) => Directory.Exists(directory) ? List(directory).LastOrDefault() : null;

    /// <summary>Loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>, and returns the run state.</summary>
    public static TrainingState Read(string path, CoPilotTransformer model, OptimizerHelper optimizer)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException($"{path} is not a CoPilot training checkpoint (CPCK version 1).");
        }

        TransformerWeights weights = TransformerWeightsFile.Read(reader);
        if (weights.Config != model.Config)
        {
            throw new InvalidDataException($"{path} holds a {weights.Config} model; this run trains {model.Config}.");
        }

        model.LoadWeights(weights);
        var state = new TrainingState
        {
            Step = reader.ReadInt64(),
            Tokens = reader.ReadInt64(),
            SamplerState = reader.ReadUInt64(),
            IntervalLossSum = reader.ReadDouble(),
            IntervalSteps = reader.ReadInt64(),
        };
        byte[] rngBytes = reader.ReadBytes(reader.ReadInt32());
        using (var rng = model.DropoutGenerator.get_state())
        {
            rng.bytes = rngBytes;
            model.DropoutGenerator.set_state(rng);
        }

        state.History.Read(reader);
        optimizer.load_state_dict(reader);
        return state;
    }

    private static IEnumerable<string> List(string directory)
        => Directory.GetFiles(directory, Prefix + "*" + Extension)
            .Where(p => long.TryParse(Path.GetFileNameWithoutExtension(p).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Order(StringComparer.Ordinal);
}

/// <summary>The mutable state of a run between steps (what a checkpoint stores besides the tensors).</summary>
internal sealed class TrainingState
{
    public long Step { get; set; }

    public long Tokens { get; set; }

    public ulong SamplerState { get; set; }

    public double IntervalLossSum { get; set; }

    public long IntervalSteps { get; set; }

    public TrainingHistory History { get; } = new();
}
