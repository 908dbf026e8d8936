using System.Runtime.InteropServices;

namespace CtSegLabel.CtApp;

/// <summary>
/// Gives the C heap's free memory back to the kernel after an infer. libtorch allocates a run's tensors with
/// glibc malloc from the arena of whichever thread runs it; the server runs infers on thread-pool threads, so
/// successive runs land in different arenas (up to 8 per core), and each keeps the peak it once reached as free but
/// resident memory. Measured (docs/benchmarks.md, "Memory per infer"): resident memory rose with every infer
/// without leaking a tensor or a managed object; trimming after each run holds it level.
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>After a model run (an infer, a training run): MKL's pooled buffers are freed first, which returns them
    /// to malloc, then every arena's free memory goes back to the kernel. Both halves are needed (see MklBuffers).</summary>
    public static void ReleaseAfterRun()
    {
        MklBuffers.Free();
        Trim();
    }

    /// <summary>glibc's <c>malloc_trim(0)</c>: releases the free memory of every arena. Whether any was released;
    /// false off Linux and on a C library without it (musl).</summary>
    public static bool Trim()
    {
        if (Volatile.Read(ref _unavailable)) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref _unavailable, true);
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
