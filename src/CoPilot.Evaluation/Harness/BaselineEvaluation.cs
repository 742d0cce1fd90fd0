using System.Diagnostics;
using CoPilot.Data;
using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Corpus;
using CoPilot.Evaluation.Metrics;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Harness;

/// <summary>NLL of one model on one split.</summary>
public sealed record SplitScore(Split Split, int Songs, long Tokens, double NatsPerToken, double Perplexity);

/// <summary>One baseline on one track: its settings (chosen on valid) and its scores.</summary>
/// <param name="ChosenOnValid">The setting of its family with the lowest valid NLL.</param>
public sealed record ModelScore(string Family, string Name, bool ChosenOnValid, SplitScore Valid, SplitScore Test);

/// <summary>Every baseline on one track, plus the continuation probe of the best one.</summary>
public sealed record TrackResult(
    string Track,
    CorpusSet Set,
    CorpusView View,
    int TrainSongs,
    long TrainTokens,
    int Rejected,
    IReadOnlyList<ModelScore> Models,
    string? ProbedModel,
    ProbeResult? ProbeValid,
    ProbeResult? ProbeTest,
    double Seconds);

/// <summary>Next-different-chord accuracy of the chord-transition n-gram on one set.</summary>
public sealed record ChordScore(string Set, Split Split, int Songs, long Predictions, double Top1, double Top3);

public sealed record BaselineReport(
    DateOnly Date,
    int VocabularySize,
    int HeaderLength,
    SamplingSettings Sampling,
    IReadOnlyList<TrackResult> Tracks,
    IReadOnlyList<ChordScore> NextChord,
    IReadOnlyList<string> LoadFailures,
    double Seconds);

/// <summary>
/// The baseline table of issue 6: every n-gram baseline trained on train, its settings chosen on valid, and
/// valid and test reported, per set and view; then the chord-transition n-gram's next-chord accuracy and
/// continuations probed from held-out prompts. The figures a neural model must beat.
/// </summary>
/// <remarks>
/// Deterministic: models count exactly, ties break by a fixed order, and sampling seeds come from the song's
/// index. Single-threaded on purpose: the figures must not depend on scheduling.
/// </remarks>
public sealed class BaselineEvaluation(CorpusLibrary library)
{
    private CorpusLibrary? _withRepeats;

    /// <summary>How probes sample: the model's own distribution slightly sharpened, nucleus 0.95.</summary>
    public static SamplingSettings ProbeSampling { get; } = new(Temperature: 1.0, TopP: 0.95);

    public const ulong ProbeSeed = 909;

    /// <summary>Reports progress: a line of text per finished step.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Only the first N songs of each split (a smoke run; the report says so).</summary>
    public int? Limit { get; init; }

    public BaselineReport Run(IReadOnlyList<TokenTrack>? tracks = null)
    {
        var total = Stopwatch.StartNew();
        var results = new List<TrackResult>();
        foreach (TokenTrack track in tracks ?? TokenTrack.All)
        {
            results.Add(RunTrack(track));
            Progress?.Invoke($"{track.Name}: {results[^1].Seconds:0.0} s");
        }

        var chords = new List<ChordScore>();
        var failures = new List<LoadFailure>();
        foreach ((string name, CorpusSet set, bool repeats) in new[] { ("Billboard (deduplicated)", CorpusSet.Billboard, false), ("Billboard (with repeats)", CorpusSet.Billboard, true), ("POP909", CorpusSet.Pop909, false), ("Jazz", CorpusSet.JazzProgressions, false) })
        {
            chords.AddRange(NextChord(name, set, repeats, failures));
            Progress?.Invoke($"next chord, {name}");
        }

        var loadFailures = failures.Select(f => $"{f.Path}: {f.Problem}: {f.Detail}").ToList();
        foreach (CorpusSet set in new[] { CorpusSet.Pop909, CorpusSet.Nottingham, CorpusSet.Billboard, CorpusSet.JazzProgressions })
        {
            loadFailures.AddRange(library.Load(set).Failures.Select(f => $"{f.Path}: {f.Problem}: {f.Detail}"));
        }

        return new BaselineReport(
            DateOnly.FromDateTime(DateTime.Now),
            Vocabulary.Size,
            TokenTrack.HeaderLength,
            ProbeSampling,
            results,
            chords,
            loadFailures.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            total.Elapsed.TotalSeconds);
    }

    private TrackResult RunTrack(TokenTrack track)
    {
        var clock = Stopwatch.StartNew();
        CorpusLibrary source = track.WithRepeats ? _withRepeats ??= new CorpusLibrary(library.DataDirectory, deduplicateBillboard: false) : library;
        TokenCorpus trainCorpus = source.Tokens(track.Set, Split.Train, track.View);
        List<int[]> train = trainCorpus.TokenArrays(Limit);
        List<int[]> valid = source.Tokens(track.Set, Split.Valid, track.View).TokenArrays(Limit);
        List<int[]> test = source.Tokens(track.Set, Split.Test, track.View).TokenArrays(Limit);
        int v = Vocabulary.Size;
        int h = TokenTrack.HeaderLength;

        var models = new List<ModelScore>();
        List<TunedCandidate> kn = BaselineTuning.KneserNey(train, valid, v, h);
        AddFamily(models, "Kneser-Ney", kn, test, h, valid.Count);
        List<TunedCandidate> vom = BaselineTuning.VariableOrder(train, valid, v, h);
        AddFamily(models, "Variable-order Markov", vom.Take(1).ToList(), test, h, valid.Count);

        TunedCandidate best = kn[0].Valid.Nats <= vom[0].Valid.Nats ? kn[0] : vom[0];
        ProbeResult? probeValid = null, probeTest = null;
        if (track.Probe)
        {
            var probe = new ContinuationProbe(train, ProbeSampling);
            bool chords = CorpusViews.HasChords(track.View);
            probeValid = probe.Run(best.Model, valid, ProbeSeed, chords);
            probeTest = probe.Run(best.Model, test, ProbeSeed, chords);
        }

        return new TrackResult(
            track.Name,
            track.Set,
            track.View,
            train.Count,
            train.Sum(s => (long)Math.Max(0, s.Length - h)),
            trainCorpus.Rejections.Count,
            models,
            track.Probe ? best.Name : null,
            probeValid,
            probeTest,
            clock.Elapsed.TotalSeconds);
    }

    // Valid decides the setting; test is scored once, for the chosen one and, for Kneser-Ney, each order.
    private static void AddFamily(List<ModelScore> models, string family, List<TunedCandidate> ranked, List<int[]> test, int header, int validSongs)
    {
        foreach (TunedCandidate candidate in family == "Kneser-Ney" ? ranked.OrderBy(c => c.Model.ContextLength) : ranked.AsEnumerable())
        {
            TokenScore testScore = TokenScorer.Score(candidate.Model, test, header);
            models.Add(new ModelScore(
                family,
                candidate.Name,
                ReferenceEquals(candidate, ranked[0]),
                Score(Split.Valid, validSongs, candidate.Valid),
                Score(Split.Test, test.Count, testScore)));
        }
    }

    private static SplitScore Score(Split split, int songs, TokenScore score) =>
        new(split, songs, score.Tokens, score.NatsPerToken, score.Perplexity);

    private IEnumerable<ChordScore> NextChord(string name, CorpusSet set, bool withRepeats, List<LoadFailure> failures)
    {
        ChordBaselineSet chords = ChordBaseline(set, withRepeats, failures);
        foreach ((Split split, List<ChordProgression> progressions) in new[] { (Split.Valid, chords.Valid), (Split.Test, chords.Test) })
        {
            TopKAccuracy accuracy = chords.Baseline.Evaluate(progressions);
            yield return new ChordScore(name, split, progressions.Count, accuracy.Count, accuracy.Accuracy(1).Value, accuracy.Accuracy(3).Value);
        }
    }

    /// <summary>
    /// The chord-transition n-gram of one chord corpus, trained on its train songs and tuned on valid, with the
    /// valid and test progressions it is scored on.
    /// </summary>
    public ChordBaselineSet ChordBaseline(CorpusSet set, bool withRepeats, List<LoadFailure> failures)
    {
        List<ProgressionSong> songs = set switch
        {
            CorpusSet.Billboard => ProgressionSongs.Billboard(library.DataDirectory, failures, deduplicate: !withRepeats),
            CorpusSet.Pop909 => ProgressionSongs.Pop909(library.DataDirectory, failures),
            CorpusSet.JazzProgressions => ProgressionSongs.Jazz(library.DataDirectory, failures),
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, "Next-chord figures exist for Billboard, POP909 and the jazz progressions."),
        };
        List<ChordProgression> Of(Split split)
        {
            IEnumerable<ChordProgression> progressions = songs.Where(s => s.Split == split).Select(s => new ChordProgression(s.Chords, s.Keys));
            return (Limit is int n ? progressions.Take(n) : progressions).ToList();
        }

        List<ChordProgression> valid = Of(Split.Valid);
        ChordTransitions transitions = ChordTransitionBaseline.Train(Of(Split.Train), set.ToString());
        return new ChordBaselineSet(ChordTransitionBaseline.Tune(transitions, valid), valid, Of(Split.Test));
    }
}

/// <summary>A tuned chord-transition n-gram and the valid and test progressions of its corpus.</summary>
public sealed record ChordBaselineSet(ChordTransitionBaseline Baseline, List<ChordProgression> Valid, List<ChordProgression> Test);
