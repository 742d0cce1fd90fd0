using CoPilot.Data;
using CoPilot.Inference.Tokens;

namespace CoPilot.Evaluation.Corpus;

/// <summary>What part of a song a model sees.</summary>
public enum CorpusView
{
    /// <summary>The melody voice alone (POP909 MELODY, Nottingham melody).</summary>
    Melody,

    /// <summary>Melody and chord symbols.</summary>
    LeadSheet,

    /// <summary>Chord symbols alone (every set with chord labels).</summary>
    Chords,

    /// <summary>The four voices of a Bach chorale.</summary>
    Chorale,

    /// <summary>Every voice and the chord symbols.</summary>
    Full,
}

public static class CorpusViews
{
    /// <summary>The task token a view's sequences carry: the plugin mode that view trains.</summary>
    public static GenerationTask TaskOf(CorpusView view) => view switch
    {
        CorpusView.Melody => GenerationTask.ContinueMelody,
        CorpusView.LeadSheet or CorpusView.Chords => GenerationTask.NextChords,
        CorpusView.Chorale => GenerationTask.Harmonize,
        CorpusView.Full => GenerationTask.Accompany,
        _ => throw new ArgumentOutOfRangeException(nameof(view)),
    };

    public static Style StyleOf(CorpusSet set) => (Style)(int)Data.Corpus.StyleOf(set);

    /// <summary>The views a set has: chord-only sets have no notes, JSB has no chord labels.</summary>
    public static IReadOnlyList<CorpusView> Of(CorpusSet set) => set switch
    {
        CorpusSet.Pop909 or CorpusSet.Nottingham => [CorpusView.Melody, CorpusView.LeadSheet, CorpusView.Chords, CorpusView.Full],
        CorpusSet.Billboard or CorpusSet.JazzProgressions => [CorpusView.Chords],
        CorpusSet.JsbChorales => [CorpusView.Chorale],
        _ => throw new ArgumentOutOfRangeException(nameof(set)),
    };

    /// <summary>The token voice of a source voice name, null when the view leaves it out.</summary>
    public static Voice? VoiceOf(string sourceVoice, CorpusView view)
    {
        Voice voice = sourceVoice switch
        {
            "MELODY" or NottinghamLoader.MelodyVoice => Voice.Melody,
            "BRIDGE" => Voice.Harmony,
            _ => Voice.Accompaniment,
        };
        return view switch
        {
            CorpusView.Melody or CorpusView.LeadSheet => voice == Voice.Melody ? voice : null,
            CorpusView.Full => voice,
            _ => null,
        };
    }

    public static bool HasChords(CorpusView view) => view is CorpusView.LeadSheet or CorpusView.Chords or CorpusView.Full;
}
