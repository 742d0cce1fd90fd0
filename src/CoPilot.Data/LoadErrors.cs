namespace CoPilot.Data;

/// <summary>Why a file could not be read.</summary>
public enum LoadProblem
{
    /// <summary>The file could not be opened or read.</summary>
    Io,

    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>Not a MIDI file: no MThd, or a header of the wrong length.</summary>
    NotMidi,

    /// <summary>The file ends inside the header or a track.</summary>
    Truncated,

    /// <summary>The time division is SMPTE frames, not ticks per quarter note.</summary>
    SmpteDivision,

    /// <summary>A MIDI form this reader does not take (format 2, zero ticks per beat).</summary>
    Unsupported,

    /// <summary>The bytes are there but do not parse: bad chunk, bad event, bad text line.</summary>
    Corrupt,

    /// <summary>The file reads but holds no notes where the set needs some (a tune without melody).</summary>
    NoNotes,

    /// <summary>Larger than the reader's limit (<see cref="MidiReader.MaxFileBytes"/>): refused before it is read.</summary>
    TooLarge,
}

/// <summary>A file that could not be read, naming the file and the problem. The only exception loaders throw.</summary>
public sealed class DataLoadException : Exception
{
    public DataLoadException(string path, LoadProblem problem, string detail, Exception? inner = null)
        : base($"{path}: {problem}: {detail}", inner)
    {
        Path = path;
        Problem = problem;
        Detail = detail;
    }

    public DataLoadException()
        : this("", LoadProblem.Corrupt, "")
    {
    }

    public DataLoadException(string message)
        : this("", LoadProblem.Corrupt, message)
    {
    }

    public DataLoadException(string message, Exception inner)
        : this("", LoadProblem.Corrupt, message, inner)
    {
    }

    public string Path { get; }

    public LoadProblem Problem { get; }

    public string Detail { get; }
}

/// <summary>One file a batch could not read.</summary>
public sealed record LoadFailure(string Path, LoadProblem Problem, string Detail)
{
    public override string ToString() => $"{Path}: {Problem}: {Detail}";
}

/// <summary>The outcome of a batch load: what loaded, what failed and why, and how long it took.</summary>
public sealed record LoadReport<T>(IReadOnlyList<T> Items, IReadOnlyList<LoadFailure> Failures, TimeSpan Elapsed)
{
    public int Loaded => Items.Count;

    public int Failed => Failures.Count;
}
