using System.Globalization;
using System.IO.Compression;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// Writes a 3-D volume as an attached NRRD0004 file in LPS space: "space directions" are the columns
/// of Direction·diag(Spacing) and every number is printed in round-trip form, so the geometry reads
/// back exactly. gzip at WriteOptions.CompressionLevel, raw at level 0. Always through
/// <see cref="AtomicFile"/>.
/// </summary>
internal static class NrrdWriter
{
    public static void Write(string path, Volume volume, IEnumerable<KeyValuePair<string, string>> keyValues, WriteOptions? options)
    {
        options ??= WriteOptions.Default;
        int level = options.CompressionLevel;
        if (level is < 0 or > 9)
            throw new ArgumentOutOfRangeException(nameof(options), level, "CompressionLevel must be 0–9");
        var encoding = level == 0 ? NrrdEncoding.Raw : NrrdEncoding.Gzip;
        byte[] header = NrrdHeader.Format(Fields(volume.Geometry, volume.VoxelType, encoding), keyValues);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            if (encoding == NrrdEncoding.Raw)
            {
                VolumeChunks.ForEach(volume, chunk => stream.Write(chunk));
                return;
            }
            using var gzip = new GZipStream(stream, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);
            VolumeChunks.ForEach(volume, chunk => gzip.Write(chunk));
        });
    }

    private static List<KeyValuePair<string, string>> Fields(ImageGeometry g, VoxelType type, NrrdEncoding encoding)
    {
        var m = g.IndexToWorldMatrix;
        var s = g.Shape;
        return
        [
            new("type", NrrdTypes.TypeName(type)),
            new("dimension", "3"),
            new("space", "left-posterior-superior"),
            new("sizes", string.Create(CultureInfo.InvariantCulture, $"{s.X} {s.Y} {s.Z}")),
            new("space directions", $"{NrrdVectors.Format(m.Column(0))} {NrrdVectors.Format(m.Column(1))} {NrrdVectors.Format(m.Column(2))}"),
            new("kinds", "domain domain domain"),
            // The voxel buffer is written as it sits in memory.
            new("endian", BitConverter.IsLittleEndian ? "little" : "big"),
            new("encoding", NrrdTypes.EncodingName(encoding)),
            new("space origin", NrrdVectors.Format(g.Origin)),
        ];
    }
}
