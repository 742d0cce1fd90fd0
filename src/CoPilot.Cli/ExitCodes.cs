namespace CoPilot.Cli;

/// <summary>The exit codes of every <c>copilot</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and every input was read.</summary>
    public const int Ok = 0;

    /// <summary>The command ran but something failed: a file could not be read, the data is missing.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown command or option, bad or missing value.</summary>
    public const int Usage = 2;
}
