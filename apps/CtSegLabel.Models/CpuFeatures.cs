using System.Runtime.Intrinsics.X86;

namespace CtSegLabel.Models;

/// <summary>Whether this CPU has what libtorch needs for fast bf16: it sends bf16 convolutions and matrix
/// products to oneDNN only with AVX-512 (F, BW, DQ, VL, CD — oneDNN's "avx512_core"), AVX-NE-CONVERT, or
/// ARM's bf16 extension; without them they run in reference loops (docs/benchmarks.md, "Networks").</summary>
public static class CpuFeatures
{
    public static bool HasBFloat16Kernels { get; } = Detect();

    private static bool Detect()
    {
        if (Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512CD.IsSupported)
            return true;
        // Neither flag has a .NET intrinsic class; Linux lists them in /proc/cpuinfo.
        return CpuInfoFlags().Overlaps(["avx_ne_convert", "bf16"]);
    }

    private static HashSet<string> CpuInfoFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(cpuinfo)) return [];
        foreach (string line in File.ReadLines(cpuinfo))
        {
            // x86 names the list "flags", ARM "Features".
            if (!line.StartsWith("flags", StringComparison.Ordinal) && !line.StartsWith("Features", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(':');
            if (colon >= 0) return [.. line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        return [];
    }
}
