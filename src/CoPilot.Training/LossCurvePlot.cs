using ScottPlot;

namespace CoPilot.Training;

/// <summary>Train and validation loss against training tokens, as a PNG.</summary>
public static class LossCurvePlot
{
    public static void Save(TrainingHistory history, string path, int width = 900, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(history);
        var plot = new Plot();
        Add(plot, history.Train, "train (mean over report interval)", markers: false);
        Add(plot, history.Valid, "valid NLL", markers: true);
        plot.Title("CoPilot transformer");
        plot.XLabel("training tokens");
        plot.YLabel("nats per token");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }

    private static void Add(Plot plot, List<LossPoint> points, string label, bool markers)
    {
        if (points.Count == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(points.Select(p => (double)p.Tokens).ToArray(), points.Select(p => p.Loss).ToArray());
        line.LegendText = label;
        line.MarkerSize = markers ? 6 : 0;
    }
}
