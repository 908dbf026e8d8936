using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Training.Data;

/// <summary>What a cached sample's header says: the fingerprint of what it was made from, its model-grid shape, the
/// channels its annotation covers and the voxels of every channel (for the class volume statistics).</summary>
internal sealed record SampleHeader(string Fingerprint, int X, int Y, int Z, bool[] Annotated, long[] ChannelVoxels)
{
    public Shape3 Shape => new(X, Y, Z);
}

/// <summary>
/// One preprocessed training sample on disk, uncompressed so a block is three seeks and three reads: the magic line,
/// the JSON header's length (4 bytes little-endian) and the header, then the image (float32), the semantic channels
/// (uint8) and the instance ids (uint16), each in linear voxel order. Slices are contiguous in that order, so the
/// slices of a block are one contiguous range of each array — an epoch reads only the blocks it trains on, never a
/// whole CT.
/// </summary>
internal static class SampleFile
{
    private static readonly byte[] Magic = "CTSEG-SAMPLE 1\n"u8.ToArray();
    private const int MaxHeaderBytes = 1 << 20;

    public static void Write(string path, TrainingSample sample, string fingerprint)
    {
        var shape = sample.Image.Shape;
        var counts = new long[sample.Annotated.Length];
        foreach (byte c in sample.Semantic.Data) if (c < counts.Length) counts[c]++;
        var header = new SampleHeader(fingerprint, shape.X, shape.Y, shape.Z, sample.Annotated, counts);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            Span<byte> length = stackalloc byte[4];
            BitConverter.TryWriteBytes(length, json.Length);
            if (!BitConverter.IsLittleEndian) length.Reverse();
            stream.Write(length);
            stream.Write(json);
            stream.Write(MemoryMarshal.AsBytes(sample.Image.Data.AsSpan()));
            stream.Write(sample.Semantic.Data);
            stream.Write(MemoryMarshal.AsBytes(sample.Instances.Data.AsSpan()));
        });
    }

    /// <summary>The header, or null when the file is missing, not a sample file, or truncated (a cache entry to
    /// rebuild, not an error).</summary>
    public static SampleHeader? TryReadHeader(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = File.OpenRead(path);
            var header = ReadHeader(stream, out long dataStart);
            long voxels = (long)header.X * header.Y * header.Z;
            return stream.Length == dataStart + voxels * 7 ? header : null;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException) { return null; }
    }

    /// <summary>Slices [first, first + count) of the sample: image, semantic channel and instance id arrays of
    /// count × X × Y voxels.</summary>
    public static (float[] Image, byte[] Semantic, ushort[] Instances) ReadSlices(string path, int first, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = ReadHeader(stream, out long dataStart);
        if (first < 0 || count < 0 || first + count > header.Z)
            throw new ArgumentOutOfRangeException(nameof(first), $"slices {first}..{first + count - 1} of {header.Z}");
        long plane = (long)header.X * header.Y, voxels = plane * header.Z;
        int n = checked((int)(plane * count));
        var image = GC.AllocateUninitializedArray<float>(n);
        var semantic = GC.AllocateUninitializedArray<byte>(n);
        var instances = GC.AllocateUninitializedArray<ushort>(n);
        stream.Position = dataStart + first * plane * 4;
        stream.ReadExactly(MemoryMarshal.AsBytes(image.AsSpan()));
        stream.Position = dataStart + voxels * 4 + first * plane;
        stream.ReadExactly(semantic);
        stream.Position = dataStart + voxels * 5 + first * plane * 2;
        stream.ReadExactly(MemoryMarshal.AsBytes(instances.AsSpan()));
        return (image, semantic, instances);
    }

    private static SampleHeader ReadHeader(Stream stream, out long dataStart)
    {
        var magic = new byte[Magic.Length];
        stream.ReadExactly(magic);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a cached sample");
        Span<byte> length = stackalloc byte[4];
        stream.ReadExactly(length);
        if (!BitConverter.IsLittleEndian) length.Reverse();
        int size = BitConverter.ToInt32(length);
        if (size <= 0 || size > MaxHeaderBytes) throw new InvalidDataException($"header length {size}");
        var json = new byte[size];
        stream.ReadExactly(json);
        var header = JsonSerializer.Deserialize<SampleHeader>(json) ?? throw new InvalidDataException("empty header");
        if (header.X < 1 || header.Y < 1 || header.Z < 1) throw new InvalidDataException("empty shape");
        dataStart = Magic.Length + 4 + size;
        return header;
    }
}
