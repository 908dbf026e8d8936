using System.Runtime.InteropServices;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats.Nifti;

internal delegate void ByteChunkAction(Span<byte> chunk);

/// <summary>
/// A volume's voxel bytes as consecutive spans of at most 1 GiB. <see cref="Volume.Bytes"/> is one span
/// and a span cannot exceed 2 GiB, which a large float32 or int16 volume does; streaming through
/// whole-element chunks keeps such volumes readable and writable.
/// </summary>
internal static class VoxelChunks
{
    public const int MaxChunkBytes = 1 << 30;

    public static void ForEach(Volume volume, ByteChunkAction action)
    {
        switch (volume)
        {
            case Volume<byte> v: Each(v.Data, action); break;
            case Volume<sbyte> v: Each(v.Data, action); break;
            case Volume<short> v: Each(v.Data, action); break;
            case Volume<ushort> v: Each(v.Data, action); break;
            case Volume<int> v: Each(v.Data, action); break;
            case Volume<uint> v: Each(v.Data, action); break;
            case Volume<float> v: Each(v.Data, action); break;
            case Volume<double> v: Each(v.Data, action); break;
            default: throw new ArgumentOutOfRangeException(nameof(volume), volume.VoxelType, null);
        }
    }

    private static unsafe void Each<T>(T[] data, ByteChunkAction action) where T : unmanaged
    {
        int perChunk = MaxChunkBytes / sizeof(T);
        for (int start = 0; start < data.Length; start += perChunk)
            action(MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(perChunk, data.Length - start))));
    }
}
