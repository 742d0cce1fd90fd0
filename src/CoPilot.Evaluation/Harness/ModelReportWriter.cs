using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoPilot.Evaluation.Metrics;
using CoPilot.Inference.Sampling;
using static CoPilot.Evaluation.Harness.ReportText;

namespace CoPilot.Evaluation.Harness;

/// <summary>Writes a <see cref="ModelReport"/> as Markdown (docs/evaluation/model.md) and JSON.</summary>
public static class ModelReportWriter
{
    /// <summary>Issue 7: the model's NLL must be at least this much below the best n-gram's on the melody tracks.</summary>
    public const double RequiredNllGain = 0.15;

    /// <summary>Issue 7: the model's next-chord top-3 must be this far above the chord n-gram's on test.</summary>
    public const double RequiredTop3Gain = 0.10;

    public static string ToJson(ModelReport report) => JsonSerializer.Serialize(report, ModelJsonContext.Default.ModelReport);

    /// <summary>A report written by <see cref="ToJson"/>, e.g. the committed docs/evaluation/model.json.</summary>
    public static ModelReport? FromJson(string json) => JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelReport);

    public static string ToMarkdown(ModelReport report, string command)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        Line(md, "# The co-pilot model against the baselines");
        Line(md);
        Line(md, $"Run on {report.Date:yyyy-MM-dd} in {report.Seconds / 60:0.0} min by");
        Line(md);
        Line(md, "```");
        Line(md, command);
        Line(md, "```");
        Line(md);
        Line(md, $"Model `{report.Model}` ({report.Format}, {report.Layers} layers, d={report.Dim}, {report.Heads} heads, context {report.ContextLength}), read");
        Line(md, "through ONNX Runtime exactly as the plugin reads it. The tracks, tokens, header and splits are those of");
        Line(md, "[baselines.md](baselines.md); sequences longer than the context are read in windows advancing by half a context, so");
        Line(md, "every token is predicted with at least half a context of history. \"Gain\" is how far the model's NLL is below the");
        Line(md, $"best baseline's (issue 7 asks for at least {RequiredNllGain:P0} on POP909 and Nottingham melodies).");
        Line(md);
        Line(md, "| track | valid NLL | best baseline (valid) | gain | test NLL | baseline (test) | gain |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|");
        foreach (ModelTrackResult t in report.Tracks)
        {
            Line(md, $"| {t.Track} | {F(t.Valid.NatsPerToken, 3)} | {F(t.BaselineValid, 3)} | {Gain(t.Valid.NatsPerToken, t.BaselineValid)} | {(t.Test.Tokens == 0 ? "–" : F(t.Test.NatsPerToken, 3))} | {F(t.BaselineTest, 3)} | {(t.Test.Tokens == 0 ? "–" : Gain(t.Test.NatsPerToken, t.BaselineTest))} |");
        }

        Line(md);
        if (report.Quantisation is { } q)
        {
            Line(md, "## INT8 against FP32");
            Line(md);
            Line(md, $"Over {q.Positions:N0} valid positions of every track (the first context of each sequence): top-1 agreement **{q.TopOneAgreement:P2}** (issue 7: ≥ 98 %),");
            Line(md, $"NLL {F(q.Fp32Nll, 4)} (FP32) and {F(q.Int8Nll, 4)} (INT8), a change of **{q.RelativeNllChange:P2}** (issue 7: within 2 %).");
            Line(md);
        }

        if (report.NextChord.Count > 0)
        {
            Line(md, "## Next different chord");
            Line(md);
            Line(md, "Top-1 and top-3 accuracy of the next different chord as a key-relative chord (degree and chord class, 108 in all), on");
            Line(md, "the chord-view tokens. The model reads the song up to where the next chord starts and ranks the chords that differ");
            Line(md, "from the sounding one (P(root) · P(quality | root), summed per class). *With cache*: the same model with its continuous");
            Line(md, $"cache (Grave et al. 2017; `ContinuousCache`, θ = {ContinuousCache.DefaultTheta:0}, λ = {ContinuousCache.DefaultLambda:0.##}, chosen on valid by `eval model --cache-sweep`): its hidden state where each earlier change");
            Line(md, "of the song was predicted, with the chord that came, matched by cosine similarity against the state now, as the live");
            Line(md, "accompanist does. The chord n-gram is ranked on the same changes with the same exclusion; its figures on its own");
            Line(md, $"progressions ([baselines.md](baselines.md)) are the issue's bar (issue 7 asks for top-3 at least {RequiredTop3Gain * 100:0} points above them on test).");
            Line(md, "The plugin's on-screen suggester (n-gram + song memory + rules) is scored on the same changes in [music.md](music.md).");
            Line(md);
            Line(md, "| set | split | changes | model top-1 | model top-3 | with cache top-1 | with cache top-3 | n-gram top-1 (same changes) | n-gram top-3 (same changes) | n-gram top-3 (baselines.md) | top-3 gain, model (points) | top-3 gain, with cache (points) |");
            Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (ModelChordScore c in report.NextChord)
            {
                NextChordResult r = c.Result;
                string Gain(double top3) => c.TableTop3 is double t && !double.IsNaN(top3) ? ((top3 - t) * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) : "–";
                Line(md, $"| {c.Set} | {c.Split.ToString().ToLowerInvariant()} | {r.Changes:N0} | {F(r.ModelTop1, 3)} | {F(r.ModelTop3, 3)} | {F(r.CacheTop1, 3)} | {F(r.CacheTop3, 3)} | {F(r.BaselineTop1, 3)} | {F(r.BaselineTop3, 3)} | {F(c.TableTop3, 3)} | {Gain(r.ModelTop3)} | {Gain(r.CacheTop3)} |");
            }

            Line(md);
        }

        if (report.Repeats is { Count: > 0 } repeats)
        {
            Line(md, "### Does the model remember the song?");
            Line(md);
            Line(md, $"Each valid song's opening (up to {RepeatProbe.MaxSectionTokens} chord-view tokens, cut at a bar line) is read twice in a row, as a repeat");
            Line(md, "sign has it, and the model predicts every chord root of both readings. A model that remembers what it read gets the");
            Line(md, "second reading almost all right; one that knows only what usually follows scores as it did the first time. *Recall*");
            Line(md, "is the share of the first reading's misses that the second reading gets right.");
            Line(md);
            Line(md, "| set | songs | roots per reading | top-1, first reading | top-1, second reading | P(root), first | P(root), second | recall |");
            Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (ModelRepeatScore r in repeats)
            {
                RepeatResult x = r.Result;
                Line(md, $"| {r.Set} | {x.Songs} | {x.Roots:N0} | {F(x.FirstTop1, 3)} | {F(x.SecondTop1, 3)} | {F(x.FirstProbability, 3)} | {F(x.SecondProbability, 3)} | {x.Recall:P0} |");
            }

            Line(md);
        }

        if (report.Accompaniment is { Count: > 0 } accompaniment)
        {
            Line(md, "## Accompaniment: agreement with the songs' own chords");
            Line(md);
            Line(md, "The accompanists harmonise held-out lead-sheet melodies without seeing a chord of the song, at temperature / creativity");
            Line(md, "0, choosing each chord from the melody before it (causal, as live) or, for `copilot accompany`, also weighing each of");
            Line(md, "the three likeliest chords (and holding the one sounding) by how likely the model finds the melody up to the next bar");
            Line(md, "line under it (P(chord | before) · P(melody ahead | before, chord)). Their chords are compared with the song's, beat by");
            Line(md, "beat from its first chord (`AccompanimentProbe`). A song's chords are one good answer of many, so the figures compare");
            Line(md, "accompanists; the floor is the key's tonic chord held all through. Live runs feed note events and ask for each slot a");
            Line(md, "quarter beat ahead, with the key the live tracker hears; they take songs in one metre only.");
            Line(md);
            Line(md, "| set | split | accompanist | songs | root | root and class | chord changes per bar (song's) |");
            Line(md, "|---|---|---|---:|---:|---:|---:|");
            foreach (ModelAccompanimentScore a in accompaniment)
            {
                AccompanimentResult x = a.Result;
                Line(md, $"| {a.Set} | {a.Split.ToString().ToLowerInvariant()} | {a.Method} | {x.Songs} | {F(x.RootAccuracy, 3)} | {F(x.ClassAccuracy, 3)} | {F(x.ChangesPerBar, 2)} ({F(x.ReferenceChangesPerBar, 2)}) |");
            }

            Line(md);
        }

        Line(md, "## Continuations from held-out prompts");
        Line(md);
        Line(md, "Same probe as the baselines (first 4 bars as prompt, 8 bars continued, temperature 1, top-p 0.95, grammar only: no key");
        Line(md, "mask, no originality guard), so the figures show what the model itself has learned; the plugin adds the key mask and");
        Line(md, "the guard on top.");
        Line(md);
        ProbeTable(md, report.Tracks, t => (t.ProbeValid, t.ProbeTest));

        if (report.Tracks.Any(t => t.PluginProbeTest is not null))
        {
            Line(md);
            Line(md, "### As the plugin plays them");
            Line(md);
            Line(md, "The melody probes again, drawn through the plugin's `ConstrainedSampler` as its Continue mode draws them: the key's");
            Line(md, "scale (minor: natural, harmonic and melodic), melody only, the repetition guard and the originality guard over the");
            Line(md, "shipped `originality.bin` (no 9-note run of a train melody, in any key). Same prompts, seeds, temperature and nucleus.");
            Line(md, "Issue 7 asks for note-in-key ≥ 95 % and no copy longer than 8 notes on test.");
            Line(md);
            ProbeTable(md, report.Tracks, t => (t.PluginProbeValid, t.PluginProbeTest));
        }

        return md.ToString();
    }

    private static void ProbeTable(StringBuilder md, IReadOnlyList<ModelTrackResult> tracks, Func<ModelTrackResult, (ProbeResult? Valid, ProbeResult? Test)> probes)
    {
        Line(md, "| track | split | songs | notes (real) | in key (real) | in chord (real) | pitch-class dist. | IOI dist. | longest copy | mean copy (real) | copies > 8 notes |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ModelTrackResult t in tracks)
        {
            (ProbeResult? valid, ProbeResult? test) = probes(t);
            foreach ((string split, ProbeResult? p) in new[] { ("valid", valid), ("test", test) })
            {
                if (p is not null)
                {
                    Line(md, $"| {t.Track} | {split} | {ProbeCells(p)}");
                }
            }
        }
    }

    private static string Gain(double model, double? baseline) =>
        baseline is double b && b > 0 ? ((b - model) / b).ToString("P1", CultureInfo.InvariantCulture) : "–";
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelReport))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
