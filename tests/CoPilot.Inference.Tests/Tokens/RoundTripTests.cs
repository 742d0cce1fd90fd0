using CoPilot.Inference.Tokens;
using CsCheck;

namespace CoPilot.Inference.Tests.Tokens;

public class RoundTripTests
{
    [Fact]
    public void Random_pieces_decode_to_themselves()
    {
        var buffer = new int[8192];
        PieceGen.Pieces.Sample(
            piece =>
            {
                Assert.Equal(PieceProblem.None, piece.Validate());
                EncodeResult result = TokenEncoder.Encode(piece, buffer);
                Assert.True(result.Succeeded, result.ToString());
                Assert.True(TokenDecoder.TryDecode(buffer.AsSpan(0, result.Count), out QuantisedPiece? decoded, out DecodeError error), error.ToString());
                Assert.Equal(piece, decoded);
                Assert.All(buffer[..result.Count], t => Assert.InRange(t, 0, Vocabulary.Size - 1));
            },
            iter: 2000,
            threads: 1);
    }

    [Fact]
    public void Every_sequence_that_decodes_is_the_encoding_of_its_piece()
    {
        // The canonical order makes the encoding a bijection: no second spelling of a piece decodes.
        var buffer = new int[8192];
        var gen = from piece in PieceGen.Pieces
                  from edits in Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, Vocabulary.Size - 1]).Array[1, 3]
                  select (piece, edits);
        int decodedMutants = 0;
        gen.Sample(
            sample =>
            {
                EncodeResult result = TokenEncoder.Encode(sample.piece, buffer);
                int[] tokens = buffer[..result.Count];
                foreach ((int at, int token) in sample.edits)
                {
                    tokens[at % tokens.Length] = token;
                }

                if (TokenDecoder.TryDecode(tokens, out QuantisedPiece? decoded, out _))
                {
                    decodedMutants++;
                    EncodeResult again = TokenEncoder.Encode(decoded, buffer);
                    Assert.True(again.Succeeded, again.ToString());
                    Assert.Equal(tokens.AsSpan().TrimEnd(Vocabulary.Pad).ToArray(), buffer[..again.Count]);
                }
            },
            iter: 3000,
            threads: 1);
        Assert.True(decodedMutants > 0, "no mutant decoded: the property was never exercised");
    }

    [Fact]
    public void Random_ints_never_crash_the_decoder()
    {
        Gen.Int[-5, Vocabulary.Size + 5].Array[0, 80].Sample(
            tokens =>
            {
                bool ok = TokenDecoder.TryDecode(tokens, out QuantisedPiece? piece, out DecodeError error);
                Assert.Equal(ok, piece is not null);
                Assert.Equal(ok, error.Problem == DecodeProblem.None);
            },
            iter: 20_000,
            threads: 1);
        Gen.Int.Array[0, 40].Sample(tokens => Assert.False(TokenDecoder.TryDecode(tokens, out _, out _) && tokens.Length == 0), iter: 5000, threads: 1);
    }

    [Fact]
    public void Transposing_tokens_in_place_equals_encoding_the_transposed_piece()
    {
        var buffer = new int[8192];
        var other = new int[8192];
        Gen.Select(PieceGen.Pieces, Gen.Int[-6, 6]).Sample(
            sample =>
            {
                (QuantisedPiece piece, int semitones) = sample;
                int count = TokenEncoder.Encode(piece, buffer).Count;
                int[] before = buffer[..count];
                bool shifted = TokenTransposer.TryTranspose(buffer.AsSpan(0, count), semitones);
                Assert.Equal(shifted, piece.TryTranspose(semitones, out QuantisedPiece? transposed));
                if (!shifted)
                {
                    Assert.Equal(before, buffer[..count]);
                    return;
                }

                EncodeResult expected = TokenEncoder.Encode(transposed!, other);
                Assert.Equal(other[..expected.Count], buffer[..count]);
                Assert.True(TokenTransposer.TryTranspose(buffer.AsSpan(0, count), -semitones));
                Assert.Equal(before, buffer[..count]);
            },
            iter: 1000,
            threads: 1);
    }
}
