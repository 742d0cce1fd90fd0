namespace CoPilot.Data;

/// <summary>
/// The fixed splits of ../shared/data/README.md, in one place so that figures from different weeks compare.
/// </summary>
public static class Splits
{
    /// <summary>
    /// The split of an item. <paramref name="numberOrIndex"/> is the song number for POP909 (NNN) and the
    /// folder number for Billboard (NNNN); for Nottingham and the jazz set it is the index of the item in
    /// the list sorted by file name / path (<see cref="SortForSplit"/>). JSB has its own keys: use
    /// <see cref="OfJsbKey"/>.
    /// </summary>
    public static Split Of(CorpusSet set, int numberOrIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numberOrIndex);
        return set switch
        {
            CorpusSet.Pop909 or CorpusSet.Billboard or CorpusSet.Nottingham or CorpusSet.JazzProgressions =>
                (numberOrIndex % 10) switch
                {
                    0 => Split.Test,
                    1 => Split.Valid,
                    _ => Split.Train,
                },
            CorpusSet.JsbChorales => throw new ArgumentException("JSB chorales split by their own keys: use OfJsbKey.", nameof(set)),
            _ => throw new ArgumentOutOfRangeException(nameof(set)),
        };
    }

    /// <summary>The JSB chorales file's own keys: "train", "valid", "test".</summary>
    public static Split OfJsbKey(string key) => key switch
    {
        "train" => Split.Train,
        "valid" => Split.Valid,
        "test" => Split.Test,
        _ => throw new ArgumentException($"Unknown JSB split key '{key}'.", nameof(key)),
    };

    /// <summary>
    /// The order the index-based splits (Nottingham by file name, jazz by path) count in: ordinal, so that
    /// it does not depend on the culture of the machine. Paths are compared with '/' separators.
    /// </summary>
    public static IReadOnlyList<string> SortForSplit(IEnumerable<string> namesOrPaths)
    {
        var list = namesOrPaths.Select(p => p.Replace('\\', '/')).ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
