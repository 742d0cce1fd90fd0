using CoPilot.Core;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tests.Tokens;
using CoPilot.Inference.Tokens;
using CoPilot.Music;
using CsCheck;

namespace CoPilot.Inference.Tests.Sampling;

public class TokenGrammarTests
{
    private static readonly int MaxDuration = Vocabulary.DurationToken(Vocabulary.DurationCount - 1);
    private static readonly int LoudestVelocity = Vocabulary.VelocityToken(VelocityBuckets.Count - 1);

    [Fact]
    public void Every_encoded_piece_is_accepted_token_by_token_and_ends()
    {
        var buffer = new int[8192];
        PieceGen.Pieces.Sample(
            piece =>
            {
                EncodeResult result = TokenEncoder.Encode(piece, buffer);
                Assert.True(result.Succeeded, result.ToString());
                var grammar = default(TokenGrammar);
                for (int i = 0; i < result.Count; i++)
                {
                    Assert.True(grammar.Accept(buffer[i]), $"token {i} {Vocabulary.Describe(buffer[i])} refused in {grammar.Phase}");
                }

                Assert.True(grammar.IsEnded);
                Assert.True(grammar.Accept(Vocabulary.Pad));
                Assert.False(grammar.Accept(Vocabulary.Bar));
            },
            iter: 2000,
            threads: 1);
    }

    [Fact]
    public void The_allowed_set_is_exactly_what_the_reader_accepts_next()
    {
        // Random walks through the grammar; after each prefix, every one of the 400 tokens is checked against
        // TokenReader: the grammar allows it exactly when the reader finds no problem in prefix + token (+ the
        // most permissive completion of the token's event, so a problem that shows only when the event is whole
        // is found too).
        Gen.Select(Gen.ULong, Gen.Int[5, 90]).Sample(
            (seed, length) =>
            {
                int[] walk = Walk(seed, length);
                var grammar = default(TokenGrammar);
                var probe = new int[walk.Length + 8];
                for (int n = 0; n < walk.Length; n++)
                {
                    if (n >= 4)
                    {
                        walk.AsSpan(0, n).CopyTo(probe);
                        for (int token = 0; token < Vocabulary.Size; token++)
                        {
                            int count = Probe(probe, n, token);
                            bool readerAccepts = ReaderAccepts(probe.AsSpan(0, count), out DecodeProblem problem);
                            if (readerAccepts != grammar.IsAllowed(token))
                            {
                                Assert.Fail($"after {Describe(walk.AsSpan(0, n))} ({grammar.Phase}): {Vocabulary.Describe(token)} grammar {grammar.IsAllowed(token)}, reader {problem}");
                            }
                        }
                    }

                    Assert.True(grammar.Accept(walk[n]));
                }
            },
            iter: 60,
            threads: 1);
    }

    [Fact]
    public void Walks_closed_with_eos_decode_and_reencode_to_the_same_tokens()
    {
        var buffer = new int[4096];
        Gen.Select(Gen.ULong, Gen.Int[0, 1500]).Sample(
            (seed, length) =>
            {
                int[] tokens = Close(Walk(seed, length));
                Assert.True(TokenDecoder.TryDecode(tokens, out QuantisedPiece? piece, out DecodeError error), $"{error} in {Describe(tokens)}");
                EncodeResult encoded = TokenEncoder.Encode(piece, buffer);
                Assert.True(encoded.Succeeded, encoded.ToString());
                Assert.Equal(tokens, buffer[..encoded.Count]);
            },
            iter: 400,
            threads: 1);
    }

    [Fact]
    public void Tracks_key_chord_voice_and_bar_for_the_sampler()
    {
        var grammar = default(TokenGrammar);
        int[] tokens =
        [
            Vocabulary.Bos, Vocabulary.StyleToken(Style.Jazz), Vocabulary.TaskToken(GenerationTask.ContinueMelody),
            Vocabulary.KeyToken(14), Vocabulary.MetreToken(Vocabulary.MetreIndex(new Metre(3, 4))),
            Vocabulary.Bar, Vocabulary.PositionToken(0),
            Vocabulary.ChordRootToken(new PitchClass(7)), Vocabulary.ChordQualityToken(ChordQuality.Dominant7), Vocabulary.ChordBassToken(new PitchClass(11)),
            Vocabulary.VoiceToken(Voice.Bass), Vocabulary.PitchToken(43),
        ];
        foreach (int token in tokens)
        {
            Assert.True(grammar.Accept(token), Vocabulary.Describe(token));
        }

        Assert.Equal(14, grammar.KeyIndex);
        Assert.Equal(0, grammar.BarIndex);
        Assert.Equal(36, grammar.BarTicks);
        Assert.Equal(new Chord(new PitchClass(7), ChordQuality.Dominant7, new PitchClass(11)), grammar.Chord);
        Assert.Equal((int)Voice.Bass, grammar.NoteVoice);
        Assert.Equal(43, grammar.NotePitch);
        Assert.Equal(GrammarPhase.AfterPitch, grammar.Phase);
        Assert.False(grammar.IsAtEventBoundary);

        // A refused token leaves the state as it was.
        TokenGrammar before = grammar;
        Assert.False(grammar.Accept(Vocabulary.Bar));
        Assert.Equal(before, grammar);
    }

    [Fact]
    public void The_first_bar_takes_no_change_tokens_and_later_bars_only_real_changes()
    {
        var grammar = default(TokenGrammar);
        foreach (int token in Header(keyIndex: 3, metreIndex: 3))
        {
            Assert.True(grammar.Accept(token));
        }

        Assert.True(grammar.Accept(Vocabulary.Bar));
        Assert.False(grammar.IsAllowed(Vocabulary.MetreToken(1)));
        Assert.False(grammar.IsAllowed(Vocabulary.KeyToken(5)));
        Assert.True(grammar.Accept(Vocabulary.Bar));
        Assert.False(grammar.IsAllowed(Vocabulary.MetreToken(3)));
        Assert.False(grammar.IsAllowed(Vocabulary.KeyToken(3)));
        Assert.True(grammar.Accept(Vocabulary.MetreToken(1)));
        Assert.Equal(24, grammar.BarTicks);
        Assert.False(grammar.IsAllowed(Vocabulary.MetreToken(2)));
        Assert.True(grammar.IsAllowed(Vocabulary.PositionToken(23)));
        Assert.False(grammar.IsAllowed(Vocabulary.PositionToken(24)));
        Assert.True(grammar.Accept(Vocabulary.KeyUnknown));
        Assert.Equal(-1, grammar.KeyIndex);
    }

    internal static int[] Header(int keyIndex, int metreIndex) =>
        [Vocabulary.Bos, Vocabulary.StyleToken(Style.Pop), Vocabulary.TaskToken(GenerationTask.ContinueMelody), Vocabulary.KeyToken(keyIndex), Vocabulary.MetreToken(metreIndex)];

    // Half the steps draw uniformly among the allowed tokens; the other half take the lowest allowed token at or
    // above a random id, which lands on the edges of ranges (a repeated pitch, the last tick of a bar) far
    // more often than uniform draws would.
    private static int[] Walk(ulong seed, int length)
    {
        var random = new SplitMix64(seed);
        var grammar = default(TokenGrammar);
        var tokens = new List<int>(length);
        while (tokens.Count < length && !grammar.IsEnded)
        {
            TokenSet allowed = grammar.Allowed;
            int token;
            if ((random.NextULong() & 1) == 0)
            {
                int pick = random.NextInt(allowed.Count);
                token = allowed.NextAtOrAfter(0);
                for (int i = 0; i < pick; i++)
                {
                    token = allowed.NextAtOrAfter(token + 1);
                }
            }
            else
            {
                token = allowed.NextAtOrAfter(random.NextInt(Vocabulary.Size));
                if (token < 0)
                {
                    token = allowed.NextAtOrAfter(0);
                }
            }

            // Eos ends the walk early; keep it rare so that walks get long.
            if (token == Vocabulary.Eos && random.NextInt(8) != 0)
            {
                allowed.Remove(Vocabulary.Eos);
                if (!allowed.IsEmpty)
                {
                    token = allowed.NextAtOrAfter(0);
                }
            }

            Assert.True(grammar.Accept(token));
            tokens.Add(token);
        }

        return [.. tokens];
    }

    // The shortest way to finish an open event, then Eos.
    private static int[] Close(int[] walk)
    {
        var grammar = default(TokenGrammar);
        foreach (int token in walk)
        {
            Assert.True(grammar.Accept(token));
        }

        var tokens = new List<int>(walk);
        while (!grammar.IsEnded)
        {
            TokenSet allowed = grammar.Allowed;
            int token = allowed.Contains(Vocabulary.Eos) ? Vocabulary.Eos : allowed.NextAtOrAfter(0);
            Assert.True(grammar.Accept(token));
            tokens.Add(token);
        }

        return [.. tokens];
    }

    // Writes token and the most permissive completion of its event after prefix[..n]; returns the length.
    private static int Probe(int[] probe, int n, int token)
    {
        probe[n] = token;
        int count = n + 1;
        if (Vocabulary.IsPitch(probe[n - 1]) && !IsDuration(token))
        {
            // The reader only looks at a note's Duration slot when the Velocity slot exists.
            probe[count++] = LoudestVelocity;
        }
        else if (token is Vocabulary.Eos or Vocabulary.Pad)
        {
            probe[count++] = Vocabulary.Pad;
            probe[count++] = Vocabulary.Pad;
        }
        else if (Vocabulary.IsPitch(token))
        {
            probe[count++] = MaxDuration;
            probe[count++] = LoudestVelocity;
        }
        else if (IsDuration(token))
        {
            probe[count++] = LoudestVelocity;
        }
        else if ((uint)(token - Vocabulary.VoiceBase) < Vocabulary.VoiceCount)
        {
            probe[count++] = Vocabulary.PitchToken(Vocabulary.HighestPitch);
            probe[count++] = MaxDuration;
            probe[count++] = LoudestVelocity;
        }
        else if (Vocabulary.IsChordRoot(token))
        {
            probe[count++] = Vocabulary.ChordQualityBase;
        }

        return count;
    }

    private static bool IsDuration(int token) => (uint)(token - Vocabulary.DurationBase) < Vocabulary.DurationCount;

    private static bool ReaderAccepts(ReadOnlySpan<int> tokens, out DecodeProblem problem)
    {
        var reader = new TokenReader(tokens);
        while (true)
        {
            ReadOutcome outcome = reader.Read(out _);
            if (outcome == ReadOutcome.End)
            {
                problem = DecodeProblem.None;
                return true;
            }

            if (outcome == ReadOutcome.Error)
            {
                problem = reader.Problem;
                return problem is DecodeProblem.MissingEos or DecodeProblem.Truncated;
            }
        }
    }

    private static string Describe(ReadOnlySpan<int> tokens)
    {
        var names = new List<string>();
        foreach (int token in tokens)
        {
            names.Add(Vocabulary.Describe(token));
        }

        return string.Join(' ', names);
    }
}
