using System.Buffers.Binary;
using System.Text;
using CtSegLabel.Fuzz.Mutation;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Seeds;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>
/// The NRRD reader, attached (.nrrd) and detached (.nhdr + data file). An input that starts with "NRRD"
/// is one attached file; any other input is a detached pair: a 4-byte little-endian header length, the
/// header (written as input.nhdr) and the data (written as fuzz.raw beside it, which the seeds' "data
/// file" names; mutations may name another).
/// </summary>
public sealed class NrrdTarget(string? realCt = null) : VolumeTarget
{
    public const string DataFileName = "fuzz.raw";

    public override string Name => "nrrd";

    public override MutationHints Hints { get; } = new([new("detached header length", 0, 4)], NrrdHints.Fields);

    public override IReadOnlyList<Seed> Seeds()
    {
        var seeds = new List<Seed>();
        foreach (var v in SeedVolumes.EveryType())
        {
            seeds.Add(new($"{v.VoxelType}-raw.nrrd", SeedVolumes.Bytes("s.nrrd", p => NrrdFile.Write(p, v, new WriteOptions { CompressionLevel = 0 }))));
            if (v.VoxelType is VoxelType.Int16 or VoxelType.Float64)
                seeds.Add(new($"{v.VoxelType}-gzip.nrrd", SeedVolumes.Bytes("s.nrrd", p => NrrdFile.Write(p, v))));
        }
        if (SeedVolumes.RealCtCrop(realCt) is { } crop)
            seeds.Add(new("ct-crop.nrrd", SeedVolumes.Bytes("s.nrrd", p => NrrdFile.Write(p, crop))));

        const string Common = "dimension: 3\nspace: left-posterior-superior\nsizes: 3 2 2\nspace directions: (1,0,0) (0,1,0) (0,0,2)\nspace origin: (0,0,0)\n";
        seeds.Add(Attached("ascii.nrrd", "NRRD0004\ntype: short\n" + Common + "encoding: ascii\n\n", "1 2 3\n-4 5 6\n7 8 9 10,11,12\n"u8));
        seeds.Add(Attached("hex.nrrd", "NRRD0005\ntype: unsigned short\n" + Common + "encoding: hex\nendian: big\n\n", "0001000200030004\n0005000600070008000900100011 0012\n"u8));
        seeds.Add(Attached("spacings.nrrd", "NRRD0001\ntype: uchar\ndimension: 3\nsizes: 3 2 2\nspacings: 1 1 2.5\nencoding: raw\nbyte skip: -1\n\n", new byte[16]));
        seeds.Add(Attached("4d-vector.nrrd", "NRRD0004\ntype: float\ndimension: 4\nsizes: 1 3 2 2\nkinds: vector domain domain domain\n" +
            "space: RAS\nspace directions: none (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\nendian: little\nline skip: 0\n\n", new byte[48]));
        seeds.Add(Detached("detached-raw", "NRRD0004\ntype: int\n" + Common + "encoding: raw\nendian: little\ndata file: " + DataFileName + "\n", new byte[48]));
        seeds.Add(Detached("detached-gzip", "NRRD0004\ntype: uchar\n" + Common + "encoding: gzip\nbyte skip: 4\ndata file: ./" + DataFileName + "\n",
            GzipPayload.Deflate(new byte[16])));
        seeds.Add(Detached("detached-lineskip", "NRRD0003\ntype: double\n" + Common + "encoding: ascii\nline skip: 2\ndata file: " + DataFileName + "\n",
            "# comment\n# comment\n1 2 3 4 5 6 7 8 9 10 11 nan\n"u8.ToArray()));
        // A gzip bomb: 48 MB of zeros behind a header declaring 1024×1024×48 bytes (past the limits).
        seeds.Add(Attached("bomb.nrrd", "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1024 1024 48\nencoding: gzip\n\n",
            GzipPayload.Bomb([], 48L << 20)));
        return seeds;
    }

    public override string Run(byte[] input, string scratch)
    {
        string path = WriteInput(input, scratch);
        return Signatures.OfVolume(NrrdFile.Read(path, Limits));
    }

    /// <summary>Writes the input as the reader will see it; returns the header's path.</summary>
    public static string WriteInput(byte[] input, string scratch, string attachedName = "input.nrrd")
    {
        // A data file left by an earlier input would make a replay depend on history.
        foreach (string old in Directory.EnumerateFiles(scratch)) File.Delete(old);
        if (input.AsSpan().StartsWith("NRRD"u8) || input.Length < 4)
        {
            string attached = Path.Combine(scratch, attachedName);
            File.WriteAllBytes(attached, input);
            return attached;
        }
        int headerLength = (int)Math.Clamp(BinaryPrimitives.ReadUInt32LittleEndian(input), 0, input.Length - 4);
        string header = Path.Combine(scratch, "input.nhdr");
        File.WriteAllBytes(header, input.AsSpan(4, headerLength).ToArray());
        File.WriteAllBytes(Path.Combine(scratch, DataFileName), input.AsSpan(4 + headerLength).ToArray());
        return header;
    }

    public static Seed Attached(string name, string header, ReadOnlySpan<byte> data) => new(name, [.. Encoding.ASCII.GetBytes(header), .. data]);

    public static Seed Detached(string name, string header, byte[] data)
    {
        byte[] text = Encoding.ASCII.GetBytes(header);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, text.Length);
        return new(name, [.. length, .. text, .. data]);
    }
}
