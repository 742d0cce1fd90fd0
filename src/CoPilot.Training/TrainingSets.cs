using CoPilot.Data;

namespace CoPilot.Training;

/// <summary>One training data set and what its licence allows.</summary>
/// <param name="Set">The set.</param>
/// <param name="Licence">The licence as the source states it (../shared/data/README.md).</param>
/// <param name="Permissive">True when a model trained on it may ship under any terms.</param>
public sealed record TrainingSet(CorpusSet Set, string Licence, bool Permissive);

/// <summary>
/// The sets a model may be trained on and which of them a permissive-licence-only model may use
/// (<see cref="TrainingOptions.PermissiveLicencesOnly"/>). The model card lists the sets and licences used.
/// </summary>
/// <remarks>
/// Permissive: McGill Billboard (CC0) and the JSB chorales (Bach, public domain). Not permissive:
/// POP909 — the dataset is MIT, but its songs are arrangements of commercial pop songs whose compositions
/// the MIT licence cannot clear; Nottingham — GPLv3, whose copyleft terms a model trained on it may inherit;
/// the jazz progressions — no licence at all (derived from the Impro-Visor Imaginary Book).
/// </remarks>
public static class TrainingSets
{
    public static IReadOnlyList<TrainingSet> All { get; } =
    [
        new(CorpusSet.Pop909, "MIT (arrangements of commercial songs)", Permissive: false),
        new(CorpusSet.Billboard, "CC0", Permissive: true),
        new(CorpusSet.Nottingham, "GPLv3", Permissive: false),
        new(CorpusSet.JsbChorales, "public domain", Permissive: true),
        new(CorpusSet.JazzProgressions, "none stated", Permissive: false),
    ];

    /// <summary>The sets a run may draw from: all of them, or only the permissive ones.</summary>
    public static IReadOnlyList<TrainingSet> Allowed(bool permissiveLicencesOnly)
        => permissiveLicencesOnly ? [.. All.Where(s => s.Permissive)] : All;

    public static TrainingSet Of(CorpusSet set)
        => All.FirstOrDefault(s => s.Set == set) ?? throw new ArgumentOutOfRangeException(nameof(set), set, "No licence recorded for this set.");
}
