using System.Diagnostics;
using CoPilot.Data;
using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Corpus;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;

namespace CoPilot.Evaluation.Harness;

/// <summary>The model on one track beside the best baseline of the committed baseline table.</summary>
/// <param name="BaselineValid">The best baseline's valid NLL (null when the baseline table lacks the track).</param>
public sealed record ModelTrackResult(
    string Track,
    SplitScore Valid,
    SplitScore Test,
    string? Baseline,
    double? BaselineValid,
    double? BaselineTest,
    ProbeResult? ProbeValid,
    ProbeResult? ProbeTest,
    ProbeResult? PluginProbeValid = null,
    ProbeResult? PluginProbeTest = null);

/// <summary>INT8 against FP32 on the same positions (CoPilot.Export's QuantizationReport): how much quantisation changes the model.</summary>
public sealed record QuantisationCheck(long Positions, double TopOneAgreement, double Fp32Nll, double Int8Nll)
{
    public double RelativeNllChange => Math.Abs(Int8Nll - Fp32Nll) / Fp32Nll;
}

public sealed record ModelReport(
    DateOnly Date,
    string Model,
    string Format,
    int Layers,
    int Dim,
    int Heads,
    int ContextLength,
    IReadOnlyList<ModelTrackResult> Tracks,
    IReadOnlyList<ModelChordScore> NextChord,
    QuantisationCheck? Quantisation,
    double Seconds,
    IReadOnlyList<ModelRepeatScore>? Repeats = null,
    IReadOnlyList<ModelAccompanimentScore>? Accompaniment = null);

/// <summary>One accompanist's agreement with one set's own chords (<see cref="AccompanimentProbe"/>).</summary>
public sealed record ModelAccompanimentScore(string Set, Split Split, string Method, AccompanimentResult Result);

/// <summary>The model's chord-root accuracy reading a song's opening once and again (<see cref="RepeatProbe"/>), on one set's valid songs.</summary>
public sealed record ModelRepeatScore(string Set, RepeatResult Result);

/// <summary>
/// The model's next-different-chord accuracy on one set and split, with the chord n-gram's on the same changes
/// (inside <see cref="Result"/>) and its committed figures on its own progressions.
/// </summary>
public sealed record ModelChordScore(string Set, Split Split, NextChordResult Result, double? TableTop1, double? TableTop3);

/// <summary>
/// Scores an exported model on the baseline table's tracks (same tokens, same header, same splits), probes
/// its continuations the same way, and checks INT8 against FP32 (issue 7's done-when figures).
/// </summary>
public sealed class ModelEvaluation(CorpusLibrary library)
{
    public Action<string>? Progress { get; init; }

    public int? Limit { get; init; }

    /// <summary>The chord sets of the next-chord figures, named as in the baseline table.</summary>
    public static IReadOnlyList<(string Name, CorpusSet Set)> ChordSets { get; } =
        [("Billboard (deduplicated)", CorpusSet.Billboard), ("POP909", CorpusSet.Pop909), ("Jazz", CorpusSet.JazzProgressions)];

    /// <summary>
    /// The originality index shipped with the model: melody tracks are probed a second time through the plugin's
    /// sampler with it (<see cref="ProbeConstraints.PluginMelody"/>); null probes them with the key mask alone.
    /// </summary>
    public OriginalityIndex? Originality { get; init; }

    /// <summary>Whether <see cref="Run"/> measures next-chord accuracy (off for quick runs on a few tracks).</summary>
    public bool NextChord { get; init; } = true;

    /// <param name="baselines">The committed baseline table, for the side-by-side figures (may be null).</param>
    /// <param name="quantisation">INT8 against FP32 on <see cref="ValidSequences"/>, measured by the caller (may be null).</param>
    public ModelReport Run(string modelPath, OnnxDecoder model, BaselineReport? baselines, QuantisationCheck? quantisation, IReadOnlyList<TokenTrack>? tracks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var clock = Stopwatch.StartNew();
        var results = new List<ModelTrackResult>();
        var adapter = new OnnxTokenModel(model);
        foreach (TokenTrack track in (tracks ?? TokenTrack.All).Where(t => !t.WithRepeats))
        {
            var trackClock = Stopwatch.StartNew();
            List<int[]> valid = library.Tokens(track.Set, Split.Valid, track.View).TokenArrays(Limit);
            List<int[]> test = library.Tokens(track.Set, Split.Test, track.View).TokenArrays(Limit);
            TokenScore validScore = WindowScorer.Score(model, valid, TokenTrack.HeaderLength);
            TokenScore testScore = WindowScorer.Score(model, test, TokenTrack.HeaderLength);
            ProbeResult? probeValid = null, probeTest = null, pluginValid = null, pluginTest = null;
            if (track.Probe)
            {
                List<int[]> train = library.Tokens(track.Set, Split.Train, track.View).TokenArrays(Limit);
                var probe = new ContinuationProbe(train, BaselineEvaluation.ProbeSampling);
                bool chords = CorpusViews.HasChords(track.View);
                probeValid = probe.Run(adapter, valid, BaselineEvaluation.ProbeSeed, chords);
                probeTest = probe.Run(adapter, test, BaselineEvaluation.ProbeSeed, chords);
                if (track.View == CorpusView.Melody)
                {
                    var plugin = new ContinuationProbe(train, BaselineEvaluation.ProbeSampling)
                    {
                        Constraints = ProbeConstraints.PluginMelody(BaselineEvaluation.ProbeSampling, Originality),
                    };
                    pluginValid = plugin.Run(adapter, valid, BaselineEvaluation.ProbeSeed, chords);
                    pluginTest = plugin.Run(adapter, test, BaselineEvaluation.ProbeSeed, chords);
                }
            }

            TrackResult? baseline = baselines?.Tracks.FirstOrDefault(t => t.Track == track.Name);
            ModelScore? best = baseline is null ? null : BaselineReportWriter.Best(baseline);
            results.Add(new ModelTrackResult(
                track.Name,
                new SplitScore(Split.Valid, valid.Count, validScore.Tokens, validScore.NatsPerToken, validScore.Perplexity),
                new SplitScore(Split.Test, test.Count, testScore.Tokens, testScore.NatsPerToken, testScore.Perplexity),
                best?.Name,
                best?.Valid.NatsPerToken,
                best is { Test.Tokens: > 0 } ? best.Test.NatsPerToken : null,
                probeValid,
                probeTest,
                pluginValid,
                pluginTest));
            Progress?.Invoke($"{track.Name}: valid {validScore.NatsPerToken:F3}, test {testScore.NatsPerToken:F3} nats/token ({trackClock.Elapsed.TotalSeconds:F0} s)");
        }

        List<ModelChordScore> nextChord = NextChord ? NextChordScores(model, baselines) : [];
        List<ModelRepeatScore> repeats = NextChord ? RepeatScores(model) : [];
        List<ModelAccompanimentScore> accompaniment = NextChord ? AccompanimentScores(model) : [];
        return new ModelReport(
            DateOnly.FromDateTime(DateTime.Now),
            Path.GetFileName(modelPath),
            model.Info.WeightFormat.ToString(),
            model.Info.Layers,
            model.Info.Dim,
            model.Info.Heads,
            model.Info.ContextLength,
            results,
            nextChord,
            quantisation,
            clock.Elapsed.TotalSeconds,
            repeats,
            accompaniment);
    }

    /// <summary>The lead-sheet sets the accompanists are measured on.</summary>
    public static IReadOnlyList<(string Name, CorpusSet Set)> LeadSheetSets { get; } =
        [("POP909", CorpusSet.Pop909), ("Nottingham", CorpusSet.Nottingham)];

    private List<ModelAccompanimentScore> AccompanimentScores(OnnxDecoder model)
    {
        var scores = new List<ModelAccompanimentScore>();
        var probe = new AccompanimentProbe(model);
        var source = new OnnxLogitsSource(model);
        foreach ((string name, CorpusSet set) in LeadSheetSets)
        {
            foreach (Split split in (Split[])[Split.Valid, Split.Test])
            {
                var clock = Stopwatch.StartNew();
                IReadOnlyList<int[]> sheets = library.Tokens(set, split, CorpusView.LeadSheet).TokenArrays(Limit);
                scores.Add(new(name, split, AccompanimentMethods.Tonic, AccompanimentProbe.RunTonic(sheets)));
                scores.Add(new(name, split, AccompanimentMethods.LookingAhead, probe.Run(sheets, new AccompanistSettings(Temperature: 0, LookAhead: AccompanistSettings.FileLookAhead))));
                scores.Add(new(name, split, AccompanimentMethods.File, probe.Run(sheets, new AccompanistSettings(Temperature: 0))));
                scores.Add(new(name, split, AccompanimentMethods.FileWithoutMemory, probe.Run(sheets, new AccompanistSettings(Temperature: 0, SongMemory: false))));
                scores.Add(new(name, split, AccompanimentMethods.LiveModel, AccompanimentProbe.RunLive(sheets, () => new ModelAccompanist(source))));
                scores.Add(new(name, split, AccompanimentMethods.LiveRules, AccompanimentProbe.RunLive(sheets, () => new RuleAccompanist())));
                Progress?.Invoke($"accompaniment, {name} {split}: {string.Join(", ", scores.TakeLast(6).Select(s => $"{s.Method} root {s.Result.RootAccuracy:P1}"))} ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }

        return scores;
    }

    private List<ModelRepeatScore> RepeatScores(OnnxDecoder model)
    {
        var probe = new RepeatProbe(model);
        var scores = new List<ModelRepeatScore>();
        foreach ((string name, CorpusSet set) in ChordSets)
        {
            RepeatResult result = probe.Run(library.Tokens(set, Split.Valid, CorpusView.Chords).TokenArrays(Limit));
            scores.Add(new ModelRepeatScore(name, result));
            Progress?.Invoke($"repeat, {name} valid: chord-root top-1 {result.FirstTop1:P1} first reading, {result.SecondTop1:P1} second");
        }

        return scores;
    }

    /// <summary>
    /// Next-chord accuracy with the song cache over a θ × λ grid on the <b>valid</b> split of every chord set
    /// (<see cref="NextChordProbe.SweepCache"/>): the search behind <see cref="ContinuousCache"/>'s defaults.
    /// </summary>
    public IReadOnlyList<(string Set, IReadOnlyList<CacheSweepPoint> Points)> CacheSweep(OnnxDecoder model, IReadOnlyList<float> thetas, IReadOnlyList<float> lambdas)
    {
        var probe = new NextChordProbe(model);
        var results = new List<(string, IReadOnlyList<CacheSweepPoint>)>();
        foreach ((string name, CorpusSet set) in ChordSets)
        {
            var clock = Stopwatch.StartNew();
            results.Add((name, probe.SweepCache(library.Tokens(set, Split.Valid, CorpusView.Chords).TokenArrays(Limit), thetas, lambdas)));
            Progress?.Invoke($"cache sweep, {name} valid ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        return results;
    }

    private List<ModelChordScore> NextChordScores(OnnxDecoder model, BaselineReport? baselines)
    {
        var scores = new List<ModelChordScore>();
        var probe = new NextChordProbe(model);
        var ngrams = new BaselineEvaluation(library) { Limit = Limit };
        var failures = new List<LoadFailure>();
        foreach ((string name, CorpusSet set) in ChordSets)
        {
            var clock = Stopwatch.StartNew();
            ChordTransitionBaseline baseline = ngrams.ChordBaseline(set, withRepeats: false, failures).Baseline;
            foreach (Split split in (Split[])[Split.Valid, Split.Test])
            {
                NextChordResult result = probe.Run(library.Tokens(set, split, CorpusView.Chords).TokenArrays(Limit), baseline);
                ChordScore? table = baselines?.NextChord.FirstOrDefault(c => c.Set == name && c.Split == split);
                scores.Add(new ModelChordScore(name, split, result, table?.Top1, table?.Top3));
                Progress?.Invoke($"next chord, {name} {split}: model top-3 {result.ModelTop3:P1}, with cache {result.CacheTop3:P1}, n-gram on the same changes {result.BaselineTop3:P1} ({result.Changes:N0} changes, {clock.Elapsed.TotalSeconds:F0} s)");
            }
        }

        return scores;
    }

    /// <summary>The valid sequences of every track: where INT8 is checked against FP32.</summary>
    public List<int[]> ValidSequences(IReadOnlyList<TokenTrack>? tracks = null)
    {
        var sequences = new List<int[]>();
        foreach (TokenTrack track in (tracks ?? TokenTrack.All).Where(t => !t.WithRepeats))
        {
            sequences.AddRange(library.Tokens(track.Set, Split.Valid, track.View).TokenArrays(Limit));
        }

        return sequences;
    }
}
