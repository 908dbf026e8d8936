using CtSegLabel.Models;

namespace CtSegLabel.CtApp.Tests;

public class CudaBatchSizeTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void Batch_is_what_four_fifths_of_the_free_memory_holds_between_1_and_the_cap()
    {
        var swin = SwinUnetrV2Architecture.Full;
        var slice = SliceTransformerArchitecture.Full;
        long window = CudaBatchSize.ThesisWindowVoxels;
        Assert.Equal(2 * GiB, CudaBatchSize.BytesPerWindow(swin, window));
        Assert.Equal(4 * GiB, CudaBatchSize.BytesPerWindow(slice, window));
        Assert.Equal(1 * GiB, CudaBatchSize.BytesPerWindow(swin, window / 2));

        Assert.Equal(CudaBatchSize.MaxBatch, CudaBatchSize.For(swin, window, 78 * GiB)); // an H100: 31 would fit
        Assert.Equal(15, CudaBatchSize.For(slice, window, 78 * GiB));
        Assert.Equal(4, CudaBatchSize.For(swin, window, 10 * GiB));
        Assert.Equal(2, CudaBatchSize.For(slice, window, 10 * GiB));
        Assert.Equal(1, CudaBatchSize.For(slice, window, 3 * GiB));
        Assert.Equal(1, CudaBatchSize.For(swin, window, null));
        Assert.Equal(1, CudaBatchSize.For(swin, window, 0));
    }

    [Fact]
    public void Cuda_indices_map_through_cuda_visible_devices()
    {
        Assert.Equal("0", GpuMemory.VisibleEntry(null, 0));
        Assert.Equal("2", GpuMemory.VisibleEntry(null, 2));
        Assert.Equal("3", GpuMemory.VisibleEntry("3,1", 0));
        Assert.Equal("1", GpuMemory.VisibleEntry("3, 1", 1));
        Assert.Null(GpuMemory.VisibleEntry("3", 1));
        Assert.Equal("GPU-8f2e", GpuMemory.VisibleEntry("GPU-8f2e", 0));
        Assert.Null(GpuMemory.VisibleEntry("", 0));
    }

    [Fact]
    public void Free_memory_is_a_positive_number_or_unknown_never_an_error()
    {
        long? free = GpuMemory.FreeBytes(0);
        Assert.True(free is null or > 0, $"free GPU memory {free}");
        Assert.Null(GpuMemory.FreeBytes(10_000));
    }
}
