using System.CommandLine;
using CoPilot.Cli.Commands;
using Spectre.Console;

namespace CoPilot.Cli;

/// <summary>The <c>copilot</c> command tree. Exit codes: <see cref="ExitCodes"/>.</summary>
public static class CopilotApp
{
    public static RootCommand Create(IAnsiConsole console, string[] args)
    {
        var root = new RootCommand("CoPilot: a MIDI co-pilot. Tools for MIDI files and evaluations on ../shared/data.")
        {
            KeyCommand.Create(console),
            ChordsCommand.Create(console),
            StatsCommand.Create(console),
            EvalCommand.Create(console, args),
            TrainCommand.Create(console),
            ContinueCommand.Create(console),
            HarmonizeCommand.Create(console),
            AccompanyCommand.Create(console),
            BenchCommand.Create(console),
        };
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>. Help goes to <paramref name="output"/>, parse errors to <paramref name="error"/>.</summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ParseResult parse = Create(console, args).Parse(args);
        var configuration = new InvocationConfiguration();
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        int code = parse.Invoke(configuration);
        // System.CommandLine reports parse errors with 1; usage errors are 2 here so scripts can tell them from failures.
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }
}
