using CtSegLabel.Inference.Pipeline;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Data;

/// <summary>Cuts training blocks of the checkpoint's block size out of cached samples (thesis §3.6: one random
/// block of 64 slices per image per epoch).</summary>
internal sealed class BlockSampler(PreprocessingParameters preprocessing)
{
    private readonly float _air = Preprocessing.Intensity(-1000, preprocessing);

    public int BlockSlices => preprocessing.BlockSlices;

    /// <summary>A block starting at a uniformly drawn slice (every start whose block fits); a case shorter than a
    /// block starts at 0 and is padded.</summary>
    public TrainingBlock Random(CachedCase sample, Random random)
    {
        int slices = sample.Header.Z;
        int start = slices > BlockSlices ? random.Next(slices - BlockSlices + 1) : 0;
        return At(sample, start);
    }

    public TrainingBlock At(CachedCase sample, int start)
    {
        var h = sample.Header;
        int depth = BlockSlices, real = Math.Min(depth, h.Z - start);
        var (image, semantic, instances) = SampleFile.ReadSlices(sample.Path, start, real);
        int plane = h.X * h.Y, voxels = plane * depth;
        var paddedImage = image.Length == voxels ? image : Pad(image, voxels);
        var labels = new long[voxels];
        var ids = new long[voxels];
        for (int v = 0; v < semantic.Length; v++)
        {
            labels[v] = semantic[v];
            ids[v] = instances[v];
        }
        // (D, H, W) is (Z, Y, X): the linear voxel order, so no element moves.
        long[] spatial = [depth, h.Y, h.X];
        return new TrainingBlock(sample.Case.Id,
            tensor(paddedImage, [1, 1, .. spatial]),
            tensor(labels, [1, .. spatial]),
            tensor(ids, [1, .. spatial]),
            h.Annotated, real);
    }

    private float[] Pad(float[] real, int voxels)
    {
        var padded = GC.AllocateUninitializedArray<float>(voxels);
        real.CopyTo(padded, 0);
        padded.AsSpan(real.Length).Fill(_air);
        return padded;
    }
}
