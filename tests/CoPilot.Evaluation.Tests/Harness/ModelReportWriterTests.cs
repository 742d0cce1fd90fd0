using CoPilot.Evaluation.Harness;

namespace CoPilot.Evaluation.Tests.Harness;

public class ModelReportWriterTests
{
    private const string Command = "dotnet run -c Release --project src/CoPilot.Cli -- eval model";

    [Fact]
    public void The_committed_report_is_what_its_JSON_writes()
    {
        // docs/evaluation/model.md is generated from the same report as model.json: regenerating it from the JSON
        // must give the committed text, so the Markdown can be trusted to show the measured numbers.
        string folder = Path.Combine(RepositoryRoot(), "docs", "evaluation");
        ModelReport? report = ModelReportWriter.FromJson(File.ReadAllText(Path.Combine(folder, "model.json")));

        Assert.NotNull(report);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "model.md")), ModelReportWriter.ToMarkdown(report, Command));
        ModelReport? back = ModelReportWriter.FromJson(ModelReportWriter.ToJson(report));
        Assert.NotNull(back);
        Assert.Equal(ModelReportWriter.ToJson(report), ModelReportWriter.ToJson(back));
    }

    [Fact]
    public void Every_section_is_written_when_measured()
    {
        string folder = Path.Combine(RepositoryRoot(), "docs", "evaluation");
        ModelReport report = ModelReportWriter.FromJson(File.ReadAllText(Path.Combine(folder, "model.json")))!;

        string markdown = ModelReportWriter.ToMarkdown(report, Command);

        Assert.Contains("## INT8 against FP32", markdown, StringComparison.Ordinal);
        Assert.Contains("## Next different chord", markdown, StringComparison.Ordinal);
        Assert.Contains("### As the plugin plays them", markdown, StringComparison.Ordinal);
        Assert.Contains("| Billboard (deduplicated) | test |", markdown, StringComparison.Ordinal);
        Assert.Contains("### Does the model remember the song?", markdown, StringComparison.Ordinal);
        string bare = ModelReportWriter.ToMarkdown(report with { NextChord = [], Repeats = [], Quantisation = null, Tracks = [.. report.Tracks.Select(t => t with { PluginProbeValid = null, PluginProbeTest = null })] }, Command);
        Assert.DoesNotContain("## Next different chord", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("## INT8 against FP32", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("### Does the model remember the song?", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("### As the plugin plays them", bare, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoPilot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CoPilot.sln not found above the test binaries.");
    }
}
