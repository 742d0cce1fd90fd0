using System.Text;
using CoPilot.Export;
using CoPilot.Inference.Onnx;

namespace CoPilot.Training;

/// <summary>
/// Trained weights on disk: "CPTW", format version, the five config integers and (version 2) the position
/// encoding, then every tensor of <see cref="TransformerConfig.WeightShapes"/> in order as name, value count and
/// little-endian float32 values. Version 1 files, written before rotary positions, are read as learned positions.
/// </summary>
public static class TransformerWeightsFile
{
    private const uint Magic = 0x57545043; // "CPTW"
    private const int Version = 2;

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
        writer.Write((int)c.Positions);
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
        int version = reader.ReadUInt32() == Magic ? reader.ReadInt32() : -1;
        if (version is not (1 or Version))
        {
            throw new InvalidDataException($"Not a CoPilot weights file (CPTW version 1 or {Version}).");
        }

        var config = new TransformerConfig(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        if (version >= 2)
        {
            config = config with { Positions = (PositionEncoding)reader.ReadInt32() };
        }

        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

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
