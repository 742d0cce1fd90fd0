using TorchSharp;
using static TorchSharp.torch;

namespace CoPilot.Training.Tests;

/// <summary>
/// Loads libtorch through the build output's libLibTorchSharp.so: on machines whose libstdc++ lacks
/// GLIBCXX_3.4.32 this only works after Directory.Build.targets has marked that version need weak.
/// </summary>
public sealed class NativeLoadTests
{
    [Fact]
    public void MatmulOfOnesCountsTheInnerDimension()
    {
        using var a = ones(2, 3);
        using var b = ones(3, 4);
        using var c = a.matmul(b);

        Assert.Equal([2L, 4L], c.shape);
        Assert.All(c.data<float>().ToArray(), v => Assert.Equal(3f, v));
    }
}
