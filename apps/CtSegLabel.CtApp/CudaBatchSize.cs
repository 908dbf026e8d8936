using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>
/// How many windows one GPU forward pass gets. Rule: the free GPU memory, less a fifth kept for the
/// allocator's fragmentation and other work, divided by what one window needs, between 1 and
/// <see cref="MaxBatch"/>. One window's need is measured, not derived: at the thesis size (64×128×128,
/// full networks) a batch of 9 peaked at 15.1 GB for SwinUNETR-V2 and 31.3 GB for the slice transformer on
/// an H100 (docs/benchmarks.md, "GPU"), i.e. 1.7 and 3.5 GB a window; rounded up to 2 and 4 GiB and scaled
/// by the window's voxels. bf16 peaked only ~6 % lower there, so precision does not enter the rule.
/// Unknown free memory (no NVML) → 1.
/// </summary>
public static class CudaBatchSize
{
    /// <summary>64 slices × 128 × 128: the thesis's window.</summary>
    public const long ThesisWindowVoxels = 64L * 128 * 128;

    /// <summary>A whole body has 9 windows at the thesis's sizes; more in one batch buys nothing measurable.</summary>
    public const int MaxBatch = 16;

    private const double UsableFraction = 0.8;

    public static long BytesPerWindow(NetworkArchitecture architecture, long windowVoxels)
    {
        long atThesisSize = architecture is SliceTransformerArchitecture ? 4L << 30 : 2L << 30;
        return Math.Max(1, (long)Math.Ceiling(atThesisSize * (double)windowVoxels / ThesisWindowVoxels));
    }

    public static int For(NetworkArchitecture architecture, long windowVoxels, long? freeBytes)
    {
        if (freeBytes is not long free || free <= 0) return 1;
        long fits = (long)(free * UsableFraction) / BytesPerWindow(architecture, windowVoxels);
        return (int)Math.Clamp(fits, 1, MaxBatch);
    }
}
