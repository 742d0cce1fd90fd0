using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace CoPilot.Inference.Onnx;

/// <summary>
/// Runs the exported transformer (CoPilot.Export's decode graph) one token at a time with ONNX Runtime:
/// every input, the logits and the per-layer KV cache live in buffers allocated once, bound once through an
/// <see cref="OrtIoBinding"/>, so <see cref="Step"/> allocates nothing.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> <see cref="Load(string, string?)"/> allocates and reads a file: call it off the audio
/// thread, while the transport is stopped. After that one thread (the inference thread) owns the decoder:
/// <see cref="Step"/>, <see cref="Prefill"/> and <see cref="Reset"/> are not thread-safe.</para>
/// <para><b>Session options.</b> One intra-op and one inter-op thread with spinning off, so the model never
/// competes with the host's audio threads (DESIGN.md); graph optimisation "all" for ORT's fusions.</para>
/// <para><b>KV cache.</b> Each layer's past and present key (and value) are bound to the same float buffer
/// [1, heads, ContextLength, headDim]; GroupQueryAttention sees equal pointers and writes the new rows in place.
/// <see cref="Reset"/> only rewinds the position: rows past it are never read.</para>
/// <para><b>Errors.</b> A missing, corrupt or mismatched model gives <see cref="OnnxModelException"/> from
/// <c>Load</c>, never a crash. <see cref="Step"/> throws only on caller errors (a token outside the vocabulary,
/// a full context), which a caller avoids by checking <see cref="VocabSize"/> and <see cref="IsFull"/>.</para>
/// </remarks>
public sealed class OnnxDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _stepBinding;
    private readonly List<IDisposable> _owned = [];

    private readonly long[] _stepIds = new long[1];
    private readonly long[] _stepPositions = new long[1];
    private readonly int[] _seqLensK = new int[1];
    private readonly int[] _totalLength = new int[1];
    private readonly float[] _stepLogits;
    private readonly float[] _stepHidden;

    private readonly long[] _prefillIds;
    private readonly long[] _prefillPositions;
    private readonly float[] _prefillLogits;
    private readonly float[] _prefillHidden;
    private int _hiddenOffset;
    private float[] _hidden;

    private readonly OrtValue _seqLensValue;
    private readonly OrtValue _totalValue;
    private readonly OrtValue[] _keys;
    private readonly OrtValue[] _values;

    private OnnxDecoder(InferenceSession session, OnnxModelInfo info, double loadMilliseconds)
    {
        _session = session;
        Info = info;
        LoadMilliseconds = loadMilliseconds;
        int context = info.ContextLength, vocab = info.VocabSize;
        _stepLogits = new float[vocab];
        _stepHidden = new float[info.Dim];
        _prefillIds = new long[context];
        _prefillPositions = new long[context];
        _prefillLogits = new float[context * vocab];
        _prefillHidden = new float[context * info.Dim];
        _hidden = _stepHidden;

        _seqLensValue = Own(OrtValue.CreateTensorValueFromMemory(_seqLensK, [1]));
        _totalValue = Own(OrtValue.CreateTensorValueFromMemory(_totalLength, []));
        long[] kvShape = [1, info.Heads, context, info.HeadDim];
        int kvLength = info.Heads * context * info.HeadDim;
        _keys = new OrtValue[info.Layers];
        _values = new OrtValue[info.Layers];
        for (int i = 0; i < info.Layers; i++)
        {
            _keys[i] = Own(OrtValue.CreateTensorValueFromMemory(new float[kvLength], kvShape));
            _values[i] = Own(OrtValue.CreateTensorValueFromMemory(new float[kvLength], kvShape));
        }

        _stepBinding = Own(_session.CreateIoBinding());
        Bind(
            _stepBinding,
            Own(OrtValue.CreateTensorValueFromMemory(_stepIds, [1, 1])),
            Own(OrtValue.CreateTensorValueFromMemory(_stepPositions, [1, 1])),
            Own(OrtValue.CreateTensorValueFromMemory(_stepLogits, [1, 1, vocab])),
            Own(OrtValue.CreateTensorValueFromMemory(_stepHidden, [1, 1, info.Dim])));
    }

    public OnnxModelInfo Info { get; }

    public int VocabSize => Info.VocabSize;

    public int ContextLength => Info.ContextLength;

    /// <summary>Tokens in the cache: the position the next token takes.</summary>
    public int Position { get; private set; }

    public bool IsFull => Position >= Info.ContextLength;

    /// <summary>
    /// The final hidden state (the final LayerNorm's output, length <see cref="OnnxModelInfo.Dim"/>) of the last
    /// token fed by <see cref="Step"/> or <see cref="Prefill"/>: the state the logits were read from, valid until
    /// the next call.
    /// </summary>
    public ReadOnlySpan<float> Hidden => _hidden.AsSpan(_hiddenOffset, Info.Dim);

    /// <summary>Wall time of <see cref="Load(string, string?)"/>: session creation, optimisation and checks.</summary>
    public double LoadMilliseconds { get; }

    /// <summary>
    /// Loads a decoder exported by CoPilot.Export. Throws <see cref="OnnxModelException"/> (and nothing else for
    /// a bad file) when the file is missing, is not a loadable ONNX model, or does not match this decoder's
    /// format version or <paramref name="expectedVocabularyHash"/> (when given).
    /// </summary>
    public static OnnxDecoder Load(string path, string? expectedVocabularyHash = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new OnnxModelException(OnnxModelError.Missing, $"No model file at '{path}'.");
        }

        return Create(options => new InferenceSession(path, options), path, expectedVocabularyHash);
    }

    /// <summary>Loads a decoder from the bytes of a model file (same checks as <see cref="Load(string, string?)"/>).</summary>
    public static OnnxDecoder Load(byte[] model, string? expectedVocabularyHash = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(options => new InferenceSession(model, options), "model bytes", expectedVocabularyHash);
    }

    /// <summary>Forgets the sequence: the next token is at position 0.</summary>
    public void Reset() => Position = 0;

    /// <summary>
    /// Forgets every token from <paramref name="position"/> on, so the next token takes that position: a branch
    /// (try a token, read its logits, step back) costs one step. GroupQueryAttention reads only the first
    /// <c>seqlens_k + 1</c> entries of the shared KV buffer, so the forgotten entries are never seen and are
    /// overwritten by the next step.
    /// </summary>
    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    /// <summary>
    /// Feeds one token and returns the logits for the next one (length <see cref="VocabSize"/>, valid until the
    /// next call). Allocates nothing.
    /// </summary>
    public ReadOnlySpan<float> Step(int token)
    {
        if ((uint)token >= (uint)Info.VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, "The token is outside the model's vocabulary.");
        }

        if (IsFull)
        {
            throw new InvalidOperationException("The context is full: Reset the decoder first.");
        }

        _stepIds[0] = token;
        _stepPositions[0] = Position;
        _seqLensK[0] = Position;
        _totalLength[0] = Position + 1;
        _session.RunWithBinding(_runOptions, _stepBinding);
        _hidden = _stepHidden;
        _hiddenOffset = 0;
        Position++;
        return _stepLogits;
    }

    /// <summary>
    /// Feeds several tokens in one run and returns their logits, row-major [tokens.Length, <see cref="VocabSize"/>]
    /// (the last row predicts the next token; valid until the next call). Builds a binding per call, so it
    /// allocates a little: use it when a phrase starts, not per token.
    /// </summary>
    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
    {
        int count = tokens.Length;
        if (count == 0)
        {
            return [];
        }

        if (Position + count > Info.ContextLength)
        {
            throw new InvalidOperationException($"{count} tokens do not fit after position {Position} in a context of {Info.ContextLength}.");
        }

        for (int i = 0; i < count; i++)
        {
            if ((uint)tokens[i] >= (uint)Info.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], "A token is outside the model's vocabulary.");
            }

            _prefillIds[i] = tokens[i];
            _prefillPositions[i] = Position + i;
        }

        _seqLensK[0] = Position + count - 1;
        _totalLength[0] = Position + count;
        int vocab = Info.VocabSize;
        var memory = OrtMemoryInfo.DefaultInstance;
        using var ids = OrtValue.CreateTensorValueFromMemory(memory, _prefillIds.AsMemory(0, count), [1, count]);
        using var positions = OrtValue.CreateTensorValueFromMemory(memory, _prefillPositions.AsMemory(0, count), [1, count]);
        using var logits = OrtValue.CreateTensorValueFromMemory(memory, _prefillLogits.AsMemory(0, count * vocab), [1, count, vocab]);
        using var hidden = OrtValue.CreateTensorValueFromMemory(memory, _prefillHidden.AsMemory(0, count * Info.Dim), [1, count, Info.Dim]);
        using var binding = _session.CreateIoBinding();
        Bind(binding, ids, positions, logits, hidden);
        _session.RunWithBinding(_runOptions, binding);
        _hidden = _prefillHidden;
        _hiddenOffset = (count - 1) * Info.Dim;
        Position += count;
        return _prefillLogits.AsSpan(0, count * vocab);
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static OnnxDecoder Create(Func<SessionOptions, InferenceSession> open, string source, string? expectedVocabularyHash)
    {
        OrtTelemetry.TurnOff();
        long start = Stopwatch.GetTimestamp();
        InferenceSession session;
        using (var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        })
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            try
            {
                session = open(options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new OnnxModelException(OnnxModelError.Corrupt, $"ONNX Runtime cannot load {source}: {e.Message}", e);
            }
            catch (IOException e)
            {
                throw new OnnxModelException(OnnxModelError.Missing, $"Cannot read {source}: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new OnnxModelException(OnnxModelError.Missing, $"Cannot read {source}: {e.Message}", e);
            }
        }

        try
        {
            var info = CheckCompatible(session, source, expectedVocabularyHash);
            return new OnnxDecoder(session, info, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static OnnxModelInfo CheckCompatible(InferenceSession session, string source, string? expectedVocabularyHash)
    {
        if (!OnnxModelInfo.TryParse(session.ModelMetadata.CustomMetadataMap, out var info, out string error))
        {
            throw new OnnxModelException(OnnxModelError.Incompatible, $"{source} is not a CoPilot decoder: {error}.");
        }

        if (info!.FormatVersion != OnnxModelInfo.CurrentFormatVersion)
        {
            throw new OnnxModelException(OnnxModelError.Incompatible, $"{source} has decoder format {info.FormatVersion}; this build reads format {OnnxModelInfo.CurrentFormatVersion}.");
        }

        if (expectedVocabularyHash is not null && info.VocabularyHash != expectedVocabularyHash)
        {
            throw new OnnxModelException(OnnxModelError.Incompatible, $"{source} was trained on vocabulary {info.VocabularyHash}, not {expectedVocabularyHash}.");
        }

        long[] kvShape = [1, info.Heads, info.ContextLength, info.HeadDim];
        var expected = new List<(string Name, long[]? Shape, bool Input)>
        {
            (DecoderTensorNames.InputIds, null, true),
            (DecoderTensorNames.PositionIds, null, true),
            (DecoderTensorNames.SeqLensK, null, true),
            (DecoderTensorNames.TotalSequenceLength, null, true),
            (DecoderTensorNames.Logits, null, false),
            (DecoderTensorNames.Hidden, null, false),
        };
        for (int i = 0; i < info.Layers; i++)
        {
            expected.Add((DecoderTensorNames.PastKey(i), kvShape, true));
            expected.Add((DecoderTensorNames.PastValue(i), kvShape, true));
            expected.Add((DecoderTensorNames.PresentKey(i), kvShape, false));
            expected.Add((DecoderTensorNames.PresentValue(i), kvShape, false));
        }

        foreach (var (name, shape, input) in expected)
        {
            var metadata = input ? session.InputMetadata : session.OutputMetadata;
            if (!metadata.TryGetValue(name, out var node))
            {
                throw new OnnxModelException(OnnxModelError.Incompatible, $"{source} has no {(input ? "input" : "output")} '{name}'.");
            }

            if (shape is not null && !Array.ConvertAll(node.Dimensions, d => (long)d).AsSpan().SequenceEqual(shape))
            {
                throw new OnnxModelException(OnnxModelError.Incompatible, $"{source}: '{name}' has shape [{string.Join(", ", node.Dimensions)}], its metadata says [{string.Join(", ", shape)}].");
            }
        }

        int extraInputs = session.InputMetadata.Count - (4 + (2 * info.Layers));
        if (extraInputs != 0)
        {
            throw new OnnxModelException(OnnxModelError.Incompatible, $"{source} has {session.InputMetadata.Count} inputs; a decoder of {info.Layers} layers has {4 + (2 * info.Layers)}.");
        }

        return info;
    }

    private void Bind(OrtIoBinding binding, OrtValue ids, OrtValue positions, OrtValue logits, OrtValue hidden)
    {
        binding.BindInput(DecoderTensorNames.InputIds, ids);
        binding.BindInput(DecoderTensorNames.PositionIds, positions);
        binding.BindInput(DecoderTensorNames.SeqLensK, _seqLensValue);
        binding.BindInput(DecoderTensorNames.TotalSequenceLength, _totalValue);
        for (int i = 0; i < Info.Layers; i++)
        {
            binding.BindInput(DecoderTensorNames.PastKey(i), _keys[i]);
            binding.BindInput(DecoderTensorNames.PastValue(i), _values[i]);
            binding.BindOutput(DecoderTensorNames.PresentKey(i), _keys[i]);
            binding.BindOutput(DecoderTensorNames.PresentValue(i), _values[i]);
        }

        binding.BindOutput(DecoderTensorNames.Logits, logits);
        binding.BindOutput(DecoderTensorNames.Hidden, hidden);
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
