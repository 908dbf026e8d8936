using System.Runtime.InteropServices;

namespace CtSegLabel.CtApp;

/// <summary>
/// Free memory of a CUDA device, from NVIDIA's management library (NVML), which the driver installs beside
/// itself. TorchSharp exposes no memory query, and NVML needs no CUDA context, so asking never disturbs
/// libtorch's. CUDA numbers devices after CUDA_VISIBLE_DEVICES, NVML does not: an index is mapped through
/// that variable (numeric entries, or GPU-/MIG- UUIDs). Any failure — no driver, no such device — is "unknown".
/// </summary>
public static unsafe class GpuMemory
{
    private const int Success = 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    /// <summary>Free bytes of CUDA device <paramref name="cudaIndex"/> (−1 = the default device 0), or null when unknown.</summary>
    public static long? FreeBytes(int cudaIndex)
    {
        string library = OperatingSystem.IsWindows() ? "nvml.dll" : "libnvidia-ml.so.1";
        if (!NativeLibrary.TryLoad(library, out var handle)) return null;
        try
        {
            if (!NativeLibrary.TryGetExport(handle, "nvmlInit_v2", out var init)
                || !NativeLibrary.TryGetExport(handle, "nvmlShutdown", out var shutdown)
                || !NativeLibrary.TryGetExport(handle, "nvmlDeviceGetHandleByIndex_v2", out var byIndex)
                || !NativeLibrary.TryGetExport(handle, "nvmlDeviceGetHandleByUUID", out var byUuid)
                || !NativeLibrary.TryGetExport(handle, "nvmlDeviceGetMemoryInfo", out var memoryInfo))
                return null;
            if (((delegate* unmanaged<int>)init)() != Success) return null;
            try
            {
                nint device;
                string? visible = VisibleEntry(Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"), Math.Max(0, cudaIndex));
                if (visible is null) return null;
                if (uint.TryParse(visible, out uint index))
                {
                    if (((delegate* unmanaged<uint, nint*, int>)byIndex)(index, &device) != Success) return null;
                }
                else
                {
                    nint uuid = Marshal.StringToHGlobalAnsi(visible);
                    try
                    {
                        if (((delegate* unmanaged<nint, nint*, int>)byUuid)(uuid, &device) != Success) return null;
                    }
                    finally { Marshal.FreeHGlobal(uuid); }
                }
                NvmlMemory memory;
                if (((delegate* unmanaged<nint, NvmlMemory*, int>)memoryInfo)(device, &memory) != Success) return null;
                return (long)Math.Min(memory.Free, long.MaxValue);
            }
            finally { ((delegate* unmanaged<int>)shutdown)(); }
        }
        finally { NativeLibrary.Free(handle); }
    }

    /// <summary>The physical device (NVML index or UUID) behind CUDA index <paramref name="cudaIndex"/>: the
    /// index itself when the variable is unset, its entry otherwise, null when it has no such entry.</summary>
    internal static string? VisibleEntry(string? cudaVisibleDevices, int cudaIndex)
    {
        if (cudaVisibleDevices is null) return cudaIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var entries = cudaVisibleDevices.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return cudaIndex < entries.Length ? entries[cudaIndex] : null;
    }
}
