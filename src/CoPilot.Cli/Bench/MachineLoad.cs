using System.Globalization;

namespace CoPilot.Cli.Bench;

/// <summary>
/// The machine a benchmark ran on: logical cores and the 1/5/15-minute load averages (Linux /proc/loadavg),
/// so that a figure measured on a busy machine is read as such.
/// </summary>
public sealed record MachineLoad(int Cores, double[]? LoadAverages)
{
    public static MachineLoad Now()
    {
        double[]? averages = null;
        try
        {
            if (File.Exists("/proc/loadavg"))
            {
                string[] fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 3)
                {
                    averages = [.. fields.Take(3).Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
                }
            }
        }
        catch (IOException)
        {
            // Without /proc the load is simply not reported.
        }
        catch (FormatException)
        {
        }

        return new MachineLoad(Environment.ProcessorCount, averages);
    }

    /// <summary>"1.20/0.80/0.50": the 1, 5 and 15-minute load averages.</summary>
    public string Averages => LoadAverages is null
        ? "unknown"
        : string.Join('/', LoadAverages.Select(a => a.ToString("F2", CultureInfo.InvariantCulture)));

    /// <summary>"Machine: 2 cores, load average (1/5/15 min) 1.20/0.80/0.50 before, 1.30/0.90/0.50 after."</summary>
    public static string Describe(MachineLoad before, MachineLoad after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return $"Machine: {before.Cores.ToString(CultureInfo.InvariantCulture)} cores, load average (1/5/15 min) {before.Averages} before, {after.Averages} after.";
    }
}
