using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Inference.Tokens;

namespace CoPilot.Training.Tests;

public sealed class TrainingCorpusTests
{
    [Fact]
    public void PermissiveOnlyLoadsBillboardAndTheChoralesWithTheirHeaders()
    {
        var corpus = TrainingCorpus.Load(new CorpusLibrary(DataRoot.Path), permissiveLicencesOnly: true);

        Assert.Equal([CorpusSet.Billboard, CorpusSet.JsbChorales], corpus.Sets.Order());
        Assert.Equal(Vocabulary.Size, corpus.VocabSize);
        Assert.NotNull(corpus.Transposition);
        Assert.True(corpus.Train.Count > 600, $"{corpus.Train.Count} train songs");
        Assert.True(corpus.Valid.Count > 100, $"{corpus.Valid.Count} valid songs");
        Assert.All(corpus.Train.Concat(corpus.Valid), song => Assert.Equal(Vocabulary.Bos, song[0]));
        var tasks = corpus.Train.Select(song => song[2]).ToHashSet();
        Assert.Equal([Vocabulary.TaskToken(GenerationTask.Harmonize), Vocabulary.TaskToken(GenerationTask.NextChords)], tasks.Order());
    }

    [Fact]
    public void PermissiveOnlyRefusesAnExplicitNonPermissiveSelection()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TrainingCorpus.Load(new CorpusLibrary(DataRoot.Path), permissiveLicencesOnly: true, [(CorpusSet.JsbChorales, CorpusView.Chorale), (CorpusSet.Nottingham, CorpusView.Melody)]));

        Assert.Contains("Nottingham", error.Message, StringComparison.Ordinal);
    }
}
