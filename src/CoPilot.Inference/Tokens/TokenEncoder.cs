namespace CoPilot.Inference.Tokens;

/// <summary>The outcome of <see cref="TokenEncoder.Encode"/>: the token count, or why the piece was not written.</summary>
public readonly record struct EncodeResult(int Count, PieceProblem Problem, TokenStatus Status)
{
    public bool Succeeded => Problem == PieceProblem.None && Status == TokenStatus.Ok;

    public override string ToString() => Succeeded ? $"{Count} tokens" : Problem != PieceProblem.None ? Problem.ToString() : Status.ToString();
}

/// <summary>Writes a whole <see cref="QuantisedPiece"/> as its canonical token sequence (see <see cref="Vocabulary"/>).</summary>
public static class TokenEncoder
{
    /// <summary>
    /// Encodes <paramref name="piece"/> into <paramref name="destination"/>. Allocation-free. Fails with the
    /// piece's problem when it cannot be tokenized, or with <see cref="TokenStatus.BufferFull"/>.
    /// </summary>
    public static EncodeResult Encode(QuantisedPiece piece, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(piece);
        PieceProblem problem = piece.Validate();
        if (problem != PieceProblem.None)
        {
            return new EncodeResult(0, problem, TokenStatus.Ok);
        }

        ReadOnlySpan<MetreChange> metres = piece.Metres;
        ReadOnlySpan<KeyChange> keys = piece.Keys;
        ReadOnlySpan<PieceNote> notes = piece.Notes;
        ReadOnlySpan<PieceChord> chords = piece.Chords;
        var writer = default(TokenWriter);
        TokenStatus status = writer.WriteHeader(destination, piece.Style, piece.Task, keys[0].KeyIndex, metres[0].Metre);
        int metre = 0, key = 0, note = 0, chord = 0;
        for (int bar = 0; bar < piece.Bars && status == TokenStatus.Ok; bar++)
        {
            if (metre + 1 < metres.Length && metres[metre + 1].Bar == bar)
            {
                metre++;
            }

            if (key + 1 < keys.Length && keys[key + 1].Bar == bar)
            {
                key++;
            }

            status = writer.WriteBar(destination, metres[metre].Metre, keys[key].KeyIndex);
            int barEnd = writer.BarStart + metres[metre].Metre.BarTicks;
            while (status == TokenStatus.Ok)
            {
                bool chordNext = chord < chords.Length && chords[chord].Onset < barEnd
                    && (note >= notes.Length || chords[chord].Onset <= notes[note].Onset);
                if (chordNext)
                {
                    status = writer.WriteChord(destination, chords[chord++]);
                }
                else if (note < notes.Length && notes[note].Onset < barEnd)
                {
                    status = writer.WriteNote(destination, notes[note++]);
                }
                else
                {
                    break;
                }
            }
        }

        if (status == TokenStatus.Ok)
        {
            status = writer.WriteEnd(destination);
        }

        return new EncodeResult(status == TokenStatus.Ok ? writer.Count : 0, PieceProblem.None, status);
    }
}
