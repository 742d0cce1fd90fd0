namespace CoPilot.Inference.Tests;

internal static class Scales
{
    public static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11];
    public static readonly int[] NaturalMinor = [0, 2, 3, 5, 7, 8, 10];
    public static readonly int[] HarmonicMinor = [0, 2, 3, 5, 7, 8, 11];
    public static readonly int[] Dorian = [0, 2, 3, 5, 7, 9, 10];
    public static readonly int[] MajorPentatonic = [0, 2, 4, 7, 9];
    public static readonly int[] Blues = [0, 3, 5, 6, 7, 10];

    public static readonly int[][] All = [Major, NaturalMinor, HarmonicMinor, Dorian, MajorPentatonic, Blues];

    public static bool[] PitchClasses(int root, int[] scale)
    {
        var set = new bool[12];
        foreach (int degree in scale)
        {
            set[(root + degree) % 12] = true;
        }

        return set;
    }

    public static bool[] PitchClassesOf(IEnumerable<PlayedNote> notes)
    {
        var set = new bool[12];
        foreach (PlayedNote n in notes)
        {
            set[n.Pitch % 12] = true;
        }

        return set;
    }

    /// <summary>True when <paramref name="beats"/> is a whole number of <paramref name="grid"/> beats.</summary>
    public static bool OnGrid(double beats, double grid)
    {
        double steps = beats / grid;
        return Math.Abs(steps - Math.Round(steps)) < 1e-9;
    }
}
