using CoPilot.Cli;
using Spectre.Console;

return CopilotApp.Run(args, AnsiConsole.Console);
