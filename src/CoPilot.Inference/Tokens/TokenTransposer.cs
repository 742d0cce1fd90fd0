namespace CoPilot.Inference.Tokens;

/// <summary>Transposes a token sequence in place: the cheap ±6 semitone augmentation of training.</summary>
public static class TokenTransposer
{
    /// <summary>
    /// Moves every Pitch, ChordRoot, ChordBass and Key token by <paramref name="semitones"/> (keys keep their mode,
    /// KeyUnknown stays). All or nothing: false, and the span untouched, when a pitch would leave 0–127.
    /// Transposing keeps a canonical sequence canonical: notes at one onset stay in pitch order.
    /// </summary>
    public static bool TryTranspose(Span<int> tokens, int semitones)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            if (Vocabulary.IsPitch(tokens[i]))
            {
                int pitch = tokens[i] - Vocabulary.PitchBase + Vocabulary.LowestPitch + semitones;
                if (pitch is < Vocabulary.LowestPitch or > Vocabulary.HighestPitch)
                {
                    return false;
                }
            }
        }

        int shift = ((semitones % 12) + 12) % 12;
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = tokens[i];
            if (Vocabulary.IsPitch(token))
            {
                tokens[i] = token + semitones;
            }
            else if (Vocabulary.IsChordRoot(token))
            {
                tokens[i] = Vocabulary.ChordRootBase + ((token - Vocabulary.ChordRootBase + shift) % 12);
            }
            else if (Vocabulary.IsChordBass(token))
            {
                tokens[i] = Vocabulary.ChordBassBase + ((token - Vocabulary.ChordBassBase + shift) % 12);
            }
            else if (Vocabulary.IsKey(token))
            {
                tokens[i] = Vocabulary.KeyBase + QuantisedPiece.TransposeKeyIndex(token - Vocabulary.KeyBase, semitones);
            }
        }

        return true;
    }
}
