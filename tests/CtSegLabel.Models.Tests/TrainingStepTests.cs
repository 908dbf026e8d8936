using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>Every parameter takes part in the forward pass: one optimiser step (Adam without weight
/// decay, so only a gradient can move a value) changes every parameter tensor.</summary>
public class TrainingStepTests
{
    [Theory]
    [InlineData("swin")]
    [InlineData("slice")]
    public void OneStepChangesEveryParameter(string which)
    {
        using var net = which == "swin" ? TinyNetworks.Swin() : TinyNetworks.Slice();
        // Not 32³ for the Swin network: its bottleneck would be one voxel, which instance norm maps to 0,
        // so encoder10 would get no gradient (true of MONAI's network as well).
        using var x = which == "swin" ? TinyNetworks.Input(32, 64, 64) : TinyNetworks.Input(8, 32, 32);
        net.train();
        var before = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optim.Adam(net.parameters(), lr: 1e-3);

        using (var scope = NewDisposeScope())
        {
            var y = net.forward(x);
            var target = randn_like(y.Semantic);
            var loss = (y.Semantic - target).square().mean() + y.Embedding!.square().mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        var unchanged = net.named_parameters()
            .Where(p => TinyNetworks.Same(p.parameter.detach(), before[p.name]))
            .Select(p => p.name)
            .ToList();
        Assert.Empty(unchanged);
        foreach (var t in before.Values) t.Dispose();
    }
}
