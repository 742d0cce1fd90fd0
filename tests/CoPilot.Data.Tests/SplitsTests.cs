namespace CoPilot.Data.Tests;

public class SplitsTests
{
    [Theory]
    [InlineData(1, Split.Valid)]
    [InlineData(2, Split.Train)]
    [InlineData(9, Split.Train)]
    [InlineData(10, Split.Test)]
    [InlineData(11, Split.Valid)]
    [InlineData(900, Split.Test)]
    [InlineData(901, Split.Valid)]
    [InlineData(909, Split.Train)]
    public void Pop909_splits_by_song_number_mod_10(int number, Split expected) =>
        Assert.Equal(expected, Splits.Of(CorpusSet.Pop909, number));

    [Fact]
    public void Pop909_split_sizes_match_the_readme()
    {
        var splits = Enumerable.Range(1, 909).Select(n => Splits.Of(CorpusSet.Pop909, n)).ToList();
        Assert.Equal(90, splits.Count(s => s == Split.Test));
        Assert.Equal(91, splits.Count(s => s == Split.Valid));
        Assert.Equal(728, splits.Count(s => s == Split.Train));
    }

    [Theory]
    [InlineData(3, Split.Train)]
    [InlineData(10, Split.Test)]
    [InlineData(1000, Split.Test)]
    [InlineData(1001, Split.Valid)]
    [InlineData(1291, Split.Valid)]
    [InlineData(1295, Split.Train)]
    public void Billboard_splits_by_folder_number_mod_10(int folder, Split expected) =>
        Assert.Equal(expected, Splits.Of(CorpusSet.Billboard, folder));

    [Theory]
    [InlineData(CorpusSet.Nottingham)]
    [InlineData(CorpusSet.JazzProgressions)]
    public void Index_based_sets_split_by_sorted_index_mod_10(CorpusSet set)
    {
        Assert.Equal(Split.Test, Splits.Of(set, 0));
        Assert.Equal(Split.Valid, Splits.Of(set, 1));
        Assert.Equal(Split.Train, Splits.Of(set, 2));
        Assert.Equal(Split.Train, Splits.Of(set, 19));
        Assert.Equal(Split.Test, Splits.Of(set, 20));
        Assert.Equal(Split.Valid, Splits.Of(set, 21));
    }

    [Fact]
    public void Sort_for_split_is_ordinal_with_forward_slashes()
    {
        var sorted = Splits.SortForSplit(["b.mid", "a10.mid", "B.mid", "a2.mid", @"Songs[H-O]\x.txt", "Songs[#,A-G]/y.txt"]);
        Assert.Equal(["B.mid", "Songs[#,A-G]/y.txt", "Songs[H-O]/x.txt", "a10.mid", "a2.mid", "b.mid"], sorted);
    }

    [Fact]
    public void Jsb_uses_its_own_keys()
    {
        Assert.Equal(Split.Train, Splits.OfJsbKey("train"));
        Assert.Equal(Split.Valid, Splits.OfJsbKey("valid"));
        Assert.Equal(Split.Test, Splits.OfJsbKey("test"));
        Assert.Throws<ArgumentException>(() => Splits.OfJsbKey("validation"));
        Assert.Throws<ArgumentException>(() => Splits.Of(CorpusSet.JsbChorales, 3));
    }

    [Fact]
    public void Style_follows_the_set()
    {
        Assert.Equal(StyleTag.Pop, Corpus.StyleOf(CorpusSet.Pop909));
        Assert.Equal(StyleTag.Rock, Corpus.StyleOf(CorpusSet.Billboard));
        Assert.Equal(StyleTag.Folk, Corpus.StyleOf(CorpusSet.Nottingham));
        Assert.Equal(StyleTag.Chorale, Corpus.StyleOf(CorpusSet.JsbChorales));
        Assert.Equal(StyleTag.Jazz, Corpus.StyleOf(CorpusSet.JazzProgressions));
    }
}
