using CtSegLabel.Models;
using TorchSharp;
using Xunit.Abstractions;

namespace CtSegLabel.CtApp.Tests;

/// <summary>Repeated predictions leave no tensor behind (exact, by TorchSharp's live-handle count) and do not grow
/// resident memory in every round (a leak would; allocator arenas grow in occasional steps). Resident memory is
/// process-wide, so this runs alone.</summary>
[Collection(MemoryCollection.Name)]
public class PredictorMemoryTests(ITestOutputHelper log)
{
    [Fact]
    public void Repeated_predictions_leak_no_tensor()
    {
        using var network = TinyWindows.Network();
        using var predictor = new TorchWindowPredictor(network, ComputeDevice.Choose("cpu", "fp32"));
        var shape = new Imaging.Volumes.Shape3(32, 32, 32);
        var windows = new[] { TinyWindows.Window(1, shape), TinyWindows.Window(2, shape) };
        for (int n = 0; n < 2; n++) predictor.Predict(windows, embeddings: n % 2 == 0, CancellationToken.None);

        // Exact, and without a forced collection (finalizers would free leaked tensors and hide them).
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int n = 0; n < 4; n++) predictor.Predict(windows, embeddings: n % 2 == 0, CancellationToken.None);
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Equal(liveBefore, liveAfter);

        // Native memory held elsewhere (not by a tensor handle): resident memory after a full collection (the
        // returned arrays are garbage by then), round after round.
        var growth = new long[4];
        for (int round = 0; round < growth.Length; round++)
        {
            long start = ResidentAfterCollection();
            for (int n = 0; n < 2; n++) predictor.Predict(windows, embeddings: n % 2 == 0, CancellationToken.None);
            growth[round] = ResidentAfterCollection() - start;
        }
        log.WriteLine($"live tensors {liveBefore} → {liveAfter}; resident growth per round: {string.Join(", ", growth.Select(g => $"{g >> 20} MB"))}");
        Assert.True(growth.Min() < 8L << 20, $"resident memory grew in every round: {string.Join(", ", growth.Select(g => g >> 20))} MB");
    }

    private static long ResidentAfterCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return ProcessMemory.ResidentBytes();
    }
}
