namespace CoPilot.Data.Tests;

/// <summary>Finds ../shared/data next to the repository (or $COPILOT_DATA).</summary>
internal static class DataRoot
{
    public static string Path { get; } = Find();

    public static string Pop909 => System.IO.Path.Combine(Path, "pop909", "POP909");

    public static string Billboard => System.IO.Path.Combine(Path, "mcgill_billboard", "billboard-2.0-salami_chords");

    public static string Nottingham => System.IO.Path.Combine(Path, "nottingham");

    public static string JazzSongDb => System.IO.Path.Combine(Path, "jazz_chord_progressions", "SongDB");

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("COPILOT_DATA");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CoPilot.sln")))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data"));
            }
        }
        throw new DirectoryNotFoundException("CoPilot.sln not found above the test directory; set COPILOT_DATA");
    }
}
