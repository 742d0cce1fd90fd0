using System.Diagnostics;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using Xunit.Abstractions;

namespace CoPilot.Evaluation.Tests.Corpus;

[Collection("Corpus")]
public class CorpusTimingTests(ITestOutputHelper output)
{
    [Fact]
    public void Loading_and_tokenizing_the_whole_corpus_takes_under_a_minute()
    {
        // A fresh library: loading is part of what is timed.
        var clock = Stopwatch.StartNew();
        var library = new CorpusLibrary(DataRoot.Path);
        int files = 0;
        long tokens = 0;
        foreach (CorpusSet set in Enum.GetValues<CorpusSet>())
        {
            files += set == CorpusSet.JsbChorales ? library.Chorales.Values.Sum(c => c.Count) : library.Load(set).Loaded;
            foreach (CorpusView view in CorpusViews.Of(set))
            {
                foreach (Split split in Enum.GetValues<Split>())
                {
                    tokens += library.Tokens(set, split, view).TokenCount;
                }
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        long bytes = SourceBytes(DataRoot.Path);
        output.WriteLine(
            $"{files} songs, {bytes / 1e6:F1} MB of source files, {tokens:N0} tokens over all views in {seconds:F1} s: "
            + $"{files / seconds:F0} songs/s, {bytes / 1e6 / seconds:F1} MB/s");
        // The 60 s target is judged by `copilot bench corpus`, not here: a timed assertion flakes on a busy machine.
        Assert.True(tokens > 10_000_000, $"only {tokens} tokens: is the data complete?");
    }

    // The files the loaders read: POP909 MIDI and label files, Nottingham MIDI and ABC, Billboard salami files,
    // jazz song files, the JSB json.
    private static long SourceBytes(string data)
    {
        IEnumerable<string> pop = Directory.EnumerateDirectories(Path.Combine(data, "pop909", "POP909"))
            .SelectMany(d => Directory.EnumerateFiles(d).Where(f => f.EndsWith(".mid", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)));
        IEnumerable<string> nottingham = Directory.EnumerateFiles(Path.Combine(data, "nottingham", "MIDI"), "*.mid")
            .Concat(Directory.EnumerateFiles(Path.Combine(data, "nottingham", "ABC_cleaned")));
        IEnumerable<string> billboard = Directory.EnumerateFiles(Path.Combine(data, "mcgill_billboard", "billboard-2.0-salami_chords"), "salami_chords.txt", SearchOption.AllDirectories);
        IEnumerable<string> jazz = Directory.EnumerateFiles(Path.Combine(data, "jazz_chord_progressions", "SongDB"), "*.txt", SearchOption.AllDirectories);
        return pop.Concat(nottingham).Concat(billboard).Concat(jazz).Append(JsbLoader.PathIn(data)).Sum(f => new FileInfo(f).Length);
    }
}
