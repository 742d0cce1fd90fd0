using CoPilot.Data;

namespace CoPilot.Evaluation.Corpus;

/// <summary>
/// The sets under one data directory (../shared/data), each loaded once on first use. Billboard valid and test
/// are deduplicated against train (the README's known trap), so their figures are not inflated.
/// </summary>
/// <param name="deduplicateBillboard">False keeps Billboard's repeats of train songs in valid and test: only to
/// show how much they inflate a figure, never for a figure of record.</param>
public sealed class CorpusLibrary(string dataDirectory, bool deduplicateBillboard = true)
{
    private readonly Dictionary<CorpusSet, LoadReport<Song>> _sets = [];
    private IReadOnlyDictionary<Split, IReadOnlyList<JsbChorale>>? _chorales;

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The loaded songs of a song set (not JSB: see <see cref="Chorales"/>).</summary>
    public LoadReport<Song> Load(CorpusSet set)
    {
        if (_sets.TryGetValue(set, out LoadReport<Song>? report))
        {
            return report;
        }

        report = set switch
        {
            CorpusSet.Pop909 => Pop909Loader.LoadAll(Path.Combine(DataDirectory, "pop909", "POP909")),
            CorpusSet.Nottingham => NottinghamLoader.LoadAll(Path.Combine(DataDirectory, "nottingham")),
            CorpusSet.JazzProgressions => JazzLoader.LoadAll(Path.Combine(DataDirectory, "jazz_chord_progressions", "SongDB")),
            CorpusSet.Billboard when deduplicateBillboard => Deduplicated(BillboardLoader.LoadAll(Path.Combine(DataDirectory, "mcgill_billboard", "billboard-2.0-salami_chords"))),
            CorpusSet.Billboard => BillboardLoader.LoadAll(Path.Combine(DataDirectory, "mcgill_billboard", "billboard-2.0-salami_chords")),
            _ => throw new ArgumentException($"{set} is not a song set: use Chorales", nameof(set)),
        };
        _sets[set] = report;
        return report;
    }

    /// <summary>The JSB chorales by split. Throws <see cref="DataLoadException"/> when the file is missing.</summary>
    public IReadOnlyDictionary<Split, IReadOnlyList<JsbChorale>> Chorales => _chorales ??= JsbLoader.LoadAll(JsbLoader.PathIn(DataDirectory));

    /// <summary>The token sequences of one set, split and view.</summary>
    public TokenCorpus Tokens(CorpusSet set, Split split, CorpusView view)
    {
        if (set == CorpusSet.JsbChorales)
        {
            if (view != CorpusView.Chorale)
            {
                throw new ArgumentException($"JSB chorales have only the Chorale view, not {view}", nameof(view));
            }

            return TokenCorpus.Build(split, Chorales.TryGetValue(split, out IReadOnlyList<JsbChorale>? chorales) ? chorales : []);
        }

        return TokenCorpus.Build(set, split, view, Load(set).Items.Where(s => s.Split == split));
    }

    private static LoadReport<Song> Deduplicated(LoadReport<Song> report) =>
        report with { Items = BillboardLoader.DeduplicateAgainstTrain(report.Items) };
}
