namespace CoPilot.Data.Tests;

/// <summary>The corpus folders under the shared data folder (<see cref="CoPilot.TestSupport.DataRoot"/>).</summary>
internal static class DataRoot
{
    public static string Path => CoPilot.TestSupport.DataRoot.Path;

    public static string Pop909 => System.IO.Path.Combine(Path, "pop909", "POP909");

    public static string Billboard => System.IO.Path.Combine(Path, "mcgill_billboard", "billboard-2.0-salami_chords");

    public static string Nottingham => System.IO.Path.Combine(Path, "nottingham");

    public static string JazzSongDb => System.IO.Path.Combine(Path, "jazz_chord_progressions", "SongDB");
}
