using System.Text;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Music;

namespace CoPilot.Cli.Analysis;

/// <summary>
/// Learns the key-relative chord transition statistics of each style from the TRAIN split only, and writes them
/// as the data files the suggester ships with (models/chord-transitions/STYLE.tsv).
/// </summary>
public static class ChordTransitionTrainer
{
    /// <summary>The folder of the statistics files in the repository.</summary>
    public const string ModelFolder = "models/chord-transitions";

    /// <summary>Trigrams seen fewer times than this are left out of the files (they stay a few hundred KB in all).</summary>
    public const int MinTrigramCount = 2;

    /// <summary>The styles with a corpus, their file names and their corpus.</summary>
    public static IReadOnlyList<(ChordStyle Style, string Name, CorpusSet Set)> Styles { get; } =
    [
        (ChordStyle.Pop, "pop", CorpusSet.Pop909),
        (ChordStyle.Rock, "rock", CorpusSet.Billboard),
        (ChordStyle.Jazz, "jazz", CorpusSet.JazzProgressions),
    ];

    /// <summary>Loads one style's corpus (every split; callers pick).</summary>
    public static List<ProgressionSong> LoadCorpus(string dataDirectory, CorpusSet set, List<LoadFailure> failures) => set switch
    {
        CorpusSet.Pop909 => ProgressionSongs.Pop909(dataDirectory, failures),
        CorpusSet.Billboard => ProgressionSongs.Billboard(dataDirectory, failures),
        CorpusSet.JazzProgressions => ProgressionSongs.Jazz(dataDirectory, failures),
        _ => throw new ArgumentOutOfRangeException(nameof(set)),
    };

    /// <summary>Counts the train songs only (whatever else is passed). Songs are counted in the order given (ids sorted by the loaders).</summary>
    public static ChordTransitions Train(IEnumerable<ProgressionSong> songs, string style)
    {
        var transitions = new ChordTransitions(style);
        foreach (ProgressionSong song in songs.Where(s => s.Split == Split.Train))
        {
            transitions.Add(song.Relative());
        }

        return transitions;
    }

    /// <summary>The bytes of a statistics file: UTF-8 without BOM, '\n' line ends, so that reruns are byte-identical on every OS.</summary>
    public static byte[] FileBytes(ChordTransitions transitions) =>
        new UTF8Encoding(false).GetBytes(transitions.ToText(MinTrigramCount));

    /// <summary>The statistics as shipped: the file form read back (pruned).</summary>
    public static ChordTransitions Shipped(ChordTransitions transitions)
    {
        using var reader = new StringReader(transitions.ToText(MinTrigramCount));
        return ChordTransitions.Load(reader);
    }
}
