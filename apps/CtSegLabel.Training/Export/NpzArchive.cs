using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Training.Export;

/// <summary>
/// Writes NumPy's .npz (a zip of .npy arrays, deflated like <c>numpy.savez_compressed</c>) so training samples can
/// be read by PyTorch code with <c>numpy.load</c> alone. A volume of shape (X, Y, Z) is stored as a C-order array of
/// shape (Z, Y, X) — (slices, rows, columns), the order a network's (D, H, W) input has — which is exactly our
/// linear voxel order, so no element is moved.
/// </summary>
public sealed class NpzArchive : IDisposable
{
    private readonly ZipArchive _zip;

    private NpzArchive(Stream stream) => _zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);

    /// <summary>Writes the archive atomically: <paramref name="fill"/> adds the arrays.</summary>
    public static void Write(string path, Action<NpzArchive> fill) =>
        AtomicFile.Write(path, stream =>
        {
            using var archive = new NpzArchive(stream);
            fill(archive);
        });

    public void Add(string name, Volume<float> volume, bool asHalf)
    {
        if (!asHalf) { Add(name, "<f4", volume.Shape, MemoryMarshal.AsBytes(volume.Data.AsSpan())); return; }
        var half = new Half[volume.Data.Length];
        for (int n = 0; n < half.Length; n++) half[n] = (Half)volume.Data[n];
        Add(name, "<f2", volume.Shape, MemoryMarshal.AsBytes(half.AsSpan()));
    }

    /// <summary>Stores <paramref name="volume"/> as uint8 levels spanning [lo, hi] (values outside are clamped) and
    /// the span as <c>name_range</c> (float32 [lo, hi]): a quarter of float32's bytes where the data's own noise is
    /// far above the step (hi − lo) / 255 — a CT's 10–25 HU against about 10 HU over −1000…1700 HU.</summary>
    public void AddQuantized(string name, Volume<float> volume, float lo, float hi)
    {
        if (!(hi > lo)) throw new ArgumentException($"empty range [{lo}, {hi}]");
        var levels = new byte[volume.Data.Length];
        float scale = 255f / (hi - lo);
        for (int n = 0; n < levels.Length; n++) levels[n] = (byte)Math.Clamp(MathF.Round((volume.Data[n] - lo) * scale), 0f, 255f);
        Add(name, "|u1", volume.Shape, levels);
        float[] range = [lo, hi];
        Add(name + "_range", "<f4", [2], MemoryMarshal.AsBytes(range.AsSpan()));
    }

    public void Add(string name, Volume<byte> volume) => Add(name, "|u1", volume.Shape, volume.Data);

    public void Add(string name, Volume<ushort> volume) => Add(name, "<u2", volume.Shape, MemoryMarshal.AsBytes(volume.Data.AsSpan()));

    public void Add(string name, bool[] values) =>
        Add(name, "|b1", [values.Length], MemoryMarshal.AsBytes(values.AsSpan()));

    private void Add(string name, string descr, Shape3 shape, ReadOnlySpan<byte> data) =>
        Add(name, descr, [shape.Z, shape.Y, shape.X], data);

    private void Add(string name, string descr, long[] shape, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the .npy writer assumes a little-endian machine");
        var entry = _zip.CreateEntry(name + ".npy", CompressionLevel.Fastest);
        using var stream = entry.Open();
        stream.Write(Header(descr, shape));
        stream.Write(data);
    }

    /// <summary>The .npy 1.0 header: magic, version, little-endian length, a Python dict literal padded with spaces
    /// so the data starts on a 64-byte boundary, ending in a newline.</summary>
    internal static byte[] Header(string descr, long[] shape)
    {
        string dims = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";
        const int prefix = 10; // magic (6) + version (2) + header length (2)
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var header = new byte[total];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BitConverter.TryWriteBytes(header.AsSpan(8, 2), (ushort)(total - prefix));
        Encoding.ASCII.GetBytes(dict).CopyTo(header, prefix);
        for (int n = prefix + dict.Length; n < total - 1; n++) header[n] = (byte)' ';
        header[total - 1] = (byte)'\n';
        return header;
    }

    public void Dispose() => _zip.Dispose();
}
