using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CoPilot.Cli.Generation;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Commands;

/// <summary>
/// <c>copilot accompany IN.mid</c>: block chords for the melody, chosen by the model (or by the rule-based
/// harmoniser when the model is missing or broken), as a new marked track.
/// </summary>
public static class AccompanyCommand
{
    /// <summary>The most the reader scores in one call (half the context, less the chord's two tokens).</summary>
    public const int MaxLookAhead = 96;

    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("IN") { Description = "A standard MIDI file (format 0 or 1)." };
        var output = new Option<string?>("--out") { Description = "Output file; IN.accompanied.mid by default." };
        Option<string?> track = GenerationOptions.Track();
        Option<string?> model = GenerationOptions.Model();
        Option<float> temperature = GenerationOptions.Temperature("How freely the model picks chords (0 takes the likeliest).", 0.5f);
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same file, options and seed give the same chords.", DefaultValueFactory = _ => 1 };
        Option<string> style = GenerationOptions.Style();
        var rules = new Option<bool>("--rules") { Description = "Use the rule-based harmoniser even when the model is there." };
        var lookAhead = new Option<int>("--look-ahead")
        {
            Description = "Melody tokens after each chord slot, up to the bar line, that weigh in on its chord (a file's melody is known ahead). 0 chooses as the live plugin must, from the melody before the slot only.",
            DefaultValueFactory = _ => AccompanistSettings.FileLookAhead,
        };
        var command = new Command(
            "accompany",
            "Accompany the melody of a MIDI file with block chords, bass in C2-B2 under the chord in G3-F#4. The model reads "
            + "the melody as a lead sheet and decides at every bar line and half bar whether the chord changes and to what, "
            + "weighing each likely chord by how well the melody that follows fits under it; "
            + "when it is missing or cannot be loaded, says so and uses the rule-based harmoniser (one chord per half bar, per "
            + "bar in odd metres, in the file's key). Writes the file with the chords as a new track named "
            + $"\"{GenerationOutput.TrackName}\" (original tracks unchanged). Exit code 0 when the file was written, 1 when the "
            + "input cannot be read or the output written, 2 for a bad command line.")
        { file, output, track, model, temperature, seed, style, rules, lookAhead };
        command.Validators.Add(r =>
        {
            if (r.GetValue(lookAhead) is < 0 or > MaxLookAhead)
            {
                r.AddError($"--look-ahead must be 0 to {MaxLookAhead}.");
            }
        });
        command.SetAction(parse => Run(
            console,
            parse.GetRequiredValue(file),
            new AccompanyOptions(
                parse.GetValue(output),
                parse.GetValue(track),
                parse.GetValue(rules) ? null : ModelFiles.ResolveModelPath(parse.GetValue(model)),
                new AccompanistSettings(parse.GetValue(temperature), Seed: parse.GetValue(seed), LookAhead: parse.GetValue(lookAhead)),
                GenerationOptions.ParseStyle(parse.GetValue(style)))));
        return command;
    }

    public static int Run(IAnsiConsole console, FileInfo file, AccompanyOptions options)
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

        Key key = HarmonizeCommand.KeyOrDefault(console, input);
        IReadOnlyList<TimedChord>? chords = null;
        string by = "the rule-based harmoniser";
        if (options.ModelPath is { } modelPath)
        {
            using OnnxDecoder? decoder = ModelFiles.TryLoadDecoder(modelPath, out string? reason);
            string? problem = reason;
            if (decoder is not null)
            {
                chords = ModelChords.Accompany(decoder, input.Melody, input.Metres, key, options.Style, options.Settings, out problem);
                by = $"the model {Path.GetFileName(modelPath)} (style {options.Style.ToString().ToLowerInvariant()}, temperature {options.Settings.Temperature.ToString("0.##", CultureInfo.InvariantCulture)}, seed {options.Settings.Seed.ToString(CultureInfo.InvariantCulture)})";
            }

            if (chords is null)
            {
                console.MarkupLineInterpolated($"[yellow]model {modelPath} {problem}: using the rule-based harmoniser[/]");
            }
        }

        IReadOnlyList<TrackNote> notes;
        if (chords is null)
        {
            (notes, chords) = MelodyHarmony.Accompany(input.Melody, input, key);
            by = "the rule-based harmoniser";
        }
        else
        {
            notes = MelodyHarmony.BlockChords(chords);
        }

        string description = $"Generated by CoPilot (copilot accompany): block chords by {by} for the melody of {input.MelodySource}, key {key}";
        string outPath = options.Output ?? GenerationOutput.DefaultPath(file, "accompanied");
        double first = chords.Count > 0 ? chords[0].StartBeat : input.Melody[0].StartBeat;
        if (!GenerationOutput.Write(console, input, outPath, new GeneratedTrackLabel(GenerationOutput.TrackName, description, first), notes))
        {
            return ExitCodes.Failure;
        }

        var inv = CultureInfo.InvariantCulture;
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        console.MarkupLineInterpolated(
            $"[bold]{file.Name}[/]: key [bold]{key.ToString()}[/]; melody {input.Melody.Count.ToString(inv)} notes from {input.MelodySource}; {chords.Count.ToString(inv)} chords ({notes.Count.ToString(inv)} notes) by {by}; {seconds.ToString("0.00", inv)} s");
        if (chords.Count > 0)
        {
            const int Shown = 16;
            string opening = string.Join(" ", chords.Take(Shown).Select(c => c.Chord.ToString(key)));
            console.MarkupLineInterpolated($"chords: {opening}{(chords.Count > Shown ? " ..." : "")}");
        }

        console.MarkupLineInterpolated($"wrote {outPath} (new track \"{GenerationOutput.TrackName}\")");
        return ExitCodes.Ok;
    }
}

/// <summary>The options of <c>copilot accompany</c> (see <see cref="AccompanyCommand.Create"/>).</summary>
/// <param name="ModelPath">The model to choose the chords; null for the rule-based harmoniser.</param>
public sealed record AccompanyOptions(string? Output, string? Track, string? ModelPath, AccompanistSettings Settings, Inference.Tokens.Style Style);
