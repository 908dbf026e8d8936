using System.Buffers;
using System.IO.Compression;
using CtSegLabel.Imaging.Formats.Nifti;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// NIfTI-1 single files (.nii, and .nii.gz compressed with gzip). Reading accepts either byte order,
/// header extensions, 4-D files with one time point and scl_slope/scl_inter scaling (applied, so the
/// volume holds real values); the world is converted from NIfTI's RAS to our LPS. Writing produces a
/// little-endian file with both sform and qform set (see <see cref="NiftiGeometry"/>).
/// </summary>
public static class NiftiFile
{
    /// <summary>Large file buffer: reading a CT is one sequential pass, and fewer system calls matter
    /// more than the memory.</summary>
    private const int FileBufferBytes = 1 << 20;

    public static Volume Read(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        return Open(path, options, FileBufferBytes, FileOptions.SequentialScan, (input, fileLength) => ReadFrom(input, path, options, fileLength));
    }

    /// <summary>The header and the layout it declares, checked against <paramref name="options"/>, without the
    /// voxels: a compressed file inflates its first 348 bytes only.</summary>
    internal static VolumeHeader InspectHeader(string path, ReadOptions options) =>
        Open(path, options, 4096, FileOptions.None, (input, fileLength) =>
        {
            var (_, layout, geometry) = ReadLayout(input, path, options, fileLength);
            return new VolumeHeader(VolumeFormat.Nifti, geometry, layout.Type, layout.DataBytes);
        });

    /// <summary>Opens the file as a bounded stream of its (inflated) bytes; the reader gets the file's length when it
    /// is not compressed.</summary>
    private static T Open<T>(string path, ReadOptions options, int bufferBytes, FileOptions fileOptions, Func<BoundedStream, long?, T> read)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferBytes, fileOptions);
        // Compression is recognised by content, not by name: a gzipped file named .nii still reads.
        bool compressed = StartsWithGzipMagic(file);
        Stream decoded = compressed ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        using var input = new BoundedStream(decoded, compressed ? options.MaxDecompressedBytes : long.MaxValue, path);
        try
        {
            return read(input, compressed ? null : file.Length);
        }
        catch (InvalidDataException e)
        {
            throw new VolumeFormatException(path, "compressed data", $"corrupt gzip data ({e.Message})", e);
        }
    }

    public static void Write(string path, Volume volume, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        if (options.CompressionLevel is < 0 or > 9)
            throw new ArgumentOutOfRangeException(nameof(options), options.CompressionLevel, "CompressionLevel must be 0 to 9");
        // Built before the file is touched: a volume NIfTI-1 cannot hold fails without side effects.
        var header = HeaderFor(volume, path);
        bool compress = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, stream =>
        {
            if (!compress)
            {
                WriteBody(stream, header, volume);
                return;
            }
            using var gzip = new GZipStream(stream, new ZLibCompressionOptions { CompressionLevel = options.CompressionLevel }, leaveOpen: true);
            WriteBody(gzip, header, volume);
        });
    }

    private static (NiftiHeader Header, NiftiLayout Layout, ImageGeometry Geometry) ReadLayout(BoundedStream input, string path, ReadOptions options,
        long? fileLength)
    {
        Span<byte> headerBytes = stackalloc byte[NiftiHeader.Size];
        int got = input.ReadFully(headerBytes);
        var header = NiftiHeader.Parse(headerBytes[..got], path);
        var layout = NiftiLayout.From(header, path, options, compressed: fileLength is null);
        if (fileLength is long length && length < layout.DataOffset + layout.DataBytes)
            throw Truncated(path, layout.DataBytes, Math.Max(0, length - layout.DataOffset));
        return (header, layout, NiftiGeometry.FromHeader(header, layout.Shape, path));
    }

    private static Volume ReadFrom(BoundedStream input, string path, ReadOptions options, long? fileLength)
    {
        var (header, layout, geometry) = ReadLayout(input, path, options, fileLength);

        long extensionBytes = layout.DataOffset - NiftiHeader.Size;
        if (Skip(input, extensionBytes) < extensionBytes)
            throw Truncated(path, layout.DataBytes, 0);

        var volume = Volume.Create(layout.Type, geometry);
        long read = 0;
        bool swap = header.LittleEndian != BitConverter.IsLittleEndian;
        VolumeChunks.ForEach(volume, chunk =>
        {
            int n = input.ReadFully(chunk);
            read += n;
            if (n < chunk.Length) throw Truncated(path, layout.DataBytes, read);
            if (swap) ByteOrder.SwapInPlace(chunk, layout.Type);
        });
        if (options.RefuseTrailingData && fileLength is null) EnsureEnd(input, path, layout);
        return NiftiScaling.Apply(volume, header.SclSlope, header.SclInter, path);
    }

    private static NiftiHeader HeaderFor(Volume volume, string path)
    {
        var h = new NiftiHeader
        {
            Datatype = NiftiDatatype.CodeOf(volume.VoxelType),
            Bitpix = (short)(8 * volume.VoxelType.Size()),
            VoxOffset = NiftiHeader.MinSingleFileVoxOffset,
            // 1/0 rather than 0/0: both mean "unscaled" to NIfTI-aware readers, but simple readers that
            // multiply by scl_slope unconditionally would turn a 0 into an all-zero image.
            SclSlope = 1,
            SclInter = 0,
        };
        h.Dim[0] = 3;
        for (int c = 0; c < 3; c++)
        {
            int n = volume.Shape[c];
            if (n is < 1 or > short.MaxValue)
                throw new VolumeFormatException(path, $"dim[{c + 1}]", $"is {n}; NIfTI-1 holds 1 to {short.MaxValue} voxels per axis");
            h.Dim[c + 1] = (short)n;
        }
        for (int n = 4; n < 8; n++) h.Dim[n] = 1;
        NiftiGeometry.ToHeader(volume.Geometry, h, path);
        return h;
    }

    private static void WriteBody(Stream stream, NiftiHeader header, Volume volume)
    {
        // Header, then the 4-byte extension flag (all zero: no extensions), then voxels at byte 352.
        Span<byte> head = stackalloc byte[NiftiHeader.MinSingleFileVoxOffset];
        head.Clear();
        header.WriteTo(head);
        stream.Write(head);
        if (BitConverter.IsLittleEndian)
        {
            VolumeChunks.ForEach(volume, chunk => stream.Write(chunk));
            return;
        }
        // A big-endian machine: swap a copy, never the caller's volume.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(FileBufferBytes);
        try
        {
            int step = FileBufferBytes / 8 * 8;
            VolumeChunks.ForEach(volume, chunk =>
            {
                for (int start = 0; start < chunk.Length; start += step)
                {
                    var part = buffer.AsSpan(0, Math.Min(step, chunk.Length - start));
                    chunk.Slice(start, part.Length).CopyTo(part);
                    ByteOrder.SwapInPlace(part, volume.VoxelType);
                    stream.Write(part);
                }
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>Reads past header extensions; returns how many bytes there were.</summary>
    private static long Skip(BoundedStream input, long count)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long skipped = 0;
        while (skipped < count)
        {
            int n = input.Read(scratch[..(int)Math.Min(scratch.Length, count - skipped)]);
            if (n == 0) break;
            skipped += n;
        }
        return skipped;
    }

    /// <summary>Inflates one byte past the declared data: there must be none.</summary>
    private static void EnsureEnd(BoundedStream input, string path, NiftiLayout layout)
    {
        Span<byte> one = stackalloc byte[1];
        if (input.Read(one) > 0)
            throw new VolumeFormatException(path, "compressed data",
                $"inflates past the {layout.DataOffset + layout.DataBytes} bytes its header declares ({layout.Shape} {layout.Type} at byte {layout.DataOffset}): trailing data, refused");
    }

    private static VolumeFormatException Truncated(string path, long expected, long found) =>
        new(path, "voxel data", $"truncated: expected {expected} bytes of voxel data, found {found}");
}
