using System.IO.Compression;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// Streams a NRRD's voxel payload (attached or in a detached data file; raw, gzip, ascii or hex) into
/// the caller's buffers, in native byte order. Skips are applied as the specification says: "line skip"
/// on the file's bytes, then "byte skip" on the raw bytes or, for gzip, on the decompressed bytes.
/// Decompression goes through <see cref="BoundedStream"/>, and a short payload is reported as truncated.
/// </summary>
internal sealed class NrrdDataReader : IDisposable
{
    private readonly NrrdLayout _layout;
    private readonly FileStream _file;
    private readonly Stream _payload;
    private readonly NrrdTextData? _text;
    private readonly string _path;
    private long _delivered;

    private NrrdDataReader(NrrdLayout layout, FileStream file, Stream payload, string path)
    {
        _layout = layout;
        _file = file;
        _payload = payload;
        _path = path;
        if (layout.Encoding is NrrdEncoding.Ascii or NrrdEncoding.Hex)
            _text = new NrrdTextData(payload, layout.Type, layout.Encoding, path);
    }

    /// <param name="attachedOffset">Where attached data starts in the header's file (ignored for a detached file).</param>
    public static NrrdDataReader Open(NrrdLayout layout, long attachedOffset, ReadOptions options)
    {
        string path = layout.DataPath;
        if (layout.Encoding == NrrdEncoding.Gzip && layout.ByteCount > options.MaxDecompressedBytes - layout.ByteSkip)
            throw new VolumeFormatException(path, "sizes",
                $"the data would inflate to {layout.ByteCount + layout.ByteSkip} bytes, past ReadOptions.MaxDecompressedBytes ({options.MaxDecompressedBytes})");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            // A detached header may name anything; a pipe or socket cannot be positioned or measured.
            if (!file.CanSeek)
                throw new VolumeFormatException(path, "data file", "is not a regular file (a pipe or socket cannot hold voxel data)");
            file.Position = layout.Detached ? 0 : attachedOffset;
            SkipLines(file, layout.LineSkip, path);
            CheckLength(file, layout, path);
            Stream payload = file;
            switch (layout.Encoding)
            {
                case NrrdEncoding.Gzip:
                    payload = new BoundedStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), options.MaxDecompressedBytes, path);
                    break;
                case NrrdEncoding.Raw when layout.ByteSkip == -1:
                    // -1: the data are the last bytes of the file, whatever precedes them (CheckLength made sure they
                    // fit after the header).
                    file.Position = file.Length - layout.ByteCount;
                    break;
            }
            var reader = new NrrdDataReader(layout, file, payload, path);
            if (layout.ByteSkip > 0) reader.Skip(layout.ByteSkip);
            return reader;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Fills the buffer with the next voxels; throws when the payload ends first.</summary>
    public void Fill(Span<byte> chunk)
    {
        try
        {
            int got = _text is not null ? _text.Fill(chunk, _delivered / _layout.Type.Size()) : ReadFully(_payload, chunk);
            _delivered += got;
            if (got < chunk.Length)
                throw Truncated(_path, _delivered, _layout.ByteCount);
        }
        catch (InvalidDataException e)
        {
            throw new VolumeFormatException(_path, "data", $"the gzip stream is corrupt ({e.Message})", e);
        }
        if (_layout.BigEndian == BitConverter.IsLittleEndian && _layout.Encoding != NrrdEncoding.Ascii)
            ByteOrder.SwapInPlace(chunk, _layout.Type);
    }

    /// <summary>Reads a whole volume's worth of voxels into it.</summary>
    public void FillVolume(Volume volume) => VolumeChunks.ForEach(volume, Fill);

    /// <summary>With <see cref="ReadOptions.RefuseTrailingData"/>: gzip data must end with the declared voxels.
    /// Inflates at most one more byte. Raw and text payloads are bounded by the file itself.</summary>
    public void EnsureEnd(ReadOptions options)
    {
        if (!options.RefuseTrailingData || _layout.Encoding != NrrdEncoding.Gzip) return;
        Span<byte> one = stackalloc byte[1];
        try
        {
            if (_payload.Read(one) > 0)
                throw new VolumeFormatException(_path, "data", $"the gzip data inflate past the {_layout.ByteCount} bytes that sizes × type declare: trailing data, refused");
        }
        catch (InvalidDataException e)
        {
            throw new VolumeFormatException(_path, "data", $"the gzip stream is corrupt ({e.Message})", e);
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_payload, _file)) _payload.Dispose();
        _file.Dispose();
    }

    private void Skip(long count)
    {
        var scratch = new byte[(int)Math.Min(count, 1 << 16)];
        try
        {
            long left = count;
            while (left > 0)
            {
                int n = ReadFully(_payload, scratch.AsSpan(0, (int)Math.Min(left, scratch.Length)));
                if (n == 0) throw new VolumeFormatException(_path, "byte skip", $"skips {count} bytes but the data end after {count - left}");
                left -= n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new VolumeFormatException(_path, "data", $"the gzip stream is corrupt ({e.Message})", e);
        }
    }

    /// <summary>An uncompressed payload's size is known from the file: a header declaring more voxels
    /// than the file can hold is refused here, before the caller allocates the volume (else a 100-byte
    /// file could make us allocate as much as ReadOptions.MaxVoxels allows).</summary>
    private static void CheckLength(FileStream file, NrrdLayout layout, string path)
    {
        if (layout.Encoding == NrrdEncoding.Gzip) return; // Open refused a file that cannot seek
        long left = file.Length - file.Position - Math.Max(layout.ByteSkip, 0);
        // The fewest file bytes that can hold the data: raw one per byte, hex two per byte, ascii one
        // digit per value (separators not counted).
        long needed = layout.Encoding switch
        {
            NrrdEncoding.Raw => layout.ByteCount,
            NrrdEncoding.Hex => 2 * layout.ByteCount,
            _ => layout.ElementCount,
        };
        if (left >= needed) return;
        if (layout.Encoding == NrrdEncoding.Raw) throw Truncated(path, left, layout.ByteCount);
        throw new VolumeFormatException(path, "data", $"truncated: {Math.Max(left, 0)} bytes of {NrrdTypes.EncodingName(layout.Encoding)} text cannot hold the {layout.ElementCount} values that sizes need");
    }

    private static void SkipLines(Stream file, long lines, string path)
    {
        for (long seen = 0; seen < lines;)
        {
            int b = file.ReadByte();
            if (b < 0) throw new VolumeFormatException(path, "line skip", $"skips {lines} lines but the file has {seen}");
            if (b == '\n') seen++;
        }
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        if (stream is BoundedStream bounded) return bounded.ReadFully(buffer);
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static VolumeFormatException Truncated(string path, long got, long needed) =>
        new(path, "data", $"truncated: holds {Math.Max(got, 0)} of the {needed} bytes that sizes × type need");
}
