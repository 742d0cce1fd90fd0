using CoPilot.Export;
using CoPilot.Inference.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoPilot.Training;

/// <summary>
/// The co-pilot's decoder-only transformer in TorchSharp, laid out exactly as <see cref="TransformerConfig"/>
/// describes so that <see cref="ToWeights"/> feeds the ONNX exporter without renaming or reshaping.
/// </summary>
/// <remarks>
/// Forward: token ids [batch, time] (int64, time ≤ ContextLength) → logits [batch, time, vocab].
/// The fused qkv projection's output rows are [q; k; v], each Dim rows, and within each the heads follow
/// one another (head h owns rows h·HeadDim … h·HeadDim + HeadDim − 1), as in GPT-2.
/// Dropout (embedding sum and both residual branches) only acts in training mode; it is not part of the
/// exported graph. Its masks come from the model's own generator (<see cref="DropoutGenerator"/>), never from
/// torch's global one, so training is reproducible whatever else in the process draws random numbers.
/// </remarks>
public sealed class CoPilotTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokenEmbedding;
    private readonly Embedding? positionEmbedding;
    private readonly RotaryTables? rotary;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm finalNorm;
    private readonly Linear head;
    private readonly ResidualDropout dropout;

    public CoPilotTransformer(TransformerConfig config, long seed, double dropout = 0)
        : base(nameof(CoPilotTransformer))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(dropout);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dropout, 1);
        Config = config;
        DropoutGenerator = new Generator(unchecked((ulong)seed ^ 0xD6E8FEB86659FD93UL));
        this.dropout = new ResidualDropout(dropout, DropoutGenerator);
        tokenEmbedding = nn.Embedding(config.VocabSize, config.Dim);
        if (config.Positions == PositionEncoding.Learned)
        {
            positionEmbedding = nn.Embedding(config.ContextLength, config.Dim);
        }
        else
        {
            rotary = new RotaryTables(config);
        }

        var list = new TransformerBlock[config.Layers];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = new TransformerBlock(config, this.dropout, rotary);
        }

        blocks = nn.ModuleList(list);
        finalNorm = nn.LayerNorm(config.Dim, TransformerConfig.LayerNormEpsilon);
        head = nn.Linear(config.Dim, config.VocabSize, hasBias: false);

        // Registered by hand so the parameter names are the contract's (tok_emb.weight, blocks.0.ln1.bias …)
        // whatever the C# field names are.
        register_module("tok_emb", tokenEmbedding);
        if (positionEmbedding is not null)
        {
            register_module("pos_emb", positionEmbedding);
        }

        register_module("blocks", blocks);
        register_module("ln_f", finalNorm);
        register_module("head", head);
        Initialize(seed);
    }

    public TransformerConfig Config { get; }

    /// <summary>The source of dropout masks; its state is part of a training checkpoint.</summary>
    public Generator DropoutGenerator { get; }

    /// <summary>Every parameter by its contract name.</summary>
    public IReadOnlyDictionary<string, Parameter> NamedParameters()
        => named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long time = input.shape[1];
        if (time > Config.ContextLength)
        {
            throw new ArgumentException($"{time} tokens exceed the context length {Config.ContextLength}.", nameof(input));
        }

        var x = tokenEmbedding.forward(input);
        if (positionEmbedding is not null)
        {
            using var positions = arange(time, dtype: ScalarType.Int64);
            using var places = positionEmbedding.forward(positions);
            x = x.add_(places);
        }

        x = dropout.Apply(x, training);
        foreach (var block in blocks)
        {
            x = block.forward(x);
        }

        return head.forward(finalNorm.forward(x));
    }

    /// <summary>A copy of the trained weights in the exporter's layout (row-major float32, [out, in] for Linear).</summary>
    public TransformerWeights ToWeights()
    {
        var parameters = NamedParameters();
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in Config.WeightShapes())
        {
            var p = parameters[name];
            if (!p.shape.SequenceEqual(shape.Select(d => (long)d)))
            {
                throw new InvalidOperationException($"Parameter '{name}' has shape [{string.Join(',', p.shape)}], the contract says [{string.Join(',', shape)}].");
            }

            using var contiguous = p.detach().contiguous();
            tensors[name] = contiguous.data<float>().ToArray();
        }

        var weights = new TransformerWeights(Config, tensors);
        weights.Validate();
        return weights;
    }

    /// <summary>Overwrites every parameter with <paramref name="weights"/> (same config required).</summary>
    public void LoadWeights(TransformerWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Config != Config)
        {
            throw new ArgumentException($"Weights for {weights.Config} cannot load into {Config}.", nameof(weights));
        }

        weights.Validate();
        var parameters = NamedParameters();
        using var noGrad = no_grad();
        foreach (var (name, shape) in Config.WeightShapes())
        {
            using var source = tensor(weights.Tensors[name], shape.Select(d => (long)d).ToArray());
            parameters[name].copy_(source);
        }
    }

    /// <summary>Builds a model holding <paramref name="weights"/>.</summary>
    public static CoPilotTransformer FromWeights(TransformerWeights weights, double dropout = 0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var model = new CoPilotTransformer(weights.Config, seed: 0, dropout);
        model.LoadWeights(weights);
        return model;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropoutGenerator.Dispose();
            rotary?.Dispose();
        }

        base.Dispose(disposing);
    }

    // GPT-2 initialisation: N(0, 0.02) for embeddings and projections, the two projections that write into
    // the residual stream scaled by 1/√(2·layers) so its variance does not grow with depth; biases 0,
    // LayerNorm gain 1. Its own generator keeps the result independent of the global torch seed.
    private void Initialize(long seed)
    {
        const double std = 0.02;
        double residualStd = std / Math.Sqrt(2.0 * Config.Layers);
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        var parameters = NamedParameters();
        foreach (var (name, shape) in Config.WeightShapes())
        {
            var p = parameters[name];
            if (name.EndsWith("ln1.weight", StringComparison.Ordinal) || name.EndsWith("ln2.weight", StringComparison.Ordinal) || name == "ln_f.weight")
            {
                nn.init.ones_(p);
            }
            else if (shape.Length == 1)
            {
                nn.init.zeros_(p);
            }
            else
            {
                bool residual = name.EndsWith("attn.proj.weight", StringComparison.Ordinal) || name.EndsWith("mlp.proj.weight", StringComparison.Ordinal);
                // Tensor.normal_, not nn.init.normal_: the latter ignores its generator argument in TorchSharp 0.107.
                p.normal_(0, residual ? residualStd : std, generator);
            }
        }
    }
}

/// <summary>Inverted dropout with masks drawn from one given generator.</summary>
internal sealed class ResidualDropout(double probability, Generator generator)
{
    public Tensor Apply(Tensor x, bool training)
    {
        if (!training || probability == 0)
        {
            return x;
        }

        using var mask = empty_like(x).bernoulli_(1 - probability, generator);
        return x.mul(mask).div_(1 - probability);
    }
}

/// <summary>The config's cos/sin tables as [ContextLength, HeadDim/2] tensors, shared by every layer.</summary>
internal sealed class RotaryTables : IDisposable
{
    private readonly Tensor cos;
    private readonly Tensor sin;

    public RotaryTables(TransformerConfig config)
    {
        var (cosValues, sinValues) = config.RotaryTables();
        cos = tensor(cosValues, [config.ContextLength, config.HeadDim / 2]);
        sin = tensor(sinValues, [config.ContextLength, config.HeadDim / 2]);
    }

    /// <summary>
    /// x [batch, heads, time, headDim] rotated in the half-split layout: (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin)
    /// with x1 the first half of each head and x2 the second, as GroupQueryAttention does with rotary_interleaved = 0.
    /// </summary>
    public Tensor Rotate(Tensor x)
    {
        long time = x.shape[2], half = x.shape[3] / 2;
        using var c = cos.narrow(0, 0, time);
        using var s = sin.narrow(0, 0, time);
        using var x1 = x.narrow(-1, 0, half);
        using var x2 = x.narrow(-1, half, half);
        using var a = x1 * c;
        using var b = x2 * s;
        using var first = a - b;
        using var d = x2 * c;
        using var e = x1 * s;
        using var second = d + e;
        return cat([first, second], -1);
    }

    public void Dispose()
    {
        cos.Dispose();
        sin.Dispose();
    }
}

/// <summary>One pre-LayerNorm block: x += attn(ln1(x)); x += mlp(ln2(x)).</summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly CausalSelfAttention attention;
    private readonly LayerNorm norm2;
    private readonly FeedForward feedForward;
    private readonly ResidualDropout dropout;

    public TransformerBlock(TransformerConfig config, ResidualDropout dropout, RotaryTables? rotary)
        : base(nameof(TransformerBlock))
    {
        this.dropout = dropout;
        norm1 = nn.LayerNorm(config.Dim, TransformerConfig.LayerNormEpsilon);
        attention = new CausalSelfAttention(config, rotary);
        norm2 = nn.LayerNorm(config.Dim, TransformerConfig.LayerNormEpsilon);
        feedForward = new FeedForward(config);
        register_module("ln1", norm1);
        register_module("attn", attention);
        register_module("ln2", norm2);
        register_module("mlp", feedForward);
    }

    public override Tensor forward(Tensor input)
    {
        var x = input + dropout.Apply(attention.forward(norm1.forward(input)), training);
        return x + dropout.Apply(feedForward.forward(norm2.forward(x)), training);
    }
}

/// <summary>Causal multi-head self-attention with one fused qkv projection, scale 1/√headDim, q and k rotated when the model is rotary.</summary>
internal sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear projection;
    private readonly int heads;
    private readonly int headDim;
    private readonly RotaryTables? rotary;

    public CausalSelfAttention(TransformerConfig config, RotaryTables? rotary)
        : base(nameof(CausalSelfAttention))
    {
        this.rotary = rotary;
        heads = config.Heads;
        headDim = config.HeadDim;
        qkv = nn.Linear(config.Dim, 3 * config.Dim);
        projection = nn.Linear(config.Dim, config.Dim);
        register_module("qkv", qkv);
        register_module("proj", projection);
    }

    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], time = input.shape[1], dim = input.shape[2];
        // [B, T, 3D] → [3, B, H, T, hd]: rows of the fused weight are q, k, v in turn, heads within each.
        using var split = qkv.forward(input).view(batch, time, 3, heads, headDim).permute(2, 0, 3, 1, 4);
        using var q = split[0];
        using var k = split[1];
        using var v = split[2];
        using var rotatedQ = rotary?.Rotate(q);
        using var rotatedK = rotary?.Rotate(k);
        // TorchSharp spells the causal flag "is_casual"; passed by position so a fix of the name cannot break this.
        using var attended = nn.functional.scaled_dot_product_attention(rotatedQ ?? q, rotatedK ?? k, v, null, 0, true);
        using var merged = attended.transpose(1, 2).reshape(batch, time, dim);
        return projection.forward(merged);
    }
}

/// <summary>The block's MLP: proj(gelu(fc(x))) with exact (erf) GELU, hidden width 4·Dim.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;
    private readonly Linear projection;

    public FeedForward(TransformerConfig config)
        : base(nameof(FeedForward))
    {
        fc = nn.Linear(config.Dim, config.HiddenDim);
        projection = nn.Linear(config.HiddenDim, config.Dim);
        register_module("fc", fc);
        register_module("proj", projection);
    }

    public override Tensor forward(Tensor input)
    {
        using var hidden = fc.forward(input);
        using var activated = nn.functional.gelu(hidden);
        return projection.forward(activated);
    }
}
