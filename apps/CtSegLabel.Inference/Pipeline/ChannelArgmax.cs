using System.Buffers;
using System.Numerics;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// The channel with the largest value per voxel of channel-first data (channel c of voxel v at <c>c·stride + v</c>).
/// Channels are the outer loop and voxels the vectorised inner one, so every read is contiguous; ties go to the
/// lower channel and a NaN never replaces a maximum, as a scalar "first maximum" loop would decide.
/// </summary>
internal static class ChannelArgmax
{
    /// <summary>Writes the argmax of voxels [offset, offset + labels.Length) into <paramref name="labels"/>.</summary>
    public static void Compute(ReadOnlySpan<float> data, int channels, long stride, long offset, Span<byte> labels)
    {
        if (channels is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(channels), channels, "1..256 channels fit a byte label");
        int count = labels.Length;
        var bestPool = ArrayPool<float>.Shared.Rent(count);
        var indexPool = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var best = bestPool.AsSpan(0, count);
            var index = indexPool.AsSpan(0, count);
            data.Slice(checked((int)offset), count).CopyTo(best);
            index.Clear();
            for (int c = 1; c < channels; c++)
            {
                var channel = data.Slice(checked((int)(c * stride + offset)), count);
                int v = 0;
                if (Vector.IsHardwareAccelerated && count >= Vector<float>.Count)
                {
                    var cv = new Vector<int>(c);
                    for (; v <= count - Vector<float>.Count; v += Vector<float>.Count)
                    {
                        var x = new Vector<float>(channel.Slice(v));
                        var b = new Vector<float>(best.Slice(v));
                        var greater = Vector.GreaterThan(x, b);
                        Vector.ConditionalSelect(greater, x, b).CopyTo(best.Slice(v));
                        Vector.ConditionalSelect(greater, cv, new Vector<int>(index.Slice(v))).CopyTo(index.Slice(v));
                    }
                }
                for (; v < count; v++)
                    if (channel[v] > best[v]) { best[v] = channel[v]; index[v] = c; }
            }
            for (int v = 0; v < count; v++) labels[v] = (byte)index[v];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bestPool);
            ArrayPool<int>.Shared.Return(indexPool);
        }
    }
}
