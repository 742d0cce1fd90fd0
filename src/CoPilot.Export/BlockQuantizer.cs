namespace CoPilot.Export;

/// <summary>
/// 8-bit block quantisation in the layout of com.microsoft <c>MatMulNBits</c> (bits = 8): the weight
/// W [N, K] (PyTorch's [out, in], which is already MatMulNBits' orientation) is cut along K into blocks of
/// <see cref="BlockSize"/> values; each block gets a float scale and a uint8 zero point, and each weight is
/// stored as one uint8 so that w ≈ (q − zero_point) · scale.
/// </summary>
/// <remarks>
/// Packing (ORT ContribOperators.md, MatMulNBits): B is uint8 [N, k_blocks, blob_size] with
/// k_blocks = ⌈K / block_size⌉ and blob_size = block_size · bits / 8, so at 8 bits one byte per weight in
/// K order; scales are [N, k_blocks] of A's type; zero points packed like B, which at 8 bits is uint8
/// [N, k_blocks]. The tail of a last, partial block is padded with the zero point, i.e. weight 0.
/// The range of each block is widened to include 0 so that 0 is exact (the padding, and weights that
/// training drove to zero).
/// </remarks>
internal sealed class BlockQuantizer
{
    public const int Bits = 8;

    private const int Levels = (1 << Bits) - 1;

    public BlockQuantizer(int blockSize)
    {
        if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "MatMulNBits blocks are a power of two of at least 16.");
        }

        BlockSize = blockSize;
    }

    public int BlockSize { get; }

    /// <summary>The largest power of two ≤ <paramref name="preferred"/> that divides K (no padding), else the preferred size.</summary>
    public static int ChooseBlockSize(int k, int preferred = 128)
    {
        for (int size = preferred; size >= 16; size /= 2)
        {
            if (k % size == 0)
            {
                return size;
            }
        }

        return preferred;
    }

    public int BlocksPerRow(int k) => (k + BlockSize - 1) / BlockSize;

    /// <summary>Quantises W [n, k] row-major.</summary>
    public QuantizedMatrix Quantize(ReadOnlySpan<float> weight, int n, int k)
    {
        if (weight.Length != (long)n * k)
        {
            throw new ArgumentException($"Expected {n}×{k} weights, got {weight.Length}.", nameof(weight));
        }

        int blocks = BlocksPerRow(k);
        var data = new byte[n * blocks * BlockSize];
        var scales = new float[n * blocks];
        var zeroPoints = new byte[n * blocks];
        for (int row = 0; row < n; row++)
        {
            for (int b = 0; b < blocks; b++)
            {
                int start = b * BlockSize;
                int count = Math.Min(BlockSize, k - start);
                ReadOnlySpan<float> block = weight.Slice((row * k) + start, count);
                float lo = 0f, hi = 0f;
                foreach (float w in block)
                {
                    lo = MathF.Min(lo, w);
                    hi = MathF.Max(hi, w);
                }

                float scale = hi > lo ? (hi - lo) / Levels : 1f;
                byte zeroPoint = (byte)Math.Clamp(MathF.Round(-lo / scale), 0, Levels);
                int blob = ((row * blocks) + b) * BlockSize;
                for (int i = 0; i < BlockSize; i++)
                {
                    data[blob + i] = i < count
                        ? (byte)Math.Clamp(MathF.Round(block[i] / scale) + zeroPoint, 0, Levels)
                        : zeroPoint;
                }

                scales[(row * blocks) + b] = scale;
                zeroPoints[(row * blocks) + b] = zeroPoint;
            }
        }

        return new QuantizedMatrix(n, k, BlockSize, data, scales, zeroPoints);
    }
}

/// <summary>A weight in MatMulNBits' 8-bit layout (see <see cref="BlockQuantizer"/>).</summary>
internal sealed record QuantizedMatrix(int N, int K, int BlockSize, byte[] Data, float[] Scales, byte[] ZeroPoints)
{
    public int Blocks => Scales.Length / N;

    /// <summary>The weights the kernel actually multiplies by, [N, K] row-major.</summary>
    public float[] Dequantize()
    {
        var weight = new float[N * K];
        for (int row = 0; row < N; row++)
        {
            for (int col = 0; col < K; col++)
            {
                int b = col / BlockSize;
                int index = (row * Blocks) + b;
                byte q = Data[(index * BlockSize) + (col % BlockSize)];
                weight[(row * K) + col] = (q - ZeroPoints[index]) * Scales[index];
            }
        }

        return weight;
    }
}
