using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// The two text encodings of NRRD data. "ascii": one number per value, separated by whitespace (commas
/// are tolerated), stored in native byte order. "hex": two hex digits per byte in file byte order
/// (the caller swaps), whitespace ignored. Each value is checked against the voxel type's range.
/// </summary>
internal sealed class NrrdTextData(Stream source, VoxelType type, NrrdEncoding encoding, string path)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _length, _position;
    private readonly StringBuilder _token = new();

    /// <summary>Fills the chunk; returns the bytes filled (less only when the text ends).</summary>
    public int Fill(Span<byte> chunk, long firstValueIndex) =>
        encoding == NrrdEncoding.Hex ? FillHex(chunk) : FillAscii(chunk, firstValueIndex);

    private int FillAscii(Span<byte> chunk, long firstValueIndex)
    {
        int size = type.Size();
        int filled = 0;
        while (filled < chunk.Length)
        {
            if (!NextToken()) break;
            Store(chunk.Slice(filled, size), _token.ToString(), firstValueIndex + filled / size);
            filled += size;
        }
        return filled;
    }

    private int FillHex(Span<byte> chunk)
    {
        int filled = 0;
        int high = -1;
        while (filled < chunk.Length)
        {
            int b = NextByte();
            if (b < 0) break;
            if (b is ' ' or '\t' or '\n' or '\r') continue;
            int nibble = HexValue(b);
            if (nibble < 0) throw new VolumeFormatException(path, "data", $"'{(char)b}' is not a hex digit");
            if (high < 0) high = nibble;
            else
            {
                chunk[filled++] = (byte)(high << 4 | nibble);
                high = -1;
            }
        }
        return filled;
    }

    private bool NextToken()
    {
        _token.Clear();
        while (true)
        {
            int b = NextByte();
            if (b < 0) return _token.Length > 0;
            bool separator = b is ' ' or '\t' or '\n' or '\r' or ',';
            if (separator)
            {
                if (_token.Length > 0) return true;
                continue;
            }
            if (_token.Length > 64) throw new VolumeFormatException(path, "data", $"'{_token}…' is not a number");
            _token.Append((char)b);
        }
    }

    private int NextByte()
    {
        if (_position == _length)
        {
            _length = source.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length == 0) return -1;
        }
        return _buffer[_position++];
    }

    private void Store(Span<byte> target, string token, long index)
    {
        if (type.IsInteger())
        {
            if (!long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            {
                // Some writers print integers as "3.0"; accept a number that is exactly an integer.
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d != Math.Floor(d) || Math.Abs(d) > 1e18)
                    throw new VolumeFormatException(path, "data", $"value {index} '{token}' is not an integer");
                v = (long)d;
            }
            var (min, max) = type.Range();
            if (v < min || v > max)
                throw new VolumeFormatException(path, "data", $"value {index} ({v}) is outside the range of {NrrdTypes.TypeName(type)}");
            switch (type)
            {
                case VoxelType.UInt8: target[0] = (byte)v; break;
                case VoxelType.Int8: target[0] = (byte)(sbyte)v; break;
                case VoxelType.Int16: MemoryMarshal.Write(target, (short)v); break;
                case VoxelType.UInt16: MemoryMarshal.Write(target, (ushort)v); break;
                case VoxelType.Int32: MemoryMarshal.Write(target, (int)v); break;
                case VoxelType.UInt32: MemoryMarshal.Write(target, (uint)v); break;
            }
            return;
        }
        if (!TryParseReal(token, out double value))
            throw new VolumeFormatException(path, "data", $"value {index} '{token}' is not a number");
        if (type == VoxelType.Float32) MemoryMarshal.Write(target, (float)value);
        else MemoryMarshal.Write(target, value);
    }

    private static bool TryParseReal(string token, out double value)
    {
        switch (token.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
