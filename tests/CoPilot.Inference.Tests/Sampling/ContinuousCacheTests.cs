using CoPilot.Inference.Sampling;
using CoPilot.TestSupport;

namespace CoPilot.Inference.Tests.Sampling;

public sealed class ContinuousCacheTests
{
    private static float[] State(params float[] values) => values;

    [Fact]
    public void An_empty_cache_says_nothing()
    {
        var cache = new ContinuousCache(dim: 3, labels: 4);
        var p = new double[4];
        Assert.False(cache.Distribution(State(1, 0, 0), p));
        Assert.All(p, x => Assert.Equal(0, x));
    }

    [Fact]
    public void The_label_of_the_likest_state_takes_almost_all_the_mass_and_the_distribution_sums_to_one()
    {
        var cache = new ContinuousCache(dim: 3, labels: 4);
        cache.Add(State(1, 0, 0), label: 2);
        cache.Add(State(0, 1, 0), label: 1);
        cache.Add(State(0, 0.1f, 1), label: 3);

        var p = new double[4];
        // Scale does not matter (cosine), only direction: (2, 0.1, 0) is nearly the first state.
        Assert.True(cache.Distribution(State(2, 0.1f, 0), p));
        Assert.Equal(1.0, p.Sum(), 9);
        Assert.True(p[2] > 0.99, $"P(2) = {p[2]}");
        Assert.Equal(0, p[0]);

        // Between two stored states, both labels share the mass by similarity.
        Assert.True(cache.Distribution(State(1, 1, 0), p));
        Assert.Equal(p[2], p[1], 6);
        Assert.True(p[3] < 0.01);
    }

    [Fact]
    public void The_same_moment_twice_adds_up_and_theta_sets_how_sharp_the_match_is()
    {
        var sharp = new ContinuousCache(dim: 2, labels: 3);
        var soft = new ContinuousCache(dim: 2, labels: 3) { Theta = 1 };
        foreach (ContinuousCache cache in new[] { sharp, soft })
        {
            cache.Add(State(1, 0), 0);
            cache.Add(State(1, 0), 0);
            cache.Add(State(0.8f, 0.6f), 1);
        }

        var p = new double[3];
        soft.Distribution(State(1, 0), p);
        double softShare = p[1];
        sharp.Distribution(State(1, 0), p);
        Assert.InRange(softShare, 0.2, 0.34); // exp(0.8 − 1) against two of exp(0): about 0.29
        Assert.True(p[1] < 1e-4, $"sharp P(1) = {p[1]}");
    }

    [Fact]
    public void The_excluded_label_gets_nothing_and_a_cache_of_only_it_says_nothing()
    {
        var cache = new ContinuousCache(dim: 2, labels: 3);
        cache.Add(State(1, 0), 0);
        var p = new double[3];
        Assert.False(cache.Distribution(State(1, 0), p, excluded: 0));

        cache.Add(State(0, 1), 2);
        Assert.True(cache.Distribution(State(1, 0), p, excluded: 0));
        Assert.Equal(0, p[0]);
        Assert.Equal(1.0, p[2], 9);
    }

    [Fact]
    public void A_full_cache_forgets_its_oldest_entries()
    {
        var cache = new ContinuousCache(dim: 2, labels: 5, capacity: 3);
        cache.Add(State(1, 0), 4); // forgotten by the fourth entry
        cache.Add(State(0, 1), 1);
        cache.Add(State(0, 1), 1);
        cache.Add(State(0, 1), 2);

        Assert.Equal(3, cache.Count);
        var p = new double[5];
        Assert.True(cache.Distribution(State(1, 0), p));
        Assert.Equal(0, p[4]);
        Assert.Equal(2.0 / 3, p[1], 6);

        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.False(cache.Distribution(State(1, 0), p));
    }

    [Fact]
    public void States_of_the_wrong_length_zero_or_not_finite_and_labels_out_of_range_are_ignored()
    {
        var cache = new ContinuousCache(dim: 2, labels: 3);
        cache.Add(State(1, 0, 0), 0);
        cache.Add(State(0, 0), 0);
        cache.Add(State(float.NaN, 1), 0);
        cache.Add(State(1, 0), 3);
        cache.Add(State(1, 0), -1);
        Assert.Equal(0, cache.Count);

        cache.Add(State(1, 0), 1);
        var p = new double[3];
        Assert.False(cache.Distribution(State(0, 0), p));
        Assert.False(cache.Distribution(State(float.PositiveInfinity, 0), p));
        Assert.False(cache.Distribution([], p));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Distribution(State(1, 0), new double[2]));
    }

    [Fact]
    public void Adding_and_asking_allocate_nothing()
    {
        var cache = new ContinuousCache(dim: 256, labels: 108);
        var state = new float[256];
        var p = new double[108];
        long allocated = AllocationCount.During(() =>
        {
            for (int i = 0; i < 600; i++)
            {
                state[i % 256] += 1;
                cache.Add(state, i % 108);
                cache.Distribution(state, p, excluded: 5);
            }
        });
        Assert.Equal(0, allocated);
    }
}
