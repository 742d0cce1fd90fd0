using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CoPilot.Cli.Generation;
using CoPilot.Data;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using Microsoft.ML.OnnxRuntime;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary>
/// <c>copilot continue IN.mid</c>: continues the file's melody for some bars with the model, or with the style
/// learner when the model is missing or broken, and writes the file with the continuation as a new marked track.
/// </summary>
public static class ContinueCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("IN") { Description = "A standard MIDI file (format 0 or 1)." };
        var bars = new Option<int>("--bars") { Description = "Bars to continue after the end of the file's music.", DefaultValueFactory = _ => 8 };
        var output = new Option<string?>("--out") { Description = "Output file; IN.continued.mid by default." };
        Option<string?> model = GenerationOptions.Model();
        Option<float> temperature = GenerationOptions.Temperature("Sampling temperature (0 takes the likeliest token; the style learner's creativity is half of it).", 1f);
        var seed = new Option<ulong?>("--seed") { Description = "Seed: the same file, options and seed give the same notes. Random (and printed) by default." };
        Option<string> style = GenerationOptions.Style();
        Option<string?> track = GenerationOptions.Track();
        var noKeyMask = new Option<bool>("--no-key-mask") { Description = "Let the model leave the key's scale (it is kept in the key by default)." };
        var command = new Command(
            "continue",
            "Continue the melody of a MIDI file for some bars and write the file with the continuation as a new track "
            + $"named \"{GenerationOutput.TrackName}\" (original tracks unchanged). Uses the model; when it is missing or "
            + "cannot be loaded, says so and uses the style learner, which learns the melody itself. Exit code 0 when the "
            + "file was written (with either generator), 1 when the input cannot be read or the output written, 2 for a bad command line.")
        { file, bars, output, model, temperature, seed, style, track, noKeyMask };
        bars.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 256)
            {
                r.AddError("--bars must be between 1 and 256.");
            }
        });
        command.SetAction(parse => Run(
            console,
            parse.GetRequiredValue(file),
            new ContinueOptions(
                parse.GetValue(bars),
                parse.GetValue(output),
                parse.GetValue(model),
                parse.GetValue(temperature),
                parse.GetValue(seed),
                GenerationOptions.ParseStyle(parse.GetValue(style)),
                parse.GetValue(track),
                !parse.GetValue(noKeyMask))));
        return command;
    }

    public static int Run(IAnsiConsole console, FileInfo file, ContinueOptions options)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        long started = Stopwatch.GetTimestamp();
        MidiInput? input = GenerationOutput.Read(console, file, options.Track);
        if (input is null)
        {
            return ExitCodes.Failure;
        }

        ulong seed = options.Seed ?? (ulong)Random.Shared.NextInt64();
        (double start, double end) = input.ContinuationWindow(options.Bars);
        var request = new ContinuationRequest(
            input.Melody, input.Metres, input.Key?.Index ?? -1, options.Style, start, end, options.Bars, options.Temperature, seed, options.KeyMask);
        string key = input.Key?.ToString() ?? "unknown (the pitch classes are too evenly spread)";
        console.MarkupLineInterpolated($"[bold]{file.Name}[/]: key [bold]{key}[/]; prompt {input.Melody.Count} notes from {input.MelodySource}");
        if (input.MetreNote is { } metreNote)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {metreNote}");
        }

        string modelPath = ModelFiles.ResolveModelPath(options.Model);
        string generatorName;
        bool usedModel;
        ContinuationResult result;
        using (OnnxDecoder? decoder = ModelFiles.TryLoadDecoder(modelPath, out string? reason))
        {
            ContinuationResult? fromModel = null;
            if (decoder is null)
            {
                console.MarkupLineInterpolated($"[yellow]model {modelPath} {reason}: using the style learner[/]");
            }
            else if (ModelLoader.TryLoadOriginality(modelPath, out _, out string? originalityProblem) is not { } originality)
            {
                // The guard is what keeps the model from quoting its training songs: no index, no model.
                console.MarkupLineInterpolated($"[yellow]{originalityProblem}: using the style learner[/]");
            }
            else
            {
                string? problem;
                try
                {
                    fromModel = MelodyContinuer.WithModel(decoder, originality, request, out problem);
                }
                catch (OnnxRuntimeException e)
                {
                    // A model that loaded can still fail to run (an operator the runtime refuses at the first step).
                    problem = $"it failed while generating: {e.Message}";
                }

                if (fromModel is null)
                {
                    console.MarkupLineInterpolated($"[yellow]model {modelPath} cannot continue this melody ({problem}): using the style learner[/]");
                }
            }

            usedModel = fromModel is not null;
            generatorName = usedModel ? $"model {Path.GetFileName(modelPath)}" : "style learner";
            result = fromModel ?? MelodyContinuer.WithStyleLearner(request);
        }

        var inv = CultureInfo.InvariantCulture;
        int firstBar = input.BarLinesThrough(start).Count;
        string description = $"Generated by CoPilot (copilot continue): {generatorName}{(usedModel ? "" : " (no usable model)")}, seed {seed.ToString(inv)}, "
            + $"{options.Bars.ToString(inv)} bars from beat {start.ToString("0.##", inv)}, style {options.Style.ToString().ToLowerInvariant()}"
            + (options.KeyMask ? "" : ", no key mask");
        string outPath = options.Output ?? GenerationOutput.DefaultPath(file, "continued");
        if (!GenerationOutput.Write(console, input, outPath, new GeneratedTrackLabel(GenerationOutput.TrackName, description, start), result.Notes))
        {
            return ExitCodes.Failure;
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        console.MarkupLineInterpolated(
            $"continued {options.Bars.ToString(inv)} bars from bar {firstBar.ToString(inv)} (beat {start.ToString("0.##", inv)}): {result.Notes.Count.ToString(inv)} notes by the {generatorName} ({result.Detail}); seed {seed.ToString(inv)}; {seconds.ToString("0.00", inv)} s");
        console.MarkupLineInterpolated($"wrote {outPath} (new track \"{GenerationOutput.TrackName}\")");
        return ExitCodes.Ok;
    }
}

/// <summary>The options of <c>copilot continue</c> (see <see cref="ContinueCommand.Create"/>).</summary>
public sealed record ContinueOptions(int Bars, string? Output, string? Model, float Temperature, ulong? Seed, Inference.Tokens.Style Style, string? Track, bool KeyMask);
