namespace CoPilot.Training;

/// <summary>One training data set under /work/shared/data and what its licence allows.</summary>
/// <param name="Name">The data folder's name.</param>
/// <param name="Licence">The licence as the source states it.</param>
/// <param name="Permissive">True when a model trained on it may ship under any terms.</param>
public sealed record TrainingSet(string Name, string Licence, bool Permissive);

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
    public static readonly TrainingSet Pop909 = new("pop909", "MIT (arrangements of commercial songs)", Permissive: false);
    public static readonly TrainingSet Billboard = new("mcgill_billboard", "CC0", Permissive: true);
    public static readonly TrainingSet Nottingham = new("nottingham", "GPLv3", Permissive: false);
    public static readonly TrainingSet JsbChorales = new("jsb_chorales", "public domain", Permissive: true);
    public static readonly TrainingSet JazzProgressions = new("jazz_chord_progressions", "none stated", Permissive: false);

    public static IReadOnlyList<TrainingSet> All { get; } = [Pop909, Billboard, Nottingham, JsbChorales, JazzProgressions];

    /// <summary>The sets a run may draw from: all of them, or only the permissive ones.</summary>
    public static IReadOnlyList<TrainingSet> Allowed(bool permissiveLicencesOnly)
        => permissiveLicencesOnly ? [.. All.Where(s => s.Permissive)] : All;

    /// <summary>The set called <paramref name="name"/>; throws for an unknown name, so no set slips in unlisted.</summary>
    public static TrainingSet Named(string name)
        => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
            ?? throw new ArgumentException($"Unknown training set '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));
}
