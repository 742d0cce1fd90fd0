using System.Diagnostics.CodeAnalysis;

namespace CoPilot.Inference.Tokens;

/// <summary>Why and where a sequence failed to decode.</summary>
public readonly record struct DecodeError(DecodeProblem Problem, int Index)
{
    public override string ToString() => $"{Problem} at token {Index}";
}

/// <summary>Reads a whole canonical token sequence back into the <see cref="QuantisedPiece"/> it encodes.</summary>
public static class TokenDecoder
{
    /// <summary>
    /// The piece <paramref name="tokens"/> encode, or the first place where they are not a canonical sequence.
    /// Never throws, whatever the ints.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<int> tokens, [NotNullWhen(true)] out QuantisedPiece? piece, out DecodeError error)
    {
        piece = null;
        error = default;
        var reader = new TokenReader(tokens);
        var metres = new List<MetreChange>();
        var keys = new List<KeyChange>();
        var notes = new List<PieceNote>();
        var chords = new List<PieceChord>();
        Style style = default;
        GenerationTask task = default;
        int bars = 0;
        while (true)
        {
            ReadOutcome outcome = reader.Read(out TokenEvent e);
            if (outcome == ReadOutcome.Error)
            {
                error = new DecodeError(reader.Problem, reader.ProblemIndex);
                return false;
            }

            if (outcome == ReadOutcome.End)
            {
                break;
            }

            switch (e.Kind)
            {
                case TokenEventKind.Header:
                    style = e.Style;
                    task = e.Task;
                    metres.Add(new MetreChange(0, e.Metre));
                    keys.Add(new KeyChange(0, e.KeyIndex));
                    break;
                case TokenEventKind.Bar:
                    bars = e.BarIndex + 1;
                    if (e.Metre != metres[^1].Metre)
                    {
                        metres.Add(new MetreChange(e.BarIndex, e.Metre));
                    }

                    if (e.KeyIndex != keys[^1].KeyIndex)
                    {
                        keys.Add(new KeyChange(e.BarIndex, e.KeyIndex));
                    }

                    break;
                case TokenEventKind.Chord:
                    chords.Add(e.Chord);
                    break;
                default:
                    notes.Add(e.Note);
                    break;
            }
        }

        piece = new QuantisedPiece(style, task, bars, metres, keys, notes, chords);
        return true;
    }
}
