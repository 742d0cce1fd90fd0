using System.Text.Json;

namespace CoPilot.Data;

/// <summary>One note of one chorale voice, in 16th notes from the start of the chorale.</summary>
public readonly record struct JsbNote(int Pitch, int Start, int Duration)
{
    public int End => Start + Duration;
}

/// <summary>
/// One Bach chorale of Jsb16thSeparated.json: four voices (0 soprano, 1 alto, 2 tenor, 3 bass) as notes, and
/// the pitch of each voice at each 16th (-1 silent).
/// </summary>
/// <remarks>
/// The file does not tell a held note from a repeated one, so equal consecutive 16ths merge into one note
/// (the dataset's own README says the same): a repeated note in Bach's score is one note here.
/// </remarks>
public sealed class JsbChorale
{
    public const int Voices = 4;

    private readonly short[] _steps;

    internal JsbChorale(Split split, int index, short[] steps)
    {
        Split = split;
        Index = index;
        _steps = steps;
        Steps = steps.Length / Voices;
        var voices = new JsbNote[Voices][];
        for (int v = 0; v < Voices; v++)
        {
            voices[v] = MergeVoice(v);
        }

        Notes = voices;
    }

    public Split Split { get; }

    /// <summary>Index of the chorale in its split's list in the file.</summary>
    public int Index { get; }

    /// <summary>"valid-012".</summary>
    public string Id => $"{Split.ToString().ToLowerInvariant()}-{Index:D3}";

    /// <summary>Length in 16th notes.</summary>
    public int Steps { get; }

    /// <summary>The notes of each voice, 0 soprano … 3 bass, in time order.</summary>
    public IReadOnlyList<IReadOnlyList<JsbNote>> Notes { get; }

    public IReadOnlyList<JsbNote> Soprano => Notes[0];

    /// <summary>The MIDI pitch of <paramref name="voice"/> at 16th <paramref name="step"/>, or -1 when it is silent.</summary>
    public int PitchAt(int voice, int step) => _steps[(step * Voices) + voice];

    private JsbNote[] MergeVoice(int voice)
    {
        var notes = new List<JsbNote>();
        int start = 0;
        int current = -1;
        for (int step = 0; step <= Steps; step++)
        {
            int pitch = step < Steps ? PitchAt(voice, step) : -1;
            if (pitch == current)
            {
                continue;
            }

            if (current >= 0)
            {
                notes.Add(new JsbNote(current, start, step - start));
            }

            current = pitch;
            start = step;
        }

        return [.. notes];
    }
}

/// <summary>
/// Reads ../shared/data/jsb_chorales/Jsb16thSeparated.json: keys "train", "valid" (and "test" when present),
/// each a list of chorales, each a list of 16ths, each four pitches SATB; -1 (or NaN, or null, in other
/// copies of the set) is silence.
/// </summary>
public static class JsbLoader
{
    public const string FileName = "Jsb16thSeparated.json";

    /// <summary>The file under a data directory (../shared/data).</summary>
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "jsb_chorales", FileName);

    /// <summary>The chorales of one split, in file order. Throws <see cref="DataLoadException"/> when the file is missing or malformed.</summary>
    public static IReadOnlyList<JsbChorale> Load(string path, Split split)
    {
        IReadOnlyDictionary<Split, IReadOnlyList<JsbChorale>> all = LoadAll(path);
        return all.TryGetValue(split, out IReadOnlyList<JsbChorale>? chorales)
            ? chorales
            : throw new DataLoadException(path, LoadProblem.Corrupt, $"no '{split.ToString().ToLowerInvariant()}' key (the JSB test split is not in ../shared/data)");
    }

    /// <summary>Every split present in the file.</summary>
    public static IReadOnlyDictionary<Split, IReadOnlyList<JsbChorale>> LoadAll(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataLoadException(path, LoadProblem.Io, e.Message, e);
        }

        if (bytes.Length == 0)
        {
            throw new DataLoadException(path, LoadProblem.Empty, "empty file");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
            var result = new Dictionary<Split, IReadOnlyList<JsbChorale>>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                Split split;
                try
                {
                    split = Splits.OfJsbKey(property.Name);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                var chorales = new List<JsbChorale>();
                foreach (JsonElement chorale in property.Value.EnumerateArray())
                {
                    chorales.Add(ReadChorale(split, chorales.Count, chorale));
                }

                result[split] = chorales;
            }

            return result;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new DataLoadException(path, LoadProblem.Corrupt, e.Message, e);
        }
    }

    private static JsbChorale ReadChorale(Split split, int index, JsonElement chorale)
    {
        int length = chorale.GetArrayLength();
        var steps = new short[length * JsbChorale.Voices];
        int step = 0;
        foreach (JsonElement sixteenth in chorale.EnumerateArray())
        {
            if (sixteenth.GetArrayLength() != JsbChorale.Voices)
            {
                throw new FormatException($"{split.ToString().ToLowerInvariant()} chorale {index}, 16th {step}: {sixteenth.GetArrayLength()} voices, expected 4");
            }

            int voice = 0;
            foreach (JsonElement pitch in sixteenth.EnumerateArray())
            {
                steps[(step * JsbChorale.Voices) + voice] = ReadPitch(pitch);
                voice++;
            }

            step++;
        }

        return new JsbChorale(split, index, steps);
    }

    private static short ReadPitch(JsonElement pitch)
    {
        if (pitch.ValueKind != JsonValueKind.Number)
        {
            // null or the string "NaN": silence.
            return -1;
        }

        double value = pitch.GetDouble();
        return double.IsNaN(value) || value < 0 || value > 127 ? (short)-1 : (short)Math.Round(value);
    }
}
