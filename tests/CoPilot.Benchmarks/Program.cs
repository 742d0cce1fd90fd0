using BenchmarkDotNet.Running;

namespace CoPilot.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/CoPilot.Benchmarks -- --filter '*'
/// (add --job short for a quicker, less precise run).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
