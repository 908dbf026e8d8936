using System.Buffers.Binary;
using System.Text;

namespace CtSegLabel.Imaging.Formats.Nifti;

/// <summary>
/// The 348-byte NIfTI-1 header: the fields this project reads or writes, at their standard offsets.
/// Parsing only checks what decides how to read the rest (sizeof_hdr, byte order, magic); the
/// meaning of dims, datatype and geometry is validated by the reader, which knows the file's limits.
/// </summary>
internal sealed class NiftiHeader
{
    public const int Size = 348;

    /// <summary>Header plus the 4-byte extension flag: the smallest vox_offset of a single .nii file.</summary>
    public const int MinSingleFileVoxOffset = 352;

    private const int Nifti2Size = 540;

    public bool LittleEndian { get; init; } = true;
    public short[] Dim { get; } = new short[8];
    public short IntentCode { get; set; }
    public short Datatype { get; set; }
    public short Bitpix { get; set; }
    public float[] Pixdim { get; } = new float[8];
    public float VoxOffset { get; set; }
    public float SclSlope { get; set; }
    public float SclInter { get; set; }
    public byte XyztUnits { get; set; }
    public float CalMax { get; set; }
    public float CalMin { get; set; }
    public string Descrip { get; set; } = "";
    public short QformCode { get; set; }
    public short SformCode { get; set; }
    public float QuaternB { get; set; }
    public float QuaternC { get; set; }
    public float QuaternD { get; set; }
    public float QoffsetX { get; set; }
    public float QoffsetY { get; set; }
    public float QoffsetZ { get; set; }
    public float[] SrowX { get; } = new float[4];
    public float[] SrowY { get; } = new float[4];
    public float[] SrowZ { get; } = new float[4];
    public string Magic { get; set; } = "n+1";

    /// <summary>Parses a header read from <paramref name="path"/>; <paramref name="bytes"/> holds what
    /// the file had, up to 348 bytes (fewer means the file ended early).</summary>
    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length == 0)
            throw new VolumeFormatException(path, "header", "the file is empty");
        if (bytes.Length >= 4)
        {
            int raw = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            int swapped = BinaryPrimitives.ReverseEndianness(raw);
            if (raw == Nifti2Size || swapped == Nifti2Size)
                throw new VolumeFormatException(path, "sizeof_hdr", "540 marks a NIfTI-2 file; NIfTI-2 is not supported (save as NIfTI-1)");
            if (raw != Size && swapped != Size)
                throw new VolumeFormatException(path, "sizeof_hdr", $"is {raw}, expected 348 (not a NIfTI-1 file)");
        }
        if (bytes.Length < Size)
            throw new VolumeFormatException(path, "header", $"truncated: the file holds {bytes.Length} bytes, a NIfTI-1 header needs {Size}");

        bool little = BinaryPrimitives.ReadInt32LittleEndian(bytes) == Size;
        var reader = new FieldReader(bytes, little);
        var h = new NiftiHeader { LittleEndian = little };
        for (int n = 0; n < 8; n++) h.Dim[n] = reader.Int16(40 + 2 * n);
        h.IntentCode = reader.Int16(68);
        h.Datatype = reader.Int16(70);
        h.Bitpix = reader.Int16(72);
        for (int n = 0; n < 8; n++) h.Pixdim[n] = reader.Single(76 + 4 * n);
        h.VoxOffset = reader.Single(108);
        h.SclSlope = reader.Single(112);
        h.SclInter = reader.Single(116);
        h.XyztUnits = bytes[123];
        h.CalMax = reader.Single(124);
        h.CalMin = reader.Single(128);
        h.Descrip = ReadText(bytes.Slice(148, 80));
        h.QformCode = reader.Int16(252);
        h.SformCode = reader.Int16(254);
        h.QuaternB = reader.Single(256);
        h.QuaternC = reader.Single(260);
        h.QuaternD = reader.Single(264);
        h.QoffsetX = reader.Single(268);
        h.QoffsetY = reader.Single(272);
        h.QoffsetZ = reader.Single(276);
        for (int n = 0; n < 4; n++)
        {
            h.SrowX[n] = reader.Single(280 + 4 * n);
            h.SrowY[n] = reader.Single(296 + 4 * n);
            h.SrowZ[n] = reader.Single(312 + 4 * n);
        }
        h.Magic = ReadText(bytes.Slice(344, 4));

        if (h.Magic == "ni1")
            throw new VolumeFormatException(path, "magic", "\"ni1\" marks a separate .hdr/.img pair, which is not supported; convert it to a single .nii file");
        if (h.Magic != "n+1")
            throw new VolumeFormatException(path, "magic", $"is \"{Printable(bytes.Slice(344, 4))}\", expected \"n+1\" (a single-file NIfTI-1)");
        return h;
    }

    /// <summary>Writes the 348 header bytes, little-endian (what every current tool writes).</summary>
    public void WriteTo(Span<byte> bytes)
    {
        bytes = bytes[..Size];
        bytes.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Size);
        for (int n = 0; n < 8; n++) BinaryPrimitives.WriteInt16LittleEndian(bytes[(40 + 2 * n)..], Dim[n]);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[68..], IntentCode);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[70..], Datatype);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[72..], Bitpix);
        for (int n = 0; n < 8; n++) BinaryPrimitives.WriteSingleLittleEndian(bytes[(76 + 4 * n)..], Pixdim[n]);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[108..], VoxOffset);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[112..], SclSlope);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[116..], SclInter);
        bytes[123] = XyztUnits;
        BinaryPrimitives.WriteSingleLittleEndian(bytes[124..], CalMax);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[128..], CalMin);
        WriteText(bytes.Slice(148, 80), Descrip);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[252..], QformCode);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[254..], SformCode);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[256..], QuaternB);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[260..], QuaternC);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[264..], QuaternD);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[268..], QoffsetX);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[272..], QoffsetY);
        BinaryPrimitives.WriteSingleLittleEndian(bytes[276..], QoffsetZ);
        for (int n = 0; n < 4; n++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(280 + 4 * n)..], SrowX[n]);
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(296 + 4 * n)..], SrowY[n]);
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(312 + 4 * n)..], SrowZ[n]);
        }
        WriteText(bytes.Slice(344, 4), Magic);
    }

    private static string ReadText(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteText(Span<byte> field, string text)
    {
        // One byte is always left as the terminating NUL: C readers treat these fields as strings.
        int n = Math.Min(text.Length, field.Length - 1);
        Encoding.Latin1.GetBytes(text.AsSpan(0, n), field);
    }

    private static string Printable(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder();
        foreach (byte b in raw) sb.Append(b is >= 0x20 and < 0x7f ? (char)b : $"\\x{b:x2}");
        return sb.ToString();
    }

    private readonly ref struct FieldReader(ReadOnlySpan<byte> bytes, bool little)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public short Int16(int offset) => little
            ? BinaryPrimitives.ReadInt16LittleEndian(_bytes[offset..])
            : BinaryPrimitives.ReadInt16BigEndian(_bytes[offset..]);

        public float Single(int offset) => little
            ? BinaryPrimitives.ReadSingleLittleEndian(_bytes[offset..])
            : BinaryPrimitives.ReadSingleBigEndian(_bytes[offset..]);
    }
}
