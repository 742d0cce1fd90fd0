using CoPilot.Data;
using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Corpus;
using CoPilot.Evaluation.Harness;
using CoPilot.Evaluation.Tests.Corpus;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Evaluation.Tests.Harness;

[Collection("Corpus")]
public class BaselineEvaluationTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    private static readonly TokenTrack[] SmokeTracks =
    [
        new(CorpusSet.Nottingham, CorpusView.LeadSheet, Probe: true),
        new(CorpusSet.Billboard, CorpusView.Chords),
    ];

    [Fact]
    public void Two_runs_give_the_same_numbers()
    {
        BaselineReport a = new BaselineEvaluation(fixture.Library) { Limit = 12 }.Run(SmokeTracks);
        BaselineReport b = new BaselineEvaluation(fixture.Library) { Limit = 12 }.Run(SmokeTracks);

        Assert.Equal(Numbers(a), Numbers(b));
    }

    [Fact]
    public void Every_track_reports_each_Kneser_Ney_order_and_one_choice_per_family()
    {
        BaselineReport report = new BaselineEvaluation(fixture.Library) { Limit = 12 }.Run(SmokeTracks);

        foreach (TrackResult track in report.Tracks)
        {
            Assert.Equal(["Kneser-Ney 3-gram", "Kneser-Ney 4-gram", "Kneser-Ney 5-gram", "Kneser-Ney 6-gram"], track.Models.Where(m => m.Family == "Kneser-Ney").Select(m => m.Name));
            Assert.Single(track.Models, m => m.Family == "Kneser-Ney" && m.ChosenOnValid);
            Assert.Single(track.Models, m => m.Family == "Variable-order Markov" && m.ChosenOnValid);
            Assert.All(track.Models, m => Assert.InRange(m.Valid.NatsPerToken, 0.01, Math.Log(Vocabulary.Size)));
            Assert.All(track.Models, m => Assert.True(m.Test.Tokens > 0));
        }

        // The chosen Kneser-Ney order is the one with the lowest valid NLL.
        foreach (TrackResult track in report.Tracks)
        {
            ModelScore[] kn = track.Models.Where(m => m.Family == "Kneser-Ney").ToArray();
            Assert.Equal(kn.Min(m => m.Valid.NatsPerToken), kn.Single(m => m.ChosenOnValid).Valid.NatsPerToken);
        }

        TrackResult probed = report.Tracks[0];
        Assert.NotNull(probed.ProbeTest);
        Assert.True(probed.ProbeTest.Songs > 0);
        Assert.True(probed.ProbeTest.GeneratedNotes > 0);
        Assert.InRange(probed.ProbeTest.InKey.Value, 0, 1);
        Assert.True(probed.ProbeTest.InChord.Count > 0, "lead sheets measure note-in-chord");
        Assert.Null(report.Tracks[1].ProbeTest);

        Assert.Equal(8, report.NextChord.Count);
        Assert.Contains(report.NextChord, c => c.Set == "Billboard (with repeats)");
        Assert.All(report.NextChord, c => Assert.InRange(c.Top1, 0, c.Top3));
    }

    [Fact]
    public void The_report_round_trips_through_JSON_and_names_every_track_in_Markdown()
    {
        BaselineReport report = new BaselineEvaluation(fixture.Library) { Limit = 6 }.Run(SmokeTracks);

        BaselineReport? back = BaselineReportWriter.FromJson(BaselineReportWriter.ToJson(report));
        string markdown = BaselineReportWriter.ToMarkdown(report, "copilot eval baselines");

        Assert.NotNull(back);
        Assert.Equal(Numbers(report), Numbers(back));
        Assert.Contains("| Nottingham lead sheet | Kneser-Ney 3-gram |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Billboard chords |", markdown, StringComparison.Ordinal);
        Assert.Contains("copilot eval baselines", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Continuations_are_canonical_and_stop_after_the_continuation_bars()
    {
        TokenCorpus train = fixture.Library.Tokens(CorpusSet.Nottingham, Split.Train, CorpusView.Melody);
        int[][] sequences = train.Sequences.Take(60).Select(s => s.Tokens).ToArray();
        var model = new KneserNeyModel(4, Vocabulary.Size, sequences);
        var probe = new ContinuationProbe(sequences, BaselineEvaluation.ProbeSampling);
        int[] song = sequences[0];
        int promptEnd = IndexOfBar(song, ContinuationProbe.PromptBars);

        int[] continued = probe.Continue(model, song.AsSpan(0, promptEnd), seed: 5);

        Assert.True(TokenDecoder.TryDecode(continued, out QuantisedPiece? piece, out DecodeError error), error.ToString());
        Assert.Equal(song.AsSpan(0, promptEnd).ToArray(), continued.AsSpan(0, promptEnd).ToArray());
        Assert.InRange(piece.Bars, ContinuationProbe.PromptBars + 1, ContinuationProbe.PromptBars + ContinuationProbe.ContinuationBars);
        Assert.Equal(continued, probe.Continue(model, song.AsSpan(0, promptEnd), seed: 5));
    }

    [Fact]
    public void Through_the_plugins_sampler_continuations_stay_in_key_and_never_copy_more_than_eight_notes()
    {
        // A long-context Markov model of 40 tunes mostly replays them: prompted with their own openings, it copies at length.
        TokenCorpus train = fixture.Library.Tokens(CorpusSet.Nottingham, Split.Train, CorpusView.Melody);
        int[][] sequences = train.Sequences.Take(40).Select(s => s.Tokens).ToArray();
        var model = new VariableOrderMarkovModel(16, Vocabulary.Size, sequences, escapeStrength: 0.1);
        var melodies = sequences.Select(s => (ReadOnlyMemory<int>)s.Where(Vocabulary.IsPitch).Select(t => t - Vocabulary.PitchBase).ToArray());
        var free = new ContinuationProbe(sequences, BaselineEvaluation.ProbeSampling);
        var plugin = new ContinuationProbe(sequences, BaselineEvaluation.ProbeSampling)
        {
            Constraints = ProbeConstraints.PluginMelody(BaselineEvaluation.ProbeSampling, OriginalityIndex.Build(melodies)),
        };

        ProbeResult unguarded = free.Run(model, sequences, seed: 3, chords: false);
        ProbeResult guarded = plugin.Run(model, sequences, seed: 3, chords: false);

        Assert.True(unguarded.LongestCopy > 8, $"the test needs a copying model (longest copy {unguarded.LongestCopy})");
        Assert.Equal(unguarded.Songs, guarded.Songs);
        Assert.True(guarded.GeneratedNotes > 0);
        Assert.InRange(guarded.LongestCopy, 0, 8);
        Assert.Equal(0, guarded.CopiesOverEight);
        Assert.True(guarded.InKey.Value >= 0.99, $"in key {guarded.InKey.Value:P1}");
    }

    private static int IndexOfBar(int[] tokens, int bar)
    {
        int seen = -1;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] == Vocabulary.Bar && ++seen == bar)
            {
                return i;
            }
        }

        throw new InvalidOperationException("song too short");
    }

    // Everything but the wall-clock fields.
    private static string Numbers(BaselineReport report) =>
        BaselineReportWriter.ToJson(report with { Seconds = 0, Tracks = report.Tracks.Select(t => t with { Seconds = 0 }).ToList() });
}
