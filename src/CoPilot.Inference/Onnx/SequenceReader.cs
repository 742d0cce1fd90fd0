namespace CoPilot.Inference.Onnx;

/// <summary>
/// Reads one growing token sequence through a decoder for offline work (scoring a song, accompanying a file):
/// whatever its length, the logits after any prefix, and what the model would say after one more token.
/// </summary>
/// <remarks>
/// <para>
/// A sequence longer than the context is read in a window that, when full, starts again from the last half
/// context (as <c>WindowScorer</c> scores, and as training windows start mid-song), so every prediction has at
/// least half a context of history. One position is always kept free for <see cref="Peek"/>.
/// </para>
/// <para>
/// Reading uses <see cref="OnnxDecoder.Prefill"/>, which allocates a little per call: not for the inference
/// thread. [one thread at a time] The decoder is not thread-safe.
/// </para>
/// </remarks>
public sealed class SequenceReader
{
    private readonly OnnxDecoder _decoder;
    private readonly float[] _logits;
    private readonly float[] _hidden;
    private int _read;

    public SequenceReader(OnnxDecoder decoder)
    {
        _decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
        if (decoder.ContextLength < 4)
        {
            throw new ArgumentException("The decoder's context is too short to read in windows.", nameof(decoder));
        }

        _logits = new float[decoder.VocabSize];
        _hidden = new float[decoder.Info.Dim];
    }

    /// <summary>The final hidden state the last <see cref="ReadTo"/>'s logits were read from (valid until the next call).</summary>
    public ReadOnlySpan<float> Hidden => _hidden;

    /// <summary>Tokens of the sequence read so far.</summary>
    public int Read => _read;

    /// <summary>Starts a new sequence.</summary>
    public void Reset()
    {
        _decoder.Reset();
        _read = 0;
    }

    /// <summary>
    /// Reads <paramref name="sequence"/> up to <paramref name="end"/> and returns the logits predicting
    /// <c>sequence[end]</c> (valid until the next call). The sequence must extend the tokens read so far, and
    /// <paramref name="end"/> may not go back: call <see cref="Reset"/> for another sequence.
    /// </summary>
    public ReadOnlySpan<float> ReadTo(ReadOnlySpan<int> sequence, int end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, Math.Max(1, _read));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, sequence.Length);
        int context = _decoder.ContextLength;
        if (_read == 0)
        {
            _decoder.Reset(); // a sequence starts at position 0, whatever the shared decoder did last
        }

        while (_read < end)
        {
            if (_decoder.Position >= context - 1)
            {
                MoveWindow(sequence);
            }

            int chunk = Math.Min(end - _read, context - 1 - _decoder.Position);
            ReadOnlySpan<float> rows = _decoder.Prefill(sequence.Slice(_read, chunk));
            rows[^_logits.Length..].CopyTo(_logits);
            _decoder.Hidden.CopyTo(_hidden);
            _read += chunk;
        }

        return _logits;
    }

    /// <summary>
    /// ln P(<paramref name="continuation"/>[<paramref name="given"/>..] | the tokens read and
    /// <paramref name="continuation"/>[..<paramref name="given"/>]), read in one decoder call and then forgotten:
    /// what was read, and the logits and hidden state of <see cref="ReadTo"/>, stay as they were.
    /// <paramref name="sequence"/> is the sequence read so far (at least <see cref="Read"/> tokens), needed when the
    /// window must move on to make room.
    /// </summary>
    public double LogProbability(ReadOnlySpan<int> sequence, ReadOnlySpan<int> continuation, int given = 0)
    {
        if (_read == 0)
        {
            throw new InvalidOperationException("Read the sequence's first tokens before scoring a continuation.");
        }

        int context = _decoder.ContextLength;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(continuation.Length, (context / 2) - 1, nameof(continuation));
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence.Length, _read, nameof(sequence));
        ArgumentOutOfRangeException.ThrowIfNegative(given);
        if (given >= continuation.Length)
        {
            return 0;
        }

        if (_decoder.Position + continuation.Length > context - 1)
        {
            MoveWindow(sequence);
        }

        int position = _decoder.Position;
        double total = given == 0 ? Logits.LogSoftmax(_logits, continuation[0]) : 0;
        if (continuation.Length > 1)
        {
            ReadOnlySpan<float> rows = _decoder.Prefill(continuation[..^1]);
            int vocab = _logits.Length;
            for (int k = Math.Max(1, given); k < continuation.Length; k++)
            {
                total += Logits.LogSoftmax(rows.Slice((k - 1) * vocab, vocab), continuation[k]);
            }

            _decoder.Rewind(position);
        }

        return total;
    }

    /// <summary>
    /// Forgets the last <paramref name="count"/> tokens read, so the sequence may go on differently from there
    /// (a token tried and taken back). The next <see cref="ReadTo"/> must read at least one token.
    /// </summary>
    public void Forget(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _read);
        if (count <= _decoder.Position)
        {
            _decoder.Rewind(_decoder.Position - count);
            _read -= count;
        }
        else
        {
            Reset(); // the window no longer holds them: the next ReadTo reads again from the start
        }
    }

    // Starts the window again from the last half context of what was read (as training windows start mid-song).
    private void MoveWindow(ReadOnlySpan<int> sequence)
    {
        int keep = Math.Min(_read, _decoder.ContextLength / 2);
        _decoder.Reset();
        _decoder.Prefill(sequence.Slice(_read - keep, keep));
    }

    /// <summary>
    /// The logits after the tokens read plus <paramref name="token"/>, which is then forgotten (valid until the next
    /// call; the logits of <see cref="ReadTo"/> stay as they were).
    /// </summary>
    public ReadOnlySpan<float> Peek(int token)
    {
        if (_read == 0)
        {
            throw new InvalidOperationException("Read the sequence's first tokens before peeking past them.");
        }

        int position = _decoder.Position;
        ReadOnlySpan<float> logits = _decoder.Step(token);
        _decoder.Rewind(position);
        return logits;
    }
}
