using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Cli.Bench;

/// <summary>
/// A fixed lead-sheet prompt in C major, 4/4: a stepwise quarter-note melody over I–IV–V–I, cut to the
/// requested length. A canonical token prefix, so the constrained sampler accepts it as a player's phrase.
/// </summary>
public static class BenchPrompt
{
    public static int[] Create(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        int beat = Vocabulary.TicksPerBeat, bar = 4 * beat;
        int[] melody = [60, 62, 64, 65, 67, 65, 64, 62, 64, 65, 67, 69, 67, 65, 64, 62];
        PitchClass[] roots = [PitchClass.C, PitchClass.F, PitchClass.G, PitchClass.C];
        var notes = new List<PieceNote>();
        var chords = new List<PieceChord>();
        // Each bar costs ~18 tokens (Bar, a chord, four notes of Position Pitch Duration Velocity).
        int bars = (length / 12) + 2;
        for (int b = 0; b < bars; b++)
        {
            chords.Add(new PieceChord(b * bar, new Chord(roots[b % roots.Length], ChordQuality.Major)));
            for (int n = 0; n < 4; n++)
            {
                notes.Add(new PieceNote((b * bar) + (n * beat), beat, melody[((b * 4) + n) % melody.Length], 4, Voice.Melody));
            }
        }

        var piece = new QuantisedPiece(Style.Pop, GenerationTask.ContinueMelody, bars, [new MetreChange(0, Metre.FourFour)], [new KeyChange(0, 0)], notes, chords);
        var tokens = new int[(bars * 24) + 8];
        EncodeResult result = TokenEncoder.Encode(piece, tokens);
        if (!result.Succeeded || result.Count <= length)
        {
            throw new InvalidOperationException($"The benchmark prompt did not encode to more than {length} tokens: {result}.");
        }

        return tokens[..length];
    }
}
