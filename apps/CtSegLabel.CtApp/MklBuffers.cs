using System.Runtime.InteropServices;

namespace CtSegLabel.CtApp;

/// <summary>
/// The buffers Intel MKL keeps for reuse after a matrix product. libtorch's CPU convolutions run MKL's sgemm, and MKL's
/// memory allocator keeps each thread's scratch buffers in a per-thread pool that nothing frees until
/// <c>mkl_free_buffers</c> is called. The server runs infers on whichever thread-pool thread is free, and every such
/// thread brings its own OpenMP team: under mixed load (heaptrack, docs/benchmarks.md "Load (issue #8)") the pools of
/// ever more threads held 457 MB of the server's 467 MB of live native memory after 90 s, and resident memory grew
/// past the budget. These buffers are live to the C heap, so <c>malloc_trim</c> alone could not give them back.
/// libtorch_cpu links MKL in statically and exports its service functions as <c>mkl_serv_*</c>; where it does not
/// (a build without MKL, another platform) every call here is a documented no-op.
/// </summary>
internal static unsafe class MklBuffers
{
    private static readonly Lazy<(nint Free, nint Stat)> Exports = new(Resolve);

    /// <summary><c>mkl_free_buffers</c>: frees the unused buffers of every thread's pool (a buffer in use by a
    /// concurrent product, a training step on another thread say, is not touched). Whether MKL was there to ask.</summary>
    public static bool Free()
    {
        nint free = Exports.Value.Free;
        if (free == 0) return false;
        ((delegate* unmanaged<void>)free)();
        return true;
    }

    /// <summary><c>mkl_mem_stat</c>: the bytes MKL's allocator holds now, in use or pooled; null without MKL.</summary>
    public static long? HeldBytes()
    {
        nint stat = Exports.Value.Stat;
        if (stat == 0) return null;
        int buffers;
        return ((delegate* unmanaged<int*, long>)stat)(&buffers);
    }

    private static (nint, nint) Resolve()
    {
        // By its bare name the loader returns the copy TorchSharp already loaded (matched by soname), never a second one.
        string name = OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
        if (!NativeLibrary.TryLoad(name, out nint library)) return (0, 0);
        NativeLibrary.TryGetExport(library, "mkl_serv_free_buffers", out nint free);
        NativeLibrary.TryGetExport(library, "mkl_serv_mem_stat", out nint stat);
        return (free, stat);
    }
}
