using System.Globalization;
using System.Text;
using CoPilot.Evaluation.Metrics;

namespace CoPilot.Evaluation.Harness;

/// <summary>How the evaluation reports write numbers, so the baseline and model tables read alike.</summary>
internal static class ReportText
{
    /// <summary>A fixed-point number; a dash for a missing or undefined value.</summary>
    public static string F(double? value, int decimals) =>
        value is not double v || double.IsNaN(v) ? "–" : v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A proportion in percent with one decimal; a dash when nothing was counted.</summary>
    public static string P(Proportion p) => p.Count == 0 ? "–" : (100 * p.Value).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');

    /// <summary>The probe's cells from songs to copies, shared by both tables' continuation rows.</summary>
    public static string ProbeCells(ProbeResult p) =>
        $"{p.Songs} | {p.GeneratedNotes:N0} ({p.ReferenceNotes:N0}) | {P(p.InKey)} ({P(p.ReferenceInKey)}) | {P(p.InChord)} ({P(p.ReferenceInChord)}) | {F(p.PitchClassDistance, 3)} | {F(p.OnsetIntervalDistance, 3)} | {p.LongestCopy} | {F(p.MeanLongestCopy, 1)} ({F(p.ReferenceLongestCopy, 1)}) | {p.CopiesOverEight} |";
}
