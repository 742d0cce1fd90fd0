using System.Diagnostics;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;

namespace CoPilot.Cli.Bench;

/// <summary>One set in one run: its load and the tokenization of every split and view, timed apart.</summary>
/// <param name="Songs">Songs (JSB: chorales) loaded, every split.</param>
/// <param name="Failures">Files the loader could not read.</param>
/// <param name="Files">Input files the loader opens (see <see cref="CorpusInput"/>).</param>
/// <param name="Sequences">Token sequences written over every split and view.</param>
/// <param name="Tokens">Tokens written over every split and view.</param>
public sealed record CorpusSetTiming(
    CorpusSet Set,
    int Songs,
    int Failures,
    int Files,
    long Bytes,
    int Views,
    int Sequences,
    long Tokens,
    TimeSpan Load,
    TimeSpan Tokenize)
{
    public TimeSpan Total => Load + Tokenize;

    public double SongsPerSecond => Songs / Seconds(Load);

    public double FilesPerSecond => Files / Seconds(Load);

    public double MegabytesPerSecond => Bytes / 1e6 / Seconds(Load);

    public double TokensPerSecond => Tokens / Seconds(Tokenize);

    private static double Seconds(TimeSpan span) => Math.Max(span.TotalSeconds, 1e-9);
}

/// <summary>One pass over the whole corpus with a fresh <see cref="CorpusLibrary"/>, so nothing is cached between runs but the OS's file cache.</summary>
public sealed record CorpusRun(int Number, IReadOnlyList<CorpusSetTiming> Sets)
{
    public TimeSpan Total => TimeSpan.FromTicks(Sets.Sum(s => s.Total.Ticks));
}

/// <summary>
/// Times what training and evaluation start with: loading every set through <see cref="CorpusLibrary"/> and
/// writing the token sequences of every split of every view the set has (<see cref="CorpusViews.Of"/>).
/// </summary>
public static class CorpusBenchmark
{
    public static CorpusRun Run(string data, IReadOnlyList<CorpusSet> sets, int number, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var library = new CorpusLibrary(data);
        var timings = new List<CorpusSetTiming>();
        foreach (CorpusSet set in sets)
        {
            progress?.Invoke($"run {number}: {set}");
            long start = Stopwatch.GetTimestamp();
            int songs, failures;
            IEnumerable<string> read;
            if (set == CorpusSet.JsbChorales)
            {
                try
                {
                    songs = library.Chorales.Values.Sum(c => c.Count);
                    failures = 0;
                }
                catch (DataLoadException)
                {
                    songs = 0;
                    failures = 1;
                }

                read = [];
            }
            else
            {
                LoadReport<Song> report = library.Load(set);
                songs = report.Items.Count;
                failures = report.Failures.Count;
                read = report.Items.Select(s => s.SourcePath).OfType<string>().Concat(report.Failures.Select(f => f.Path));
            }

            TimeSpan load = Stopwatch.GetElapsedTime(start);
            (int files, long bytes) = CorpusInput.Measure(set, data, read);

            start = Stopwatch.GetTimestamp();
            int sequences = 0;
            long tokens = 0;
            IReadOnlyList<CorpusView> views = CorpusViews.Of(set);
            if (failures == 0 || songs > 0)
            {
                foreach (CorpusView view in views)
                {
                    foreach (Split split in (Split[])[Split.Train, Split.Valid, Split.Test])
                    {
                        TokenCorpus corpus = library.Tokens(set, split, view);
                        sequences += corpus.Sequences.Count;
                        tokens += corpus.TokenCount;
                    }
                }
            }

            TimeSpan tokenize = Stopwatch.GetElapsedTime(start);
            timings.Add(new CorpusSetTiming(set, songs, failures, files, bytes, views.Count, sequences, tokens, load, tokenize));
        }

        return new CorpusRun(number, timings);
    }
}

/// <summary>
/// The input files a set's loader opens, for files/s and MB/s: each song's source (a file, or for POP909 and
/// Billboard the song's folder, of which only the files the loader reads count), plus the files every load
/// reads whole (Nottingham's ABC titles, the JSB JSON, and every Billboard file: <see cref="CorpusLibrary"/> drops
/// the valid and test songs that repeat a train song after reading them).
/// </summary>
public static class CorpusInput
{
    /// <summary>The files of a POP909 song folder the loader reads (not the audio-derived beat and chord labels it skips).</summary>
    private static readonly string[] Pop909Files = ["{0}.mid", "chord_midi.txt", "key_audio.txt", "beat_midi.txt"];

    public static (int Files, long Bytes) Measure(CorpusSet set, string data, IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (string source in sources)
        {
            if (File.Exists(source))
            {
                files.Add(Path.GetFullPath(source));
            }
            else if (Directory.Exists(source))
            {
                string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(source));
                IEnumerable<string> inFolder = set == CorpusSet.Pop909
                    ? Pop909Files.Select(f => Path.Combine(source, string.Format(System.Globalization.CultureInfo.InvariantCulture, f, name)))
                    : Directory.GetFiles(source);
                files.UnionWith(inFolder.Where(File.Exists).Select(Path.GetFullPath));
            }
        }

        if (set == CorpusSet.Nottingham && Directory.Exists(Path.Combine(data, "nottingham", "ABC_cleaned")))
        {
            files.UnionWith(Directory.GetFiles(Path.Combine(data, "nottingham", "ABC_cleaned"), "*.abc").Select(Path.GetFullPath));
        }

        string billboard = Path.Combine(data, "mcgill_billboard", "billboard-2.0-salami_chords");
        if (set == CorpusSet.Billboard && Directory.Exists(billboard))
        {
            files.UnionWith(Directory.GetDirectories(billboard)
                .Select(d => Path.Combine(d, "salami_chords.txt"))
                .Where(File.Exists)
                .Select(Path.GetFullPath));
        }

        if (set == CorpusSet.JsbChorales && File.Exists(JsbLoader.PathIn(data)))
        {
            files.Add(Path.GetFullPath(JsbLoader.PathIn(data)));
        }

        return (files.Count, files.Sum(f => new FileInfo(f).Length));
    }
}
