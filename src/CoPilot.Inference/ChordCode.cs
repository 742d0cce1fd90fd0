using CoPilot.Music;

namespace CoPilot.Inference;

/// <summary>
/// A chord packed into one integer, so it can cross threads in a status struct and ride a host
/// parameter's value: 0 = no chord, else 1 + (root × qualities + quality) × 12 + bass.
/// </summary>
public static class ChordCode
{
    public const int Max = 12 * ChordQualities.Count * 12;

    public static int Encode(Chord chord) =>
        chord.IsNone ? 0 : 1 + (((chord.Root.Value * ChordQualities.Count) + (int)chord.Quality) * 12) + chord.Bass.Value;

    public static Chord Decode(int code)
    {
        if (code <= 0 || code > Max)
        {
            return Chord.None;
        }

        int n = code - 1;
        int bass = n % 12;
        n /= 12;
        var quality = (ChordQuality)(n % ChordQualities.Count);
        int root = n / ChordQualities.Count;
        return new Chord(new PitchClass(root), quality, new PitchClass(bass));
    }
}
