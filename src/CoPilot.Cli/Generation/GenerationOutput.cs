using CoPilot.Data;
using Spectre.Console;

namespace CoPilot.Cli.Generation;

/// <summary>What the three generating commands share: reading the input, naming and writing the output.</summary>
public static class GenerationOutput
{
    /// <summary>The name of every track the commands add.</summary>
    public const string TrackName = "CoPilot (generated)";

    /// <summary>IN.mid → IN.<paramref name="suffix"/>.mid beside it.</summary>
    public static string DefaultPath(FileInfo input, string suffix)
    {
        ArgumentNullException.ThrowIfNull(input);
        string directory = input.DirectoryName ?? ".";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(input.Name) + "." + suffix + ".mid");
    }

    /// <summary>Reads the input, or prints why not (the file and the problem) and returns null.</summary>
    public static MidiInput? Read(IAnsiConsole console, FileInfo file, string? track)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            MidiInput? input = MidiInput.Read(file.FullName, track, out string? error);
            if (input is null)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return input;
        }
        catch (DataLoadException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return null;
        }
    }

    /// <summary>Writes the input with the generated track added; prints and returns false when the file cannot be written.</summary>
    public static bool Write(IAnsiConsole console, MidiInput input, string path, GeneratedTrackLabel label, IReadOnlyList<TrackNote> notes)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(input);
        byte[] bytes = GeneratedTrackWriter.Append(input.Bytes, label, notes, GeneratedTrackWriter.FreeChannel(input.Song.Notes));
        try
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllBytes(path, bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot write {path}: {e.Message}");
            return false;
        }
    }
}
