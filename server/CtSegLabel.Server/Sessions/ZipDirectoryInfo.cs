using System.Buffers.Binary;

namespace CtSegLabel.Server.Sessions;

/// <summary>
/// What a zip's end-of-central-directory record declares: how many members and how many bytes of directory. Read
/// before the archive is opened, because .NET's <see cref="System.IO.Compression.ZipArchive"/> turns the whole central
/// directory into objects as it opens: a 2 GB upload of empty members would be tens of millions of them before any
/// count could be checked. Zip64 records are followed. Null: no end record (not a zip).
/// </summary>
public sealed record ZipDirectoryInfo(long Members, long DirectoryBytes)
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const int EndSize = 22;
    private const int MaxCommentBytes = ushort.MaxValue;

    public static ZipDirectoryInfo? Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (file.Length < EndSize) return null;
        // The end record is the last 22 bytes, unless a comment (at most 64 KiB) follows it: search backwards.
        int tailLength = (int)Math.Min(file.Length, EndSize + MaxCommentBytes);
        byte[] tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        for (int at = tailLength - EndSize; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature) continue;
            long members = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            long directoryBytes = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
            if (members != ushort.MaxValue && directoryBytes != uint.MaxValue) return new ZipDirectoryInfo(members, directoryBytes);
            return Zip64(file, file.Length - tailLength + at);
        }
        return null;
    }

    /// <summary>The counts of a zip64 archive: its locator sits right before the classic end record.</summary>
    private static ZipDirectoryInfo? Zip64(FileStream file, long endRecordAt)
    {
        if (endRecordAt < 20) return null;
        Span<byte> locator = stackalloc byte[20];
        file.Position = endRecordAt - 20;
        file.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature) return null;
        long recordAt = BinaryPrimitives.ReadInt64LittleEndian(locator[8..]);
        if (recordAt < 0 || recordAt > file.Length - 56) return null;
        Span<byte> record = stackalloc byte[56];
        file.Position = recordAt;
        file.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature) return null;
        // Unsigned on disk; a value past long.MaxValue reads negative, which no caller's bound accepts.
        long members = BinaryPrimitives.ReadInt64LittleEndian(record[32..]);
        long directoryBytes = BinaryPrimitives.ReadInt64LittleEndian(record[40..]);
        return new ZipDirectoryInfo(members < 0 ? long.MaxValue : members, directoryBytes < 0 ? long.MaxValue : directoryBytes);
    }
}
