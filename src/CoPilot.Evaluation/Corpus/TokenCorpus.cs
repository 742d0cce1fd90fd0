using CoPilot.Data;
using CoPilot.Inference.Tokens;

namespace CoPilot.Evaluation.Corpus;

/// <summary>One song's token sequence.</summary>
public sealed record TokenSequence(string Id, Split Split, int[] Tokens);

/// <summary>
/// The token sequences of one set, split and view, and the songs left out with their reasons: what a model
/// is trained or judged on.
/// </summary>
public sealed class TokenCorpus
{
    private TokenCorpus(CorpusSet set, Split split, CorpusView view, List<TokenSequence> sequences, List<Rejection> rejections, int unparsedChords)
    {
        Set = set;
        Split = split;
        View = view;
        Sequences = sequences;
        Rejections = rejections;
        UnparsedChords = unparsedChords;
        TokenCount = sequences.Sum(s => (long)s.Tokens.Length);
    }

    public CorpusSet Set { get; }

    public Split Split { get; }

    public CorpusView View { get; }

    public IReadOnlyList<TokenSequence> Sequences { get; }

    public IReadOnlyList<Rejection> Rejections { get; }

    /// <summary>Chord labels that parse to no chord of the vocabulary (left out; the chord before goes on).</summary>
    public int UnparsedChords { get; }

    public long TokenCount { get; }

    /// <summary>Songs offered: accepted plus rejected.</summary>
    public int Songs => Sequences.Count + Rejections.Count;

    public double AcceptanceRate => Songs == 0 ? 0 : Sequences.Count / (double)Songs;

    /// <summary>The token arrays of the accepted songs, in order; only the first <paramref name="limit"/> for a smoke run.</summary>
    public List<int[]> TokenArrays(int? limit = null)
    {
        IEnumerable<int[]> tokens = Sequences.Select(s => s.Tokens);
        return (limit is int n ? tokens.Take(n) : tokens).ToList();
    }

    public IReadOnlyDictionary<RejectionReason, int> RejectionsByReason =>
        Rejections.GroupBy(r => r.Reason).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Quantises and tokenizes <paramref name="songs"/> (all of set <paramref name="set"/>, split <paramref name="split"/>).</summary>
    public static TokenCorpus Build(CorpusSet set, Split split, CorpusView view, IEnumerable<Song> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        if (!CorpusViews.Of(set).Contains(view))
        {
            throw new ArgumentException($"{set} has no {view} view", nameof(view));
        }

        var encoder = new SequenceEncoder();
        var sequences = new List<TokenSequence>();
        var rejections = new List<Rejection>();
        int unparsed = 0;
        foreach (Song song in songs)
        {
            if (song.Set != set || song.Split != split)
            {
                throw new ArgumentException($"{song.Id} is {song.Set} {song.Split}, not {set} {split}", nameof(songs));
            }

            QuantiseResult result = SongQuantiser.Quantise(song, view);
            unparsed += result.UnparsedChords;
            encoder.Add(song.Id, split, result, sequences, rejections);
        }

        return new TokenCorpus(set, split, view, sequences, rejections, unparsed);
    }

    /// <summary>The JSB chorales of one split in the <see cref="CorpusView.Chorale"/> view.</summary>
    public static TokenCorpus Build(Split split, IEnumerable<JsbChorale> chorales)
    {
        ArgumentNullException.ThrowIfNull(chorales);
        var encoder = new SequenceEncoder();
        var sequences = new List<TokenSequence>();
        var rejections = new List<Rejection>();
        foreach (JsbChorale chorale in chorales)
        {
            encoder.Add(chorale.Id, split, SongQuantiser.Quantise(chorale), sequences, rejections);
        }

        return new TokenCorpus(CorpusSet.JsbChorales, split, CorpusView.Chorale, sequences, rejections, 0);
    }

    // One growing buffer for a whole batch: the encoder writes into a span and says when it is too small.
    private sealed class SequenceEncoder
    {
        private int[] _buffer = new int[1 << 16];

        public void Add(string id, Split split, QuantiseResult result, List<TokenSequence> sequences, List<Rejection> rejections)
        {
            if (result.Piece is not { } piece)
            {
                rejections.Add(result.Rejection!);
                return;
            }

            while (true)
            {
                EncodeResult encoded = TokenEncoder.Encode(piece, _buffer);
                if (encoded.Succeeded)
                {
                    sequences.Add(new TokenSequence(id, split, _buffer[..encoded.Count]));
                    return;
                }

                if (encoded.Status != TokenStatus.BufferFull)
                {
                    rejections.Add(new Rejection(id, RejectionReason.NotTokenizable, encoded.ToString()));
                    return;
                }

                _buffer = new int[_buffer.Length * 2];
            }
        }
    }
}
