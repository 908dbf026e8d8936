using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Models;
using TorchSharp;

namespace CtSegLabel.CtApp.Tests;

/// <summary>What the server's infers leave behind (issue #8: resident memory grew with every infer under load):
/// no tensor, whichever thread ran them, and no free C heap that cannot be given back. Tensor counts are
/// process-wide, so this runs alone.</summary>
[Collection(MemoryCollection.Name)]
public class InferMemoryTests(PhantomCt phantom) : IClassFixture<PhantomCt>
{
    [Fact]
    public async Task Infers_leave_no_tensor_whichever_thread_ran_them()
    {
        using var dir = new TestDir();
        Checkpoints.InitTiny(Path.Combine(dir.Path, "swinunetr_v2", "v1.ctseg"));
        // Earlier tests' undisposed tensors are finalized now, not in the middle of the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long beforeApp = torch.Tensor.TotalCount;
        using var app = new CtSegmentationApp(new AppEnvironment(dir.Path, dir.Path), ComputeDevice.Choose("cpu", "fp32"));
        Task<InferResult> Infer() => app.InferTasks[0].InferAsync(
            new InferRequest(CtSegmentationApp.SwinUnetrV2Model, null, new JsonObject { ["statistics"] = false }), phantom.Ct, CancellationToken.None);

        await Infer(); // loads the model: its parameters stay while the app serves it
        // Other tests' garbage tensors are finalized now, not during the loop (where they would lower the count).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long loaded = torch.Tensor.TotalCount;
        Assert.True(loaded > beforeApp, "the loaded model's parameters are tensors");
        // The pipeline runs on thread-pool threads, where a per-thread count would not look: count them all, and
        // without a forced collection (finalizers would free leaked tensors and hide them).
        for (int n = 0; n < 3; n++)
        {
            var result = await Infer();
            Assert.Equal(phantom.Ct.Shape, result.Labels.Shape);
            Assert.Equal(loaded, torch.Tensor.TotalCount);
        }
    }

    [Fact]
    public async Task Infers_leave_no_MKL_buffers_pooled_whichever_thread_ran_them()
    {
        if (!MklIsLinked) return; // MKL is in libtorch's x64 CPU build; elsewhere MklBuffers is a documented no-op
        using var dir = new TestDir();
        Checkpoints.InitTiny(Path.Combine(dir.Path, "swinunetr_v2", "v1.ctseg"));
        using var app = new CtSegmentationApp(new AppEnvironment(dir.Path, dir.Path), ComputeDevice.Choose("cpu", "fp32"));
        for (int n = 0; n < 3; n++)
        {
            // Each from a thread of its own, as successive infers land on different pool threads in a loaded server.
            var run = new Thread(() => app.InferTasks[0].InferAsync(
                new InferRequest(CtSegmentationApp.SwinUnetrV2Model, null, new JsonObject { ["statistics"] = false }), phantom.Ct,
                CancellationToken.None).GetAwaiter().GetResult());
            run.Start();
            await Task.Run(run.Join);
            Assert.Equal(0L, MklBuffers.HeldBytes());
        }
    }

    [Fact]
    public void MKL_pools_a_threads_scratch_buffers_until_they_are_freed()
    {
        if (!MklIsLinked) return;
        using var network = TinyWindows.Network();
        using var predictor = new TorchWindowPredictor(network, ComputeDevice.Choose("cpu", "fp32"));
        var window = TinyWindows.Window(1, new Imaging.Volumes.Shape3(32, 32, 32));
        long? held = null, afterFree = null;
        bool freed = false;
        // Read while the thread that ran the products is alive: MKL may release a calling thread's pool when it exits.
        var thread = new Thread(() =>
        {
            predictor.Predict([window], embeddings: false, CancellationToken.None);
            held = MklBuffers.HeldBytes();
            freed = MklBuffers.Free();
            afterFree = MklBuffers.HeldBytes();
        });
        thread.Start();
        thread.Join();

        // The products are done and MKL still holds what they used: the growth the load test found. Freeing them leaves
        // nothing.
        Assert.True(held > 0, "a convolution's matrix products left no MKL buffer: the premise of MklBuffers is gone");
        Assert.True(freed);
        Assert.Equal(0L, afterFree);
    }

    private static bool MklIsLinked => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [Fact]
    public void Trim_gives_back_free_memory_inside_an_arena()
    {
        if (!OperatingSystem.IsLinux()) return; // malloc_trim is glibc's; elsewhere Trim is a documented no-op
        bool released = false;
        // On a thread of its own (its own arena, as a pool thread running an infer has): blocks freed below one that
        // stays allocated cannot be returned by shrinking the heap's top, only by malloc_trim.
        var thread = new Thread(() =>
        {
            var blocks = new List<nint>();
            unsafe
            {
                for (int n = 0; n < 512; n++) blocks.Add((nint)NativeMemory.Alloc(64 * 1024));
                for (int n = 0; n < blocks.Count - 1; n++) NativeMemory.Free((void*)blocks[n]);
                released = NativeHeap.Trim();
                NativeMemory.Free((void*)blocks[^1]);
            }
        });
        thread.Start();
        thread.Join();
        Assert.True(released, "malloc_trim released nothing from 32 MB of freed blocks");
    }
}
