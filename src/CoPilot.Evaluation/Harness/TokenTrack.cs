using CoPilot.Data;
using CoPilot.Evaluation.Corpus;

namespace CoPilot.Evaluation.Harness;

/// <summary>
/// One language-modelling task of the evaluation: a set seen through one view. Every model (the n-gram
/// baselines here, the transformer of CoPilot.Training) is scored on the same tracks, so figures compare.
/// </summary>
/// <param name="Probe">Whether continuations are generated from test prompts and judged musically.</param>
/// <param name="WithRepeats">Billboard only: valid and test keep the repeats of train songs (the data README's trap),
/// reported beside the deduplicated figures to show the inflation.</param>
public sealed record TokenTrack(CorpusSet Set, CorpusView View, bool Probe = false, bool WithRepeats = false)
{
    /// <summary>
    /// Tokens at the start of every sequence that are conditioning, not predicted: <c>Bos Style Task Key Metre</c>.
    /// In the plugin they come from the mode, the style setting and the live key tracker, so no model is
    /// scored on guessing them.
    /// </summary>
    public const int HeaderLength = 5;

    public string Name => (View == CorpusView.Chorale ? SetName(Set) : $"{SetName(Set)} {ViewName(View)}") + (WithRepeats ? " (with repeats)" : "");

    /// <summary>Every track of the baseline table, in report order.</summary>
    public static IReadOnlyList<TokenTrack> All { get; } =
    [
        new(CorpusSet.Pop909, CorpusView.Melody, Probe: true),
        new(CorpusSet.Nottingham, CorpusView.Melody, Probe: true),
        new(CorpusSet.Pop909, CorpusView.LeadSheet, Probe: true),
        new(CorpusSet.Nottingham, CorpusView.LeadSheet, Probe: true),
        new(CorpusSet.JsbChorales, CorpusView.Chorale),
        new(CorpusSet.Pop909, CorpusView.Chords),
        new(CorpusSet.Nottingham, CorpusView.Chords),
        new(CorpusSet.Billboard, CorpusView.Chords),
        new(CorpusSet.Billboard, CorpusView.Chords, WithRepeats: true),
        new(CorpusSet.JazzProgressions, CorpusView.Chords),
    ];

    public static string SetName(CorpusSet set) => set switch
    {
        CorpusSet.Pop909 => "POP909",
        CorpusSet.Billboard => "Billboard",
        CorpusSet.Nottingham => "Nottingham",
        CorpusSet.JsbChorales => "JSB chorales",
        CorpusSet.JazzProgressions => "Jazz",
        _ => set.ToString(),
    };

    public static string ViewName(CorpusView view) => view switch
    {
        CorpusView.LeadSheet => "lead sheet",
        _ => view.ToString().ToLowerInvariant(),
    };
}
