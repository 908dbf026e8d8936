using System.Numerics;
using System.Runtime.InteropServices;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>Called with consecutive pieces of a voxel buffer.</summary>
internal delegate void ByteChunkAction(Span<byte> chunk);

/// <summary>
/// Walks a volume's voxel bytes in pieces of at most <see cref="ChunkBytes"/>, each a whole number of
/// voxels. <see cref="Volume.Bytes"/> is one span and so stops at 2 GiB; a large float or double volume
/// is bigger than that, and streaming in pieces also keeps each read or write call a sensible size.
/// </summary>
internal static class VolumeChunks
{
    public const int ChunkBytes = 1 << 24;

    public static void ForEach(Volume volume, ByteChunkAction action) => volume.Apply(new Walk(action));

    public static void ForEach<T>(T[] data, ByteChunkAction action) where T : unmanaged
    {
        int perChunk = ChunkBytes / Marshal.SizeOf<T>();
        for (int start = 0; start < data.Length; start += perChunk)
            action(MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(perChunk, data.Length - start))));
    }

    private sealed class Walk(ByteChunkAction action) : IVolumeFunc<bool>
    {
        public bool Invoke<T>(Volume<T> volume) where T : unmanaged, INumber<T>
        {
            ForEach(volume.Data, action);
            return true;
        }
    }
}
