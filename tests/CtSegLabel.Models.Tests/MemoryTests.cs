using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>The dispose discipline (a scope per block, outputs owned by the caller) keeps repeated
/// forward passes from accumulating tensors. No GC is forced: leaked tensors would only be freed by
/// finalizers, which is exactly what must not be relied on. Resident memory is a whole-process figure, so
/// these run alone (no other test allocating beside them).</summary>
[Collection(MemoryCollection.Name)]
public class MemoryTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("swin")]
    [InlineData("slice")]
    public void TwentyForwardsDoNotGrowMemory(string which)
    {
        using var net = which == "swin" ? TinyNetworks.Swin() : TinyNetworks.Slice();
        net.eval();
        using var x = which == "swin" ? TinyNetworks.Input(32, 32, 64) : TinyNetworks.Input(16, 32, 32);
        using var _ = no_grad();
        for (int i = 0; i < 5; i++) Forward(net, x);
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long before = ResidentBytes();
        for (int i = 0; i < 20; i++) Forward(net, x);
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long after = ResidentBytes();
        log.WriteLine($"live tensors {liveBefore} → {liveAfter}; resident memory {before / 1048576.0:F0} MB → {after / 1048576.0:F0} MB");

        // Exact: not one tensor handle may survive a forward pass the caller disposed.
        Assert.Equal(liveBefore, liveAfter);
        // Loose, for native memory outside tensor handles: the allocator keeps some pages, but a leak
        // of the activations (tens of MB per pass) would pass this bound within a few calls.
        Assert.True(after - before < 150L << 20, $"resident memory grew by {(after - before) >> 20} MB over 20 forwards");
    }

    private static void Forward(SegmentationNetwork net, Tensor x)
    {
        using var y = net.forward(x);
        Assert.Equal(4, y.Semantic.shape[1]);
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Environment.WorkingSet;
    }
}

/// <summary>Tests that read process-wide memory: xunit runs this collection by itself, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "process memory (runs alone)";
}
