using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>Swaps voxel bytes in place when a file's byte order differs from this machine's.</summary>
internal static class ByteOrder
{
    public static void SwapInPlace(Span<byte> bytes, VoxelType type)
    {
        switch (type.Size())
        {
            case 2:
                var s = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(s, s);
                break;
            case 4:
                var i = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case 8:
                var l = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
        }
    }
}
