using CoPilot.Music;

namespace CoPilot.Cli.Analysis;

/// <summary>
/// A key profile of pop music, learned from the POP909 train split with <see cref="KeyProfileTrainer"/>: the
/// averaged duration-weighted pitch-class distributions of the 599 train songs with one labelled key (MELODY,
/// BRIDGE and PIANO tracks), tonic first. <c>copilot eval keys</c> learns it again from the data and says
/// whether it still matches these numbers.
/// </summary>
/// <remarks>
/// Against Albrecht-Shanahan's common-practice profile, pop minor is Aeolian: the flat seventh weighs 0.126
/// (A-S 0.061) and the leading note 0.009 (A-S 0.052), so a minor song full of its relative major's dominant
/// chord is no longer taken for the relative major, which was the commonest error of the published profiles.
/// </remarks>
public static class Pop909KeyProfile
{
    public static KeyProfile Profile { get; } = new(
        "POP909 train",
        [0.217, 0.001, 0.134, 0.001, 0.148, 0.083, 0.003, 0.210, 0.004, 0.128, 0.004, 0.066],
        [0.238, 0.001, 0.081, 0.148, 0.002, 0.124, 0.001, 0.203, 0.065, 0.004, 0.126, 0.009]);
}
