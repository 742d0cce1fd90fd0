using System.Globalization;

namespace CoPilot.Data;

/// <summary>Reading the small text files of the sets: numbers are invariant-culture, errors name file and line.</summary>
internal static class LabelText
{
    public static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DataLoadException(path, LoadProblem.Io, e.Message, e);
        }
    }

    public static double Number(string text, string path, int line)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new DataLoadException(path, LoadProblem.Corrupt, $"line {line}: '{text}' is not a number");
        }
        return value;
    }

    public static readonly char[] Whitespace = [' ', '\t'];
}
