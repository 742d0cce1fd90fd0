namespace CoPilot.Data.Tests;

public class JsbLoaderTests
{
    private static readonly IReadOnlyDictionary<Split, IReadOnlyList<JsbChorale>> All =
        JsbLoader.LoadAll(JsbLoader.PathIn(DataRoot.Path));

    [Fact]
    public void Real_file_has_229_train_and_76_valid_chorales_and_no_test()
    {
        Assert.Equal(229, All[Split.Train].Count);
        Assert.Equal(76, All[Split.Valid].Count);
        Assert.False(All.ContainsKey(Split.Test));
        Assert.Equal(76, JsbLoader.Load(JsbLoader.PathIn(DataRoot.Path), Split.Valid).Count);
        Assert.Throws<DataLoadException>(() => JsbLoader.Load(JsbLoader.PathIn(DataRoot.Path), Split.Test));
    }

    [Fact]
    public void Repeated_16ths_merge_into_notes_and_silence_is_no_note()
    {
        // train[0] opens Bb4 (4 sixteenths) over Bb2 then Eb5 over G2.
        JsbChorale first = All[Split.Train][0];
        Assert.Equal(new JsbNote(74, 0, 4), first.Soprano[0]);
        Assert.Equal(75, first.Soprano[1].Pitch);
        Assert.Equal(4, first.Soprano[1].Start);
        Assert.Equal(58, first.PitchAt(3, 0));

        foreach (JsbChorale chorale in All.Values.SelectMany(c => c))
        {
            for (int v = 0; v < JsbChorale.Voices; v++)
            {
                IReadOnlyList<JsbNote> notes = chorale.Notes[v];
                Assert.NotEmpty(notes);
                for (int i = 0; i < notes.Count; i++)
                {
                    Assert.InRange(notes[i].Pitch, 0, 127);
                    Assert.True(notes[i].Duration > 0);
                    Assert.Equal(notes[i].Pitch, chorale.PitchAt(v, notes[i].Start));
                    if (i > 0)
                    {
                        Assert.True(notes[i].Start >= notes[i - 1].End);
                        Assert.False(notes[i].Start == notes[i - 1].End && notes[i].Pitch == notes[i - 1].Pitch, $"{chorale.Id} voice {v} note {i} not merged");
                    }
                }
            }
        }
    }

    [Fact]
    public void Missing_file_is_a_load_error()
    {
        Assert.Throws<DataLoadException>(() => JsbLoader.LoadAll(Path.Combine(Path.GetTempPath(), "no-such-jsb.json")));
    }
}
