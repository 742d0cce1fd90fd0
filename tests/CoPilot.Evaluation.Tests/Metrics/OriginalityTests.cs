using CoPilot.Evaluation.Metrics;
using CsCheck;

namespace CoPilot.Evaluation.Tests.Metrics;

public class OriginalityTests
{
    [Fact]
    public void Longest_run_is_found_and_never_crosses_melodies()
    {
        var index = new VerbatimIndex([[60, 62, 64, 65, 67], [67, 69, 71, 72]]);
        Assert.Equal(9, index.NoteCount);
        Assert.Equal(new VerbatimRun(3, 1), index.LongestRun([50, 62, 64, 65, 50]));
        // 65 67 | 67 69 would need a run across the two melodies: the best is 67 69 71 72.
        Assert.Equal(new VerbatimRun(4, 2), index.LongestRun([65, 67, 67, 69, 71, 72]));
        Assert.Equal(new VerbatimRun(2, 0), index.LongestRun([65, 67, 69]));
        Assert.Equal(new VerbatimRun(0, 0), index.LongestRun([1, 2, 3]));
        Assert.True(index.Contains([62, 64, 65]));
        Assert.False(index.Contains([67, 67]));
    }

    [Fact]
    public void Longest_run_matches_a_brute_force_search()
    {
        Gen.Select(Gen.Int[0, 4].Array[0, 40].Array[1, 5], Gen.Int[0, 4].Array[0, 30])
            .Sample((melodies, query) =>
            {
                var index = new VerbatimIndex(melodies);
                VerbatimRun run = index.LongestRun(query);
                Assert.Equal(BruteForce(melodies, query), run.Length);
                if (run.Length > 0)
                {
                    Assert.True(index.Contains(query.AsSpan(run.Start, run.Length)));
                }
            });
    }

    [Fact]
    public void Durations_count_when_asked()
    {
        MelodyNote[] train = [new(60, 0, 1), new(62, 1, 1), new(64, 2, 0.5)];
        MelodyNote[] generated = [new(60, 0, 1), new(62, 1, 1), new(64, 2, 2)];
        var pitches = new VerbatimIndex([NoteSymbols.Of(train, NoteIdentity.Pitch)]);
        var withDurations = new VerbatimIndex([NoteSymbols.Of(train, NoteIdentity.PitchAndDuration)]);
        Assert.Equal(3, pitches.LongestRun(NoteSymbols.Of(generated, NoteIdentity.Pitch)).Length);
        Assert.Equal(2, withDurations.LongestRun(NoteSymbols.Of(generated, NoteIdentity.PitchAndDuration)).Length);
        // A triplet eighth (1/3 beat = 4 ticks) and a sixteenth (3 ticks) differ.
        Assert.NotEqual(NoteSymbols.Of(new MelodyNote(60, 0, 1.0 / 3), NoteIdentity.PitchAndDuration), NoteSymbols.Of(new MelodyNote(60, 0, 0.25), NoteIdentity.PitchAndDuration));
    }

    [Fact]
    public void Run_index_finds_copied_eight_note_runs()
    {
        int[] melody = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76];
        foreach (NoteIdentity identity in (NoteIdentity[])[NoteIdentity.Pitch, NoteIdentity.PitchAndDuration])
        {
            var index = new NoteRunIndex([melody, [1, 2, 3]], 8, identity);
            Assert.Equal(3, index.Count);
            Assert.True(index.Contains(melody.AsSpan(2, 8)));
            Assert.False(index.Contains([60, 62, 64, 65, 67, 69, 71, 73]));
            Assert.Equal(3, index.FirstCopiedRun([0, 0, 0, 60, 62, 64, 65, 67, 69, 71, 72, 0]));
            Assert.Equal(-1, index.FirstCopiedRun([60, 62, 64, 65, 67, 69, 71]));
        }
    }

    [Fact]
    public void Run_index_agrees_with_the_verbatim_index()
    {
        Gen.Select(Gen.Int[0, 3].Array[0, 30].Array[1, 4], Gen.Int[0, 3].Array[5])
            .Sample((melodies, run) =>
            {
                Assert.Equal(new VerbatimIndex(melodies).Contains(run), new NoteRunIndex(melodies, 5).Contains(run));
            });
    }

    private static int BruteForce(int[][] melodies, int[] query)
    {
        int best = 0;
        foreach (int[] melody in melodies)
        {
            for (int q = 0; q < query.Length; q++)
            {
                for (int m = 0; m < melody.Length; m++)
                {
                    int k = 0;
                    while (q + k < query.Length && m + k < melody.Length && query[q + k] == melody[m + k])
                    {
                        k++;
                    }

                    best = Math.Max(best, k);
                }
            }
        }

        return best;
    }
}
