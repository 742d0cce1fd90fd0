using CoPilot.Inference.Onnx;

namespace CoPilot.Inference.Tests.Onnx;

public class LogitsTests
{
    [Fact]
    public void Softmax_and_log_softmax_agree_and_survive_huge_logits()
    {
        float[] logits = [1000f, 999f, 998f, float.NegativeInfinity];
        var p = new double[logits.Length];

        Logits.Softmax(logits, p);

        double z = 1 + Math.Exp(-1) + Math.Exp(-2);
        Assert.Equal(1 / z, p[0], 12);
        Assert.Equal(Math.Exp(-2) / z, p[2], 12);
        Assert.Equal(0, p[3]);
        Assert.Equal(1, p.Sum(), 12);
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(Math.Log(p[t]), Logits.LogSoftmax(logits, t), 9);
        }

        Assert.Equal(0, Logits.ArgMax(logits));
    }
}
