using CoPilot.Export;
using CoPilot.Inference.Tokens;
using static TorchSharp.torch;

namespace CoPilot.Training.Tests;

public sealed class WindowAndValidationTests
{
    private static readonly TransformerConfig Tiny = new(VocabSize: 80, ContextLength: 8, Layers: 1, Dim: 8, Heads: 2);

    // Songs of 3, 9, 20 and 40 tokens whose tokens say where they are: every token occurs once in the corpus.
    private static readonly int[][] Songs = [[.. Enumerable.Range(0, 3)], [.. Enumerable.Range(3, 9)], [.. Enumerable.Range(12, 20)], [.. Enumerable.Range(32, 40)]];

    [Fact]
    public void WindowsAreSlicesOfOneSongWithTargetsOneAhead()
    {
        var options = new TrainingOptions { Model = Tiny, HeaderWindowProbability = 0.3 };
        var sampler = new WindowSampler(Songs, options, transposition: null, new SplitMix64Random(9));
        const int batch = 4000;
        var inputs = new long[batch * 8];
        var targets = new long[batch * 8];
        sampler.Fill(inputs, targets);

        int fromStart = 0, longSongWindows = 0;
        for (int b = 0; b < batch; b++)
        {
            var row = inputs.AsSpan(b * 8, 8).ToArray();
            var next = targets.AsSpan(b * 8, 8).ToArray();
            int song = Array.FindIndex(Songs, s => s.Contains((int)row[0]));
            int[] source = Songs[song];
            int start = Array.IndexOf(source, (int)row[0]);
            int real = Math.Min(source.Length - start, 9);
            for (int t = 0; t < 8; t++)
            {
                Assert.Equal(t < real ? source[start + t] : 0, row[t]);
                Assert.Equal(t + 1 < real ? source[start + t + 1] : WindowSampler.IgnoredTarget, next[t]);
            }

            if (source.Length > 9)
            {
                longSongWindows++;
                fromStart += start == 0 ? 1 : 0;
            }
        }

        // Header windows of the two long songs (weights 1/3 and 2/3): 0.3 directly plus the uniform draws that
        // start at 0 (1 in 12 and 1 in 32 starts): 0.3 + 0.7 · (1/36 + 1/48) ≈ 0.334, ± 0.008 (one σ).
        double share = (double)fromStart / longSongWindows;
        Assert.InRange(share, 0.31, 0.36);
    }

    [Theory]
    [InlineData(1.0, 12.0 / 72)]
    [InlineData(0.5, 0.3090)] // √12 / (√12 + √60)
    [InlineData(0.0, 0.5)]
    public void GroupsGetShareOfWindowsByTheirTokensToTheBalancePower(double balance, double smallGroupShare)
    {
        var options = new TrainingOptions { Model = Tiny, GroupBalance = balance };
        int[] groups = [0, 0, 1, 1]; // 3 + 9 = 12 tokens against 20 + 40 = 60
        var sampler = new WindowSampler(Songs, options, transposition: null, new SplitMix64Random(3), groups);
        var corpus = new TrainingCorpus(Songs, [Songs[0]], Tiny.VocabSize, [], trainGroups: groups, groupNames: ["small", "large"]);
        const int batch = 6000;
        var inputs = new long[batch * 8];
        sampler.Fill(inputs, new long[batch * 8]);

        int small = Enumerable.Range(0, batch).Count(b => inputs[b * 8] < 12);

        Assert.Equal(smallGroupShare, sampler.GroupShares[0], 4);
        Assert.Equal(smallGroupShare, corpus.Shares(balance)[0].Share, 4);
        Assert.Equal(60, corpus.Shares(balance)[1].Tokens);
        Assert.InRange((double)small / batch, smallGroupShare - 0.025, smallGroupShare + 0.025); // > 4 σ
        // Within a group, songs are still drawn by length: the 9-token song 3 times as often as the 3-token one.
        int shortest = Enumerable.Range(0, batch).Count(b => inputs[b * 8] < 3);
        Assert.InRange((double)shortest / small, 0.25 - 0.05, 0.25 + 0.05);
    }

    [Fact]
    public void TheSamplerStateReplaysTheSameWindows()
    {
        var options = new TrainingOptions { Model = Tiny };
        var a = new WindowSampler(Songs, options, transposition: null, new SplitMix64Random(5));
        var first = new long[16 * 8];
        var targets = new long[16 * 8];
        a.Fill(first, targets);
        ulong saved = a.Random.State;
        var second = new long[16 * 8];
        a.Fill(second, targets);

        var b = new WindowSampler(Songs, options, transposition: null, new SplitMix64Random(saved));
        var replay = new long[16 * 8];
        b.Fill(replay, targets);

        Assert.Equal(second, replay);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void RepeatWindowsReadASectionOfWholeBarsThenGoBackToItsFirstBar()
    {
        const int context = 32;
        var config = new TransformerConfig(VocabSize: 80, ContextLength: context, Layers: 1, Dim: 8, Heads: 2);
        // Bars of 2 to 6 tokens: a bar line, then content tokens that say which song and where (1000·(song+1) + position).
        int[][] songs = [.. Enumerable.Range(0, 6).Select(s => BarredSong(120 + (s * 17), seed: s))];
        var options = new TrainingOptions { Model = config, RepeatWindowProbability = 0.5, HeaderWindowProbability = 0.2 };
        var sampler = new WindowSampler(songs, options, transposition: null, new SplitMix64Random(11));
        const int batch = 2000;
        var inputs = new long[batch * context];
        sampler.Fill(inputs, new long[batch * context]);

        int repeated = 0;
        for (int b = 0; b < batch; b++)
        {
            long[] row = inputs.AsSpan(b * context, context).ToArray();
            int[] song = songs[((int)row.First(t => t >= 1000) / 1000) - 1];
            int[] position = PositionsInSong(row);
            int jumps = 0;
            for (int t = 1; t < context && position[t] >= 0; t++)
            {
                if (position[t] == position[t - 1] + 1)
                {
                    continue;
                }

                jumps++;
                int sectionStart = position[t], sectionEnd = position[t - 1] + 1;
                Assert.True(sectionStart < sectionEnd, "a repeat goes back");
                Assert.Equal(Vocabulary.Bar, song[sectionStart]);
                Assert.Equal(Vocabulary.Bar, song[sectionEnd]);
                Assert.InRange(sectionEnd - sectionStart, 1, context / 2);
                Assert.InRange(sectionStart - position[0], 0, context / 4);
            }

            Assert.InRange(jumps, 0, 1);
            repeated += jumps;
        }

        // Every song has sections short enough, so about half the windows repeat one (± 3 σ).
        Assert.InRange((double)repeated / batch, 0.5 - 0.034, 0.5 + 0.034);
    }

    // A song of `length` tokens: a bar line every 2 to 6 tokens, the others 1000·(seed + 1) + their position.
    private static int[] BarredSong(int length, int seed)
    {
        var random = new Random(seed);
        var song = new int[length];
        int next = 0;
        for (int i = 0; i < length; i++)
        {
            if (i == next)
            {
                song[i] = Vocabulary.Bar;
                next = i + 1 + random.Next(1, 6);
            }
            else
            {
                song[i] = (1000 * (seed + 1)) + i;
            }
        }

        return song;
    }

    // Where each token of the row came from: content tokens say so, a bar line is just before the next content
    // token; -1 for the padding and a bar line that ends the row.
    private static int[] PositionsInSong(long[] row)
    {
        var position = new int[row.Length];
        for (int t = row.Length - 1; t >= 0; t--)
        {
            position[t] = row[t] >= 1000 ? (int)row[t] % 1000
                : row[t] == Vocabulary.Bar && t + 1 < row.Length && position[t + 1] >= 0 ? position[t + 1] - 1
                : -1;
        }

        return position;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(3)]
    [InlineData(1)]
    public void AModelThatKnowsNothingScoresExactlyLogVocabOnEveryToken(int stride)
    {
        using var model = new CoPilotTransformer(Tiny, seed: 1);
        using (var noGrad = no_grad())
        {
            model.NamedParameters()["head.weight"].zero_();
        }

        var pass = new ValidationPass(Songs, 8, stride, batchSize: 3);

        Assert.Equal(Songs.Sum(s => s.Length - 1), pass.PredictedTokens);
        Assert.Equal(Math.Log(80), pass.Run(model), 5);
    }

    [Fact]
    public void DisjointWindowsOfAShortSongScoreItsWholeSequenceOnce()
    {
        using var model = new CoPilotTransformer(Tiny, seed: 4);
        int[] song = Songs[1];
        var pass = new ValidationPass([song], 8, 8, batchSize: 4);

        double expected;
        model.eval();
        using (var noGrad = no_grad())
        using (var x = tensor(song[..^1].Select(t => (long)t).ToArray(), [1, song.Length - 1]))
        using (var y = tensor(song[1..].Select(t => (long)t).ToArray(), [song.Length - 1]))
        using (var logits = model.forward(x))
        using (var loss = nn.functional.cross_entropy(logits.view(-1, 80), y))
        {
            expected = loss.item<float>();
        }

        Assert.Equal(expected, pass.Run(model), 5);
    }
}
