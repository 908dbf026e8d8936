namespace CtSegLabel.Server.Sessions;

/// <summary>
/// CRC-32 as zip uses it (IEEE 802.3, reflected, polynomial 0xEDB88320). .NET's zip reader stops a member at the
/// length it declares and does not compare the checksum, so an archive that lies about a member's length would be
/// stored silently truncated; comparing the CRC the archive declares with that of the bytes written catches it (and
/// plain corruption). The BCL has no public CRC-32 (System.IO.Hashing is a separate package); this is the textbook
/// table-driven form (one table look-up a byte: small next to inflating and writing the member).
/// </summary>
public struct ZipCrc32
{
    private static readonly uint[] Table = BuildTable();

    private uint _state = 0xFFFFFFFF;

    public ZipCrc32() { }

    public readonly uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        uint crc = _state;
        foreach (byte b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _state = crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
