namespace CoPilot.TestSupport;

/// <summary>
/// Finds ../shared/data next to the repository (or $COPILOT_DATA), for every test project that reads the real
/// corpora. Missing data fails the tests that need it: a skipped corpus test would pass silently on a machine
/// without the data.
/// </summary>
internal static class DataRoot
{
    private static readonly string[] SetFolders = ["pop909", "mcgill_billboard", "nottingham", "jsb_chorales", "jazz_chord_progressions"];

    public static string Path { get; } = Find();

    private static string Find()
    {
        string? env = Environment.GetEnvironmentVariable("COPILOT_DATA");
        string path = !string.IsNullOrEmpty(env) ? env : FromRepository();
        foreach (string folder in SetFolders)
        {
            if (!Directory.Exists(System.IO.Path.Combine(path, folder)))
            {
                throw new DirectoryNotFoundException($"corpus data not found at {path} (no {folder}/): set COPILOT_DATA to the shared data folder");
            }
        }

        return path;
    }

    private static string FromRepository()
    {
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
