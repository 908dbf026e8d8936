using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

public class DropoutTests
{
    [Fact]
    public void EvalIsDeterministicTrainingAndMonteCarloDropoutAreNot()
    {
        using var net = TinyNetworks.Slice();
        using var _ = no_grad();
        using var x = TinyNetworks.Input(8, 32, 32);

        net.eval();
        using var a = net.forward(x);
        using var b = net.forward(x);
        Assert.True(TinyNetworks.Same(a.Semantic, b.Semantic), "eval mode must give identical outputs");

        net.SetDropoutActive(true);
        using var c = net.forward(x);
        Assert.False(TinyNetworks.Same(a.Semantic, c.Semantic), "dropout switched on at inference must change the output");

        net.SetDropoutActive(false);
        using var d = net.forward(x);
        Assert.True(TinyNetworks.Same(a.Semantic, d.Semantic), "switching dropout off again restores eval behaviour");

        net.train();
        using var e = net.forward(x);
        Assert.False(TinyNetworks.Same(a.Semantic, e.Semantic), "training mode has dropout");
    }

    [Fact]
    public void SwinEvalIsDeterministic()
    {
        using var net = TinyNetworks.Swin();
        net.eval();
        using var _ = no_grad();
        using var x = TinyNetworks.Input(32, 32, 32);
        using var a = net.forward(x);
        using var b = net.forward(x);
        Assert.True(TinyNetworks.Same(a.Semantic, b.Semantic));
        Assert.True(TinyNetworks.Same(a.Embedding!, b.Embedding!));
        net.SetDropoutActive(true);
        using var c = net.forward(x);
        Assert.False(TinyNetworks.Same(a.Semantic, c.Semantic));
    }
}
