using System.Buffers.Binary;
using CtSegLabel.Fuzz.Mutation;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Seeds;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>The NIfTI-1 reader on .nii and .nii.gz files (the input is written under the name its
/// content suggests; the reader itself recognises gzip by content).</summary>
public sealed class NiftiTarget(string? realCt = null) : VolumeTarget
{
    public override string Name => "nifti";

    public override MutationHints Hints { get; } = new(
    [
        new("sizeof_hdr", 0, 4),
        new("dim[0]", 40, 2), new("dim[1]", 42, 2), new("dim[2]", 44, 2), new("dim[3]", 46, 2), new("dim[4]", 48, 2), new("dim[5]", 50, 2),
        new("datatype", 70, 2), new("bitpix", 72, 2),
        new("pixdim[0]", 76, 4, true), new("pixdim[1]", 80, 4, true), new("pixdim[3]", 88, 4, true),
        new("vox_offset", 108, 4, true), new("scl_slope", 112, 4, true), new("scl_inter", 116, 4, true),
        new("qform_code", 252, 2), new("sform_code", 254, 2),
        new("quatern_b", 256, 4, true), new("quatern_d", 264, 4, true), new("qoffset_x", 268, 4, true),
        new("srow_x[0]", 280, 4, true), new("srow_x[3]", 292, 4, true), new("srow_y[1]", 300, 4, true), new("srow_z[2]", 320, 4, true),
        new("magic", 344, 4), new("extension", 348, 4), new("esize", 352, 4), new("ecode", 356, 4),
    ], new Dictionary<string, string[]>());

    public override IReadOnlyList<Seed> Seeds()
    {
        var seeds = new List<Seed>();
        foreach (var v in SeedVolumes.EveryType())
        {
            seeds.Add(new($"{v.VoxelType}.nii", SeedVolumes.Bytes("s.nii", p => NiftiFile.Write(p, v))));
            if (v.VoxelType is Imaging.Volumes.VoxelType.Int16 or Imaging.Volumes.VoxelType.Float32)
                seeds.Add(new($"{v.VoxelType}.nii.gz", SeedVolumes.Bytes("s.nii.gz", p => NiftiFile.Write(p, v))));
        }
        if (SeedVolumes.RealCtCrop(realCt) is { } crop)
        {
            seeds.Add(new("ct-crop.nii", SeedVolumes.Bytes("s.nii", p => NiftiFile.Write(p, crop))));
            seeds.Add(new("ct-crop.nii.gz", SeedVolumes.Bytes("s.nii.gz", p => NiftiFile.Write(p, crop))));
        }
        // nibabel-written fixtures: both byte orders, extensions, scaling, qform/sform variants.
        if (SeedVolumes.FixturesFolder("nifti") is { } fixtures)
            foreach (string f in Directory.EnumerateFiles(fixtures).Where(f => f.EndsWith(".nii", StringComparison.Ordinal) || f.EndsWith(".nii.gz", StringComparison.Ordinal)).Order())
                if (new FileInfo(f).Length <= 64 * 1024) seeds.Add(new(Path.GetFileName(f), File.ReadAllBytes(f)));
        // A gzip bomb: a uint8 header declaring 1024×1024×48 (past the voxel limit: refused from the
        // header), then 48 MB of zeros; mutations of dims reach the streaming limit.
        var header = seeds[0].Bytes[..352];
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(42), 1024);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(44), 1024);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(46), 48);
        seeds.Add(new("bomb.nii.gz", GzipPayload.Bomb(header, 48L << 20)));
        return seeds;
    }

    public override string Run(byte[] input, string scratch)
    {
        string path = Path.Combine(scratch, GzipPayload.Find(input) == 0 ? "input.nii.gz" : "input.nii");
        File.WriteAllBytes(path, input);
        return Signatures.OfVolume(NiftiFile.Read(path, Limits));
    }
}
