using System.Text;
using CoPilot.Export;

namespace CoPilot.Training;

/// <summary>
/// Trained weights on disk: "CPTW", format version, the five config integers, then every tensor of
/// <see cref="TransformerConfig.WeightShapes"/> in order as name, value count and little-endian float32 values.
/// </summary>
public static class TransformerWeightsFile
{
    private const uint Magic = 0x57545043; // "CPTW"
    private const int Version = 1;

    public static void Write(string path, TransformerWeights weights)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        Write(writer, weights);
    }

    public static TransformerWeights Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return Read(reader);
    }

    internal static void Write(BinaryWriter writer, TransformerWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        var c = weights.Config;
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(c.VocabSize);
        writer.Write(c.ContextLength);
        writer.Write(c.Layers);
        writer.Write(c.Dim);
        writer.Write(c.Heads);
        foreach (var (name, _) in c.WeightShapes())
        {
            float[] values = weights.Tensors[name];
            writer.Write(name);
            writer.Write(values.Length);
            foreach (float v in values)
            {
                writer.Write(v);
            }
        }
    }

    internal static TransformerWeights Read(BinaryReader reader)
    {
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException("Not a CoPilot weights file (CPTW version 1).");
        }

        var config = new TransformerConfig(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        config.Validate();
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, _) in config.WeightShapes())
        {
            string stored = reader.ReadString();
            if (stored != name)
            {
                throw new InvalidDataException($"Expected weight '{name}', found '{stored}'.");
            }

            var values = new float[reader.ReadInt32()];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.ReadSingle();
            }

            tensors[name] = values;
        }

        var weights = new TransformerWeights(config, tensors);
        weights.Validate();
        return weights;
    }
}
