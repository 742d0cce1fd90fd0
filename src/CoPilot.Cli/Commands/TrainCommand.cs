using System.CommandLine;
using System.Diagnostics;
using CoPilot.Cli.Analysis;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary><c>copilot train chords</c>: regenerates models/chord-transitions/*.tsv from the train splits.</summary>
public static class TrainCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var train = new Command("train", "Learn CoPilot's models from the train splits of ../shared/data: chord statistics, and the transformer with its export.");
        var data = DataLocation.CreateOption();
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = $"Where the files go. Default: {ChordTransitionTrainer.ModelFolder} in the repository.",
        };
        var chords = new Command("chords", "Key-relative chord transition statistics (pop: POP909, rock: Billboard, jazz: jazz progressions), train splits only; byte-identical on rerun.") { data, output };
        chords.SetAction(parse =>
        {
            string? directory = DataLocation.ResolveOrReport(parse, data, console);
            if (directory is null)
            {
                return ExitCodes.Failure;
            }

            string outDirectory = parse.GetValue(output)?.FullName
                ?? Path.Combine(DataLocation.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory(), ChordTransitionTrainer.ModelFolder);
            return RunChords(console, directory, outDirectory);
        });
        train.Subcommands.Add(chords);
        train.Subcommands.Add(TrainModelCommand.CreateModel(console));
        train.Subcommands.Add(TrainModelCommand.CreateExport(console));
        return train;
    }

    public static int RunChords(IAnsiConsole console, string dataDirectory, string outDirectory)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outDirectory);
        var failures = new List<LoadFailure>();
        var table = new Table().AddColumns("style", "train songs", "chords", "trigrams kept", "file", "bytes");
        foreach ((ChordStyle _, string name, CorpusSet set) in ChordTransitionTrainer.Styles)
        {
            List<ProgressionSong> songs = ChordTransitionTrainer.LoadCorpus(dataDirectory, set, failures);
            ChordTransitions transitions = ChordTransitionTrainer.Train(songs, name);
            byte[] bytes = ChordTransitionTrainer.FileBytes(transitions);
            string path = Path.Combine(outDirectory, name + ".tsv");
            File.WriteAllBytes(path, bytes);
            ChordTransitions shipped = ChordTransitionTrainer.Shipped(transitions);
            table.AddRow(name, transitions.Sequences.ToString(System.Globalization.CultureInfo.InvariantCulture), transitions.ChordCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{shipped.TrigramCount} of {transitions.TrigramCount}", Markup.Escape(path), bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        foreach (LoadFailure failure in failures)
        {
            console.MarkupLineInterpolated($"[yellow]skipped:[/] {failure.ToString()}");
        }

        console.MarkupLineInterpolated($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
        return ExitCodes.Ok;
    }
}
