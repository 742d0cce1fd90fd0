using CoPilot.Core;
namespace CoPilot.Evaluation.Baselines;

/// <summary>
/// How a continuation is drawn: <see cref="Temperature"/> sharpens (below 1) or flattens (above 1) the model's
/// distribution, 0 always takes the most probable token; <see cref="TopP"/> keeps only the most probable
/// tokens whose mass reaches it (nucleus sampling, Holtzman et al. 2020), 1 keeps all.
/// </summary>
public readonly record struct SamplingSettings(double Temperature = 1, double TopP = 1);

/// <summary>Clears <c>allowed[t]</c> for every token t that may not follow <paramref name="context"/> (a grammar's rules).</summary>
public delegate void TokenMask(ReadOnlySpan<int> context, Span<bool> allowed);

/// <summary>
/// Draws tokens from a <see cref="ITokenModel"/>: the same model, settings, seed and calls give the same
/// tokens on every run and machine (SplitMix64, Steele, Lea and Flood 2014, drives the choices).
/// </summary>
/// <remarks>[one thread at a time] The buffers are allocated once, in the constructor.</remarks>
public sealed class TokenSampler
{
    private readonly ITokenModel _model;
    private readonly SamplingSettings _settings;
    private readonly double[] _probabilities;
    private readonly bool[] _allowed;
    private readonly int[] _order;
    private readonly double[] _sortKeys;
    private SplitMix64 _random;

    public TokenSampler(ITokenModel model, SamplingSettings settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(settings.Temperature >= 0) || double.IsInfinity(settings.Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "temperature must be finite and not negative");
        }

        if (!(settings.TopP > 0 && settings.TopP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "top-p must be in (0, 1]");
        }

        _model = model;
        _settings = settings;
        int v = model.VocabularySize;
        _probabilities = new double[v];
        _allowed = new bool[v];
        _order = new int[v];
        _sortKeys = new double[v];
        _random = new SplitMix64(seed);
    }

    /// <summary>
    /// One token after <paramref name="context"/>. Tokens the <paramref name="mask"/> forbids are never drawn;
    /// throws <see cref="InvalidOperationException"/> when it forbids every token.
    /// </summary>
    public int Next(ReadOnlySpan<int> context, TokenMask? mask = null)
    {
        int v = _probabilities.Length;
        _model.Distribution(context, _probabilities);
        Array.Fill(_allowed, true);
        mask?.Invoke(context, _allowed);

        // Work in log space so a low temperature cannot underflow every probability to 0.
        double best = double.NegativeInfinity;
        int argmax = -1;
        for (int t = 0; t < v; t++)
        {
            double logP = _allowed[t] && _probabilities[t] > 0 ? Math.Log(_probabilities[t]) : double.NegativeInfinity;
            _probabilities[t] = logP;
            if (logP > best)
            {
                best = logP;
                argmax = t;
            }
        }

        if (argmax < 0)
        {
            throw new InvalidOperationException("the mask forbids every token");
        }

        if (_settings.Temperature == 0)
        {
            return argmax;
        }

        double total = 0;
        for (int t = 0; t < v; t++)
        {
            double w = Math.Exp((_probabilities[t] - best) / _settings.Temperature);
            _probabilities[t] = w;
            total += w;
        }

        int candidates = v;
        if (_settings.TopP < 1)
        {
            candidates = Nucleus(total);
            total = 0;
            for (int i = 0; i < candidates; i++)
            {
                total += _probabilities[_order[i]];
            }
        }
        else
        {
            for (int t = 0; t < v; t++)
            {
                _order[t] = t;
            }
        }

        double u = NextDouble() * total;
        int last = argmax;
        for (int i = 0; i < candidates; i++)
        {
            int t = _order[i];
            double w = _probabilities[t];
            if (w <= 0)
            {
                continue;
            }

            last = t;
            u -= w;
            if (u < 0)
            {
                return t;
            }
        }

        // Rounding can leave u a hair above 0 after the last candidate.
        return last;
    }

    /// <summary>
    /// Appends <paramref name="count"/> tokens to <paramref name="prompt"/>, each drawn given everything
    /// before it, and returns only the new tokens; stops early after <paramref name="stopToken"/> (kept).
    /// </summary>
    public int[] Continue(ReadOnlySpan<int> prompt, int count, TokenMask? mask = null, int stopToken = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int[] sequence = new int[prompt.Length + count];
        prompt.CopyTo(sequence);
        int length = prompt.Length;
        while (length < sequence.Length)
        {
            // The whole history: the model reads its last tokens, a grammar's mask may need all of them.
            int token = Next(sequence.AsSpan(0, length), mask);
            sequence[length++] = token;
            if (token == stopToken)
            {
                break;
            }
        }

        return sequence[prompt.Length..length];
    }

    // Sorts the tokens by weight (ties to the lower id) and returns how many reach TopP of the mass.
    private int Nucleus(double total)
    {
        int v = _probabilities.Length;
        for (int t = 0; t < v; t++)
        {
            _order[t] = t;
            // Negated so that the ascending sort puts the heaviest first; the id breaks ties deterministically.
            _sortKeys[t] = -_probabilities[t];
        }

        Array.Sort(_sortKeys, _order, Comparer<double>.Default);
        StableTies();
        double threshold = _settings.TopP * total;
        double mass = 0;
        for (int i = 0; i < v; i++)
        {
            mass += _probabilities[_order[i]];
            if (mass >= threshold)
            {
                return i + 1;
            }
        }

        return v;
    }

    // Array.Sort is not stable: order runs of equal weight by token id.
    private void StableTies()
    {
        int v = _order.Length;
        int runStart = 0;
        for (int i = 1; i <= v; i++)
        {
            if (i == v || _sortKeys[i] != _sortKeys[runStart])
            {
                if (i - runStart > 1)
                {
                    Array.Sort(_order, runStart, i - runStart);
                }

                runStart = i;
            }
        }
    }

    private double NextDouble() => _random.NextDouble();
}
