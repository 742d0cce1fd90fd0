namespace CoPilot.Evaluation.Metrics;

/// <summary>Figures of a probabilistic sequence model.</summary>
public static class LanguageModelMetrics
{
    /// <summary>exp(NLL per token): the model is as unsure as a uniform choice among this many tokens. NaN for no tokens.</summary>
    public static double Perplexity(double nats, long tokens) => tokens <= 0 ? double.NaN : Math.Exp(nats / tokens);

    /// <summary>Nats to bits (÷ ln 2).</summary>
    public static double Bits(double nats) => nats / Math.Log(2);
}

/// <summary>A count of hits out of a count of cases; pooled over songs by adding (a micro-average).</summary>
public readonly record struct Proportion(long Hits, long Count)
{
    /// <summary>Hits / Count, NaN when there were no cases.</summary>
    public double Value => Count == 0 ? double.NaN : (double)Hits / Count;

    public static Proportion operator +(Proportion a, Proportion b) => new(a.Hits + b.Hits, a.Count + b.Count);
}
