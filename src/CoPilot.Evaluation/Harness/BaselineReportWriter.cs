using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoPilot.Data;
using CoPilot.Evaluation.Metrics;
using static CoPilot.Evaluation.Harness.ReportText;

namespace CoPilot.Evaluation.Harness;

/// <summary>Writes a <see cref="BaselineReport"/> as the committed Markdown table and as JSON for tools.</summary>
public static class BaselineReportWriter
{
    public static string ToJson(BaselineReport report) => JsonSerializer.Serialize(report, BaselineJsonContext.Default.BaselineReport);

    public static BaselineReport? FromJson(string json) => JsonSerializer.Deserialize(json, BaselineJsonContext.Default.BaselineReport);

    /// <param name="command">The command that reproduces the report, quoted in it.</param>
    public static string ToMarkdown(BaselineReport report, string command)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        Line(md, "# Baselines");
        Line(md);
        Line(md, $"Run on {report.Date:yyyy-MM-dd} in {report.Seconds / 60:0.0} min (2 cores) by");
        Line(md);
        Line(md, "```");
        Line(md, command);
        Line(md, "```");
        Line(md);
        Line(md, "What every CoPilot model is judged by (issue 6). Splits are the fixed ones of ../shared/data/README.md; every");
        Line(md, "baseline is trained on **train**, its settings (Kneser-Ney order, context length and escape of the variable-order");
        Line(md, "model, the chord n-gram's weights) are chosen on **valid**, and **test** is reported, never tuned on. Billboard");
        Line(md, "valid and test are deduplicated against train (the data README's known trap); the rows \"with repeats\" keep them, only to");
        Line(md, "show how much the repeats inflate a figure. The run is deterministic: the same");
        Line(md, "command gives the same numbers. The JSB chorales have no test split here (the data README): their test cells are empty.");
        Line(md);
        Line(md, $"Tokens: the event vocabulary of `CoPilot.Inference.Tokens.Vocabulary` ({report.VocabularySize} tokens, 12 ticks per beat). NLL is in nats");
        Line(md, $"per token over every token after the {report.HeaderLength}-token header `Bos Style Task Key Metre` (conditioning, not predicted),");
        Line(md, "including `Eos`; perplexity = e^NLL. Lower is better.");
        Line(md);

        Line(md, "## NLL per token");
        Line(md);
        Line(md, "| track | model | chosen on valid | valid NLL | valid ppl | test NLL | test ppl | train songs | train tokens |");
        Line(md, "|---|---|:-:|---:|---:|---:|---:|---:|---:|");
        foreach (TrackResult track in report.Tracks)
        {
            foreach (ModelScore model in track.Models)
            {
                Line(md, $"| {track.Track} | {model.Name} | {(model.ChosenOnValid ? "✓" : "")} | {N(model.Valid)} | {Ppl(model.Valid)} | {N(model.Test)} | {Ppl(model.Test)} | {track.TrainSongs} | {track.TrainTokens:N0} |");
            }
        }

        Line(md);
        Line(md, "Best baseline per track (lowest valid NLL), the figure a model must beat:");
        Line(md);
        Line(md, "| track | best baseline | valid NLL | test NLL | valid songs / tokens | test songs / tokens |");
        Line(md, "|---|---|---:|---:|---:|---:|");
        foreach (TrackResult track in report.Tracks)
        {
            ModelScore best = Best(track);
            Line(md, $"| {track.Track} | {best.Name} | {N(best.Valid)} | {N(best.Test)} | {best.Valid.Songs} / {best.Valid.Tokens:N0} | {best.Test.Songs} / {best.Test.Tokens:N0} |");
        }

        Line(md);
        Line(md, "## Next different chord");
        Line(md);
        Line(md, "The chord-transition n-gram (interpolated trigram over key-relative chords, weights chosen on valid by top-1 + top-3):");
        Line(md, "accuracy of the next different chord's degree and chord class, as `copilot eval next-chord` counts it.");
        Line(md);
        Line(md, "| set | split | songs | predictions | top-1 | top-3 |");
        Line(md, "|---|---|---:|---:|---:|---:|");
        foreach (ChordScore score in report.NextChord)
        {
            Line(md, $"| {score.Set} | {score.Split.ToString().ToLowerInvariant()} | {score.Songs} | {score.Predictions:N0} | {F(score.Top1, 3)} | {F(score.Top3, 3)} |");
        }

        Line(md);
        Line(md, "## Continuations from held-out prompts");
        Line(md);
        Line(md, $"The best baseline of each probed track continues every held-out song from its first {ContinuationProbe.PromptBars} bars for {ContinuationProbe.ContinuationBars} bars");
        Line(md, $"(temperature {F(report.Sampling.Temperature, 2)}, top-p {F(report.Sampling.TopP, 2)}, constrained only by the token grammar, one seed per song), and the melody");
        Line(md, "it writes is compared with what the song really does in those bars (\"real\"). In key: the song's opening key (minor");
        Line(md, "counts natural, harmonic and melodic scales). In chord: notes in the chord the continuation itself states (lead");
        Line(md, "sheets). Distances: total variation between pitch-class and inter-onset-interval histograms of the generated and real");
        Line(md, "continuation, mean over songs (0 = same shape, 1 = disjoint). Copy: the longest run of generated pitches found verbatim");
        Line(md, "in a train melody of the same view.");
        Line(md);
        Line(md, "| track | split | model | songs | notes (real) | in key (real) | in chord (real) | pitch-class dist. | IOI dist. | longest copy | mean copy (real) | copies > 8 notes |");
        Line(md, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (TrackResult track in report.Tracks)
        {
            foreach ((Split split, ProbeResult? probe) in new[] { (Split.Valid, track.ProbeValid), (Split.Test, track.ProbeTest) })
            {
                if (probe is null)
                {
                    continue;
                }

                Line(md, $"| {track.Track} | {split.ToString().ToLowerInvariant()} | {track.ProbedModel} | {ProbeCells(probe)}");
            }
        }

        Line(md);
        Line(md, "## Data");
        Line(md);
        Line(md, "| track | train songs | rejected by the tokenizer | seconds |");
        Line(md, "|---|---:|---:|---:|");
        foreach (TrackResult track in report.Tracks)
        {
            Line(md, $"| {track.Track} | {track.TrainSongs} | {track.Rejected} | {F(track.Seconds, 1)} |");
        }

        Line(md);
        Line(md, report.LoadFailures.Count == 0 ? "Every file loaded." : $"Files that could not be read ({report.LoadFailures.Count}):");
        foreach (string failure in report.LoadFailures)
        {
            Line(md, $"- {failure}");
        }

        return md.ToString();
    }

    /// <summary>The lowest-valid-NLL model of a track (across families).</summary>
    public static ModelScore Best(TrackResult track)
    {
        ArgumentNullException.ThrowIfNull(track);
        ModelScore best = track.Models[0];
        foreach (ModelScore model in track.Models)
        {
            if (model.Valid.NatsPerToken < best.Valid.NatsPerToken)
            {
                best = model;
            }
        }

        return best;
    }

    // A split with no tokens (JSB has no test split in ../shared/data) shows a dash, not 0.
    private static string N(SplitScore score) => score.Tokens == 0 ? "–" : F(score.NatsPerToken, 3);

    private static string Ppl(SplitScore score) => score.Tokens == 0 ? "–" : F(score.Perplexity, 2);
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(BaselineReport))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
