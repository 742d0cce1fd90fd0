namespace CoPilot.Music;

/// <summary>
/// Learns the weights of a <see cref="KeyModel"/>: multinomial logistic regression over the 24 keys, the mean
/// cross-entropy plus an L2 penalty on the feature weights (not the biases), minimised by full-batch Adam
/// (Kingma and Ba 2015) from zero weights. Deterministic: the same samples give the same weights.
/// </summary>
public sealed class KeyModelTrainer
{
    private readonly List<(double[] Features, int Key)> _samples = [];

    public int Count => _samples.Count;

    /// <summary>One example: the 24 keys' features (<see cref="KeyModel.Features"/>) and the index of the right key.</summary>
    public void Add(ReadOnlySpan<double> features, int keyIndex)
    {
        if (features.Length != Key.MajorMinorCount * KeyModel.FeatureCount)
        {
            throw new ArgumentException("Features of 24 keys.", nameof(features));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(keyIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(keyIndex, Key.MajorMinorCount);
        _samples.Add((features.ToArray(), keyIndex));
    }

    /// <summary>Weights, major then minor (<see cref="KeyModel.WeightCount"/> each), after <paramref name="steps"/> Adam steps.</summary>
    public double[] Fit(double l2 = 1e-3, int steps = 2000, double learningRate = 0.05)
    {
        if (_samples.Count == 0)
        {
            throw new InvalidOperationException("No samples to learn from.");
        }

        const double Beta1 = 0.9;
        const double Beta2 = 0.999;
        const double Epsilon = 1e-8;
        int n = 2 * KeyModel.WeightCount;
        double[] weights = new double[n];
        double[] gradient = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        double[] p = new double[Key.MajorMinorCount];
        for (int step = 1; step <= steps; step++)
        {
            Array.Clear(gradient);
            foreach ((double[] features, int key) in _samples)
            {
                KeyModel.Probabilities(features, weights, p);
                for (int k = 0; k < Key.MajorMinorCount; k++)
                {
                    double error = p[k] - (k == key ? 1 : 0);
                    int offset = k < PitchClass.Count ? 0 : KeyModel.WeightCount;
                    int x = k * KeyModel.FeatureCount;
                    for (int j = 0; j < KeyModel.FeatureCount; j++)
                    {
                        gradient[offset + j] += error * features[x + j];
                    }

                    gradient[offset + KeyModel.FeatureCount] += error;
                }
            }

            for (int i = 0; i < n; i++)
            {
                bool bias = i % KeyModel.WeightCount == KeyModel.FeatureCount;
                double g = (gradient[i] / _samples.Count) + (bias ? 0 : 2 * l2 * weights[i]);
                m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g);
                v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(Beta1, step));
                double vHat = v[i] / (1 - Math.Pow(Beta2, step));
                weights[i] -= learningRate * mHat / (Math.Sqrt(vHat) + Epsilon);
            }
        }

        return weights;
    }
}
