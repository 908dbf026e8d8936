using System.IO.Compression;
using CtSegLabel.Imaging.Rendering;
using CtSegLabel.Server.Errors;

namespace CtSegLabel.Server.Sessions;

/// <summary>
/// Extracts a zip uploaded to <c>/session/?uncompress=true</c> without trusting what it declares: the member count and
/// directory size are checked before the archive is opened (<see cref="ZipDirectoryInfo"/>); a member declaring more
/// than <c>Server:MaxVolumeBytes</c> is refused before it is inflated, and every copy is itself bounded (a member's
/// declared length is only a claim); the members together may inflate to at most <c>Server:MaxUploadBytes</c>; a
/// member whose data do not match their declared CRC-32 (.NET stops reading at the declared length, so a member lying
/// about it would otherwise be stored truncated), whose path would leave the session folder, or that appears twice, is
/// refused. A refusal is an
/// <see cref="UploadRejectedException"/> on the field <c>files</c> naming the archive and the member; the caller
/// removes the session folder, so nothing half-extracted remains.
/// </summary>
public static class SessionArchive
{
    /// <summary>Average central-directory bytes a member may take (46 fixed bytes plus its name and extra fields:
    /// about 100–200 in real archives, DICOM series included).</summary>
    private const long DirectoryBytesPerMember = 1024;

    public sealed record Limits(long MaxMemberBytes, long MaxTotalBytes, int MaxMembers);

    public static List<string> Extract(string zip, string archiveName, string folder, Limits limits, CancellationToken ct)
    {
        var directory = ZipDirectoryInfo.Read(zip) ?? throw Refused(archiveName, "is not a zip archive (no end-of-central-directory record)");
        if (directory.Members > limits.MaxMembers)
            throw Refused(archiveName, $"declares {directory.Members} members, more than the server's limit of {limits.MaxMembers} (Server:MaxArchiveMembers)");
        if (directory.DirectoryBytes > Math.Max(1, directory.Members) * DirectoryBytesPerMember)
            throw Refused(archiveName, $"has a central directory of {directory.DirectoryBytes} bytes for {directory.Members} members: not a plausible archive");

        var files = new List<string>();
        string root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        long total = 0;
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zip);
        }
        catch (InvalidDataException e)
        {
            throw Refused(archiveName, $"is not a readable zip archive ({e.Message})");
        }
        using (archive)
        {
            if (archive.Entries.Count > limits.MaxMembers)
                throw Refused(archiveName, $"holds {archive.Entries.Count} members, more than the server's limit of {limits.MaxMembers} (Server:MaxArchiveMembers)");
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                string target = Path.GetFullPath(Path.Combine(folder, entry.FullName));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                    throw ApiException.Unprocessable($"archive member '{entry.FullName}' would be extracted outside the session folder");
                if (entry.Length > limits.MaxMemberBytes)
                    throw Refused(archiveName, entry, $"declares {entry.Length} bytes, more than the server's limit of {limits.MaxMemberBytes} (Server:MaxVolumeBytes)");
                if (File.Exists(target) || Directory.Exists(target))
                    throw Refused(archiveName, entry, "appears twice in the archive (or clashes with a folder of it)");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                total += Copy(entry, target, archiveName, limits, total, ct);
                files.Add(target);
            }
        }
        return files;
    }

    /// <summary>Inflates one member, counting what it yields (the declared length is not trusted), and compares the
    /// CRC-32 the archive declares with that of what was written: .NET's zip reader stops a member at the length it
    /// declares and does not compare the checksum, so a member lying about its length would be stored truncated. The
    /// CRC is zip's and PNG's alike (<see cref="Crc32"/>).</summary>
    private static long Copy(ZipArchiveEntry entry, string target, string archiveName, Limits limits, long before, CancellationToken ct)
    {
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        uint crc = 0;
        try
        {
            using var source = entry.Open();
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            int n;
            while ((n = source.Read(buffer)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                written += n;
                if (written > limits.MaxMemberBytes)
                    throw Refused(archiveName, entry, $"inflates past the server's limit of {limits.MaxMemberBytes} bytes (Server:MaxVolumeBytes); it declared {entry.Length}");
                if (before + written > limits.MaxTotalBytes)
                    throw Refused(archiveName, entry, $"brings the archive's inflated size past the server's limit of {limits.MaxTotalBytes} bytes (Server:MaxUploadBytes)");
                crc = Crc32.Append(crc, buffer.AsSpan(0, n));
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw Refused(archiveName, entry, $"holds corrupt compressed data ({e.Message})");
        }
        if (crc != entry.Crc32)
            throw Refused(archiveName, entry, $"does not match the CRC-32 it declares after {written} bytes (a corrupt archive, or one lying about the member's length)");
        return written;
    }

    private static UploadRejectedException Refused(string archiveName, string problem) =>
        new("files", $"archive '{archiveName}' {problem}");

    private static UploadRejectedException Refused(string archiveName, ZipArchiveEntry entry, string problem) =>
        new("files", $"archive '{archiveName}': member '{entry.FullName}' {problem}");
}
