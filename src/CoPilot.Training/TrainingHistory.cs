namespace CoPilot.Training;

/// <summary>One point of a loss curve: mean loss in nats per token after <paramref name="Tokens"/> training tokens.</summary>
public readonly record struct LossPoint(long Step, long Tokens, double Loss);

/// <summary>The loss curves of a run: train loss averaged over each report interval, and validation NLL.</summary>
public sealed class TrainingHistory
{
    public List<LossPoint> Train { get; } = [];

    public List<LossPoint> Valid { get; } = [];

    /// <summary>The lowest validation NLL so far, or null before the first validation.</summary>
    public LossPoint? BestValid => Valid.Count == 0 ? null : Valid.MinBy(p => p.Loss);

    internal void Write(BinaryWriter writer)
    {
        WritePoints(writer, Train);
        WritePoints(writer, Valid);
    }

    internal void Read(BinaryReader reader)
    {
        ReadPoints(reader, Train);
        ReadPoints(reader, Valid);
    }

    private static void WritePoints(BinaryWriter writer, List<LossPoint> points)
    {
        writer.Write(points.Count);
        foreach (var p in points)
        {
            writer.Write(p.Step);
            writer.Write(p.Tokens);
            writer.Write(p.Loss);
        }
    }

    private static void ReadPoints(BinaryReader reader, List<LossPoint> points)
    {
        points.Clear();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            points.Add(new LossPoint(reader.ReadInt64(), reader.ReadInt64(), reader.ReadDouble()));
        }
    }
}
