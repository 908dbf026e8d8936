namespace CtSegLabel.Imaging.Formats;

/// <summary>A read-only view of a (decompressing) stream that refuses to yield more than a set number of
/// bytes: the guard against gzip bombs. Reading past the limit raises a <see cref="VolumeFormatException"/>
/// naming the file.</summary>
internal sealed class BoundedStream(Stream inner, long limit, string path) : Stream
{
    private long _read;

    public long BytesRead => _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        if (_read > limit)
            throw new VolumeFormatException(path, "compressed data",
                $"inflates past the limit of {limit} bytes (ReadOptions.MaxDecompressedBytes)");
        return n;
    }

    /// <summary>Fills the buffer completely or reports how many bytes there were.</summary>
    public int ReadFully(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException("a bounded decompressing stream has no length");
    public override long Position { get => _read; set => throw new NotSupportedException("a bounded decompressing stream cannot seek"); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a bounded decompressing stream cannot seek");
    public override void SetLength(long value) => throw new NotSupportedException("read-only stream");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("read-only stream");

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
