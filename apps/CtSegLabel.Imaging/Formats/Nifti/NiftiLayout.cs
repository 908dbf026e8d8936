using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats.Nifti;

/// <summary>Where and what the voxel data of a NIfTI-1 file is, validated against the header's
/// consistency and the caller's limits before anything is allocated.</summary>
internal sealed record NiftiLayout(VoxelType Type, Shape3 Shape, long DataOffset)
{
    public long DataBytes => Shape.VoxelCount * Type.Size();

    public static NiftiLayout From(NiftiHeader h, string path, ReadOptions options, bool compressed)
    {
        var type = NiftiDatatype.TypeOf(h.Datatype)
            ?? throw new VolumeFormatException(path, "datatype",
                $"{NiftiDatatype.Describe(h.Datatype)} is not supported; supported: {NiftiDatatype.Supported}");
        if (h.Bitpix != 8 * type.Size())
            throw new VolumeFormatException(path, "bitpix", $"is {h.Bitpix}, but datatype {h.Datatype} has {8 * type.Size()} bits per voxel");

        int rank = h.Dim[0];
        if (rank is < 1 or > 7)
            throw new VolumeFormatException(path, "dim[0]", $"is {rank}; the number of dimensions must be 1 to 7");
        for (int n = 1; n <= rank; n++)
        {
            if (h.Dim[n] < 1)
                throw new VolumeFormatException(path, $"dim[{n}]", $"is {h.Dim[n]}; every dimension must be at least 1");
            if (n >= 4 && h.Dim[n] > 1)
                throw new VolumeFormatException(path, $"dim[{n}]", n == 4
                    ? $"is {h.Dim[n]}: a series of {h.Dim[n]} volumes; only single 3-D images are supported"
                    : $"is {h.Dim[n]}; only single 3-D images are supported (dims 5-7 must be 1)");
        }
        // Dimensions past dim[0] are unused by the standard, whatever they hold.
        var shape = new Shape3(h.Dim[1], rank >= 2 ? h.Dim[2] : 1, rank >= 3 ? h.Dim[3] : 1);

        if (shape.VoxelCount > options.MaxVoxels)
            throw new VolumeFormatException(path, "dim", $"{shape} is {shape.VoxelCount} voxels, more than the limit of {options.MaxVoxels} (ReadOptions.MaxVoxels)");
        if (shape.VoxelCount > Array.MaxLength)
            throw new VolumeFormatException(path, "dim", $"{shape} is {shape.VoxelCount} voxels; one volume holds at most {Array.MaxLength}");

        float offset = h.VoxOffset;
        if (!float.IsFinite(offset) || offset != MathF.Floor(offset))
            throw new VolumeFormatException(path, "vox_offset", $"is {offset}; it must be a whole number of bytes");
        if (offset < NiftiHeader.MinSingleFileVoxOffset)
            throw new VolumeFormatException(path, "vox_offset", $"is {offset}; a single-file NIfTI-1 keeps its data at byte {NiftiHeader.MinSingleFileVoxOffset} or later");
        if (offset > int.MaxValue)
            throw new VolumeFormatException(path, "vox_offset", $"is {offset}; header extensions that large are not plausible");

        var layout = new NiftiLayout(type, shape, (long)offset);
        // The decompression limit is enforced while inflating too; checking it here refuses a lying
        // header before the volume is allocated.
        long needed = layout.DataOffset + layout.DataBytes;
        if (compressed && needed > options.MaxDecompressedBytes)
            throw new VolumeFormatException(path, layout.DataBytes > options.MaxDecompressedBytes ? "dim" : "vox_offset",
                $"the file needs {needed} bytes inflated ({shape} {type} at byte {layout.DataOffset}), more than the limit of {options.MaxDecompressedBytes} (ReadOptions.MaxDecompressedBytes)");
        return layout;
    }
}
