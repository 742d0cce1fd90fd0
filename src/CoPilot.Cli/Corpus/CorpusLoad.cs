using System.Diagnostics;
using CoPilot.Data;

namespace CoPilot.Cli.Corpus;

/// <summary>
/// One data set loaded whole (every split) with the loader's failures, the wall time and the input it read:
/// the files the loader opens (POP909: NNN.mid, chord_midi.txt, key_audio.txt, beat_midi.txt; not the audio
/// label files it skips), so that files/s and MB/s measure the loader, not the folder.
/// </summary>
public sealed record CorpusLoad(CorpusSet Set, IReadOnlyList<Song> Songs, IReadOnlyList<LoadFailure> Failures, TimeSpan Elapsed, int Files, long Bytes)
{
    public double FilesPerSecond => Files / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double MegabytesPerSecond => Bytes / 1e6 / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>The names of the sets on the command line, in the order of the data README.</summary>
    public static IReadOnlyList<(string Name, CorpusSet Set)> Names { get; } =
    [
        ("pop909", CorpusSet.Pop909),
        ("billboard", CorpusSet.Billboard),
        ("nottingham", CorpusSet.Nottingham),
        ("jsb", CorpusSet.JsbChorales),
        ("jazz", CorpusSet.JazzProgressions),
    ];

    public static string NameOf(CorpusSet set) => Names.First(n => n.Set == set).Name;

    /// <summary>Loads <paramref name="set"/> from the data directory. Never throws for bad data: failures are listed.</summary>
    public static CorpusLoad Load(CorpusSet set, string data)
    {
        var clock = Stopwatch.StartNew();
        LoadReport<Song> report = set switch
        {
            CorpusSet.Pop909 => Pop909Loader.LoadAll(Path.Combine(data, "pop909", "POP909")),
            CorpusSet.Billboard => BillboardLoader.LoadAll(Path.Combine(data, "mcgill_billboard", "billboard-2.0-salami_chords")),
            CorpusSet.Nottingham => NottinghamLoader.LoadAll(Path.Combine(data, "nottingham")),
            CorpusSet.JsbChorales => LoadJsb(JsbLoader.PathIn(data)),
            CorpusSet.JazzProgressions => JazzLoader.LoadAll(Path.Combine(data, "jazz_chord_progressions", "SongDB")),
            _ => throw new ArgumentOutOfRangeException(nameof(set)),
        };
        TimeSpan elapsed = clock.Elapsed;
        (int files, long bytes) = InputOf(set, data);
        return new CorpusLoad(set, report.Items, report.Failures, elapsed, files, bytes);
    }

    // The chorales as songs: one note per held pitch of each SATB voice, 16th-note steps as quarter beats / 4.
    private static LoadReport<Song> LoadJsb(string path)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var songs = new List<Song>();
            string[] voices = ["soprano", "alto", "tenor", "bass"];
            foreach ((Split split, IReadOnlyList<JsbChorale> chorales) in JsbLoader.LoadAll(path))
            {
                foreach (JsbChorale chorale in chorales)
                {
                    var notes = new List<Note>();
                    for (int v = 0; v < JsbChorale.Voices; v++)
                    {
                        notes.AddRange(chorale.Notes[v].Select(n => new Note(n.Start / 4.0, n.Duration / 4.0, n.Pitch, 0, voices[v])));
                    }

                    notes.Sort((a, b) => a.StartBeat != b.StartBeat ? a.StartBeat.CompareTo(b.StartBeat) : a.Pitch.CompareTo(b.Pitch));
                    songs.Add(new Song(chorale.Id, CorpusSet.JsbChorales, split, notes, [], [], [], []) { SourcePath = path });
                }
            }

            return new LoadReport<Song>(songs, [], clock.Elapsed);
        }
        catch (DataLoadException e)
        {
            return new LoadReport<Song>([], [new LoadFailure(e.Path, e.Problem, e.Detail)], clock.Elapsed);
        }
    }

    private static (int Files, long Bytes) InputOf(CorpusSet set, string data)
    {
        IEnumerable<string> files = set switch
        {
            CorpusSet.Pop909 => Folders(Path.Combine(data, "pop909", "POP909"))
                .SelectMany(d => new[] { Path.GetFileName(d) + ".mid", "chord_midi.txt", "key_audio.txt", "beat_midi.txt" }.Select(f => Path.Combine(d, f))),
            CorpusSet.Billboard => Folders(Path.Combine(data, "mcgill_billboard", "billboard-2.0-salami_chords")).Select(d => Path.Combine(d, "salami_chords.txt")),
            CorpusSet.Nottingham => FilesIn(Path.Combine(data, "nottingham", "MIDI"), "*.mid", SearchOption.TopDirectoryOnly)
                .Concat(FilesIn(Path.Combine(data, "nottingham", "ABC_cleaned"), "*.abc", SearchOption.TopDirectoryOnly)),
            CorpusSet.JsbChorales => [JsbLoader.PathIn(data)],
            CorpusSet.JazzProgressions => FilesIn(Path.Combine(data, "jazz_chord_progressions", "SongDB"), "*.txt", SearchOption.AllDirectories),
            _ => [],
        };
        int count = 0;
        long bytes = 0;
        foreach (string f in files)
        {
            var info = new FileInfo(f);
            if (info.Exists)
            {
                count++;
                bytes += info.Length;
            }
        }

        return (count, bytes);
    }

    private static IEnumerable<string> Folders(string root) =>
        Directory.Exists(root) ? Directory.GetDirectories(root).Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)) : [];

    private static string[] FilesIn(string root, string pattern, SearchOption option) =>
        Directory.Exists(root) ? Directory.GetFiles(root, pattern, option) : [];
}
