using System.Diagnostics;
using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Inference.Tokens;
using Xunit.Abstractions;

namespace CoPilot.Evaluation.Tests.Corpus;

/// <summary>The shared library: each set is loaded once for all tests of the class.</summary>
public sealed class CorpusFixture
{
    public CorpusLibrary Library { get; } = new(DataRoot.Path);
}

// One collection with the timing test, so that the timing does not share the two cores with these.
[Collection("Corpus")]
public class CorpusRoundTripTests(CorpusFixture fixture, ITestOutputHelper output) : IClassFixture<CorpusFixture>
{
    [Theory]
    [InlineData(CorpusSet.Pop909, CorpusView.Melody, 0.98)]
    [InlineData(CorpusSet.Pop909, CorpusView.Full, 0.98)]
    [InlineData(CorpusSet.Nottingham, CorpusView.Melody, 0.98)]
    [InlineData(CorpusSet.Nottingham, CorpusView.LeadSheet, 0.98)]
    [InlineData(CorpusSet.Billboard, CorpusView.Chords, 0.98)]
    [InlineData(CorpusSet.JazzProgressions, CorpusView.Chords, 0.98)]
    public void Every_accepted_train_song_decodes_to_its_quantised_piece(CorpusSet set, CorpusView view, double minimumAcceptance)
    {
        LoadReport<Song> report = fixture.Library.Load(set);
        Assert.Empty(report.Failures);
        var buffer = new int[1 << 18];
        int accepted = 0, offered = 0;
        long tokens = 0;
        var reasons = new Dictionary<RejectionReason, int>();
        foreach (Song song in report.Items.Where(s => s.Split == Split.Train))
        {
            offered++;
            QuantiseResult result = SongQuantiser.Quantise(song, view);
            if (result.Piece is not { } piece)
            {
                reasons[result.Rejection!.Reason] = reasons.GetValueOrDefault(result.Rejection.Reason) + 1;
                output.WriteLine($"rejected {result.Rejection}");
                continue;
            }

            EncodeResult encoded = TokenEncoder.Encode(piece, buffer);
            Assert.True(encoded.Succeeded, $"{song.Id}: {encoded}");
            Assert.True(TokenDecoder.TryDecode(buffer.AsSpan(0, encoded.Count), out QuantisedPiece? decoded, out DecodeError error), $"{song.Id}: {error}");
            Assert.Equal(piece, decoded);
            accepted++;
            tokens += encoded.Count;
        }

        double rate = accepted / (double)offered;
        output.WriteLine($"{set} {view} train: {accepted}/{offered} accepted ({rate:P2}), {tokens:N0} tokens; rejected: {string.Join(", ", reasons.Select(r => $"{r.Key} {r.Value}"))}");
        Assert.True(offered > 100, $"only {offered} train songs: is the data complete?");
        Assert.True(rate >= minimumAcceptance, $"acceptance {rate:P2} < {minimumAcceptance:P0}");
    }

    [Fact]
    public void Every_chorale_decodes_to_its_quantised_piece()
    {
        var buffer = new int[1 << 16];
        int count = 0;
        foreach (JsbChorale chorale in fixture.Library.Chorales[Split.Train])
        {
            QuantisedPiece piece = SongQuantiser.Quantise(chorale).Piece!;
            EncodeResult encoded = TokenEncoder.Encode(piece, buffer);
            Assert.True(TokenDecoder.TryDecode(buffer.AsSpan(0, encoded.Count), out QuantisedPiece? decoded, out _));
            Assert.Equal(piece, decoded);
            count++;
        }

        Assert.Equal(229, count);
    }

    [Fact]
    public void Pop909_melodies_keep_their_notes_and_land_on_the_grid()
    {
        // The quantiser may merge a note struck twice on one grid point, nothing else: the count survives.
        int onsets = 0, triplets = 0;
        foreach (Song song in fixture.Library.Load(CorpusSet.Pop909).Items.Take(50))
        {
            QuantisedPiece piece = SongQuantiser.Quantise(song, CorpusView.Melody).Piece!;
            int melody = song.Notes.Count(n => n.Voice == "MELODY");
            Assert.InRange(piece.Notes.Length, melody * 0.99, melody);
            Assert.True(piece.Keys[0].KeyIndex >= 0, $"{song.Id}: key {(song.Keys.Count > 0 ? song.Keys[0].Label : "none")} not read");
            foreach (PieceNote note in piece.Notes)
            {
                onsets++;
                triplets += note.Onset % 3 == 0 ? 0 : 1;
            }
        }

        // Pop melodies are straight 16ths with a few triplet figures (a handful of songs swing throughout).
        output.WriteLine($"{triplets} of {onsets} melody onsets on triplet points");
        Assert.InRange(triplets, 1, onsets / 10);
    }

    [Fact]
    public void Token_counts_and_acceptance_of_every_set_split_and_view()
    {
        var clock = Stopwatch.StartNew();
        foreach (CorpusSet set in Enum.GetValues<CorpusSet>())
        {
            foreach (CorpusView view in CorpusViews.Of(set))
            {
                foreach (Split split in Enum.GetValues<Split>())
                {
                    TokenCorpus corpus = fixture.Library.Tokens(set, split, view);
                    output.WriteLine(
                        $"{set,-16} {view,-9} {split,-5} {corpus.Sequences.Count,5}/{corpus.Songs,-5} {corpus.AcceptanceRate,8:P2} {corpus.TokenCount,10:N0} tokens"
                        + $"{(corpus.UnparsedChords > 0 ? $", {corpus.UnparsedChords} chord labels unparsed" : "")}"
                        + $"{(corpus.Rejections.Count > 0 ? "; " + string.Join(", ", corpus.RejectionsByReason.Select(r => $"{r.Key} {r.Value}")) + ": " + string.Join("; ", corpus.Rejections.Take(3)) : "")}");
                    Assert.All(corpus.Sequences, s => Assert.Equal(split, s.Split));
                }
            }
        }

        output.WriteLine($"all views: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(71, fixture.Library.Tokens(CorpusSet.Billboard, Split.Valid, CorpusView.Chords).Songs);
        Assert.Equal(68, fixture.Library.Tokens(CorpusSet.Billboard, Split.Test, CorpusView.Chords).Songs);
    }
}
