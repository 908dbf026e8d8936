using System.Runtime.InteropServices;
using System.Text;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// Makes renames and creations in a directory durable. On Linux a rename is recorded in the directory, not in the
/// file: fsync on the file persists its bytes, but after a power loss the directory may still name the old file (or
/// none) until the directory itself is flushed. .NET refuses to open a directory as a file handle, so this opens it
/// through libc read-only and fsyncs that descriptor. Windows (NTFS journals metadata; a directory cannot be
/// fsynced there) is skipped.
/// </summary>
public static class DirectorySync
{
    private static long _flushes;

    /// <summary>Directory fsyncs that succeeded in this process (what a test or benchmark can check).</summary>
    public static long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Flushes the directory's entries to disk; false where that is not possible (Windows, a file system
    /// that refuses fsync on directories): the rename then is atomic but may not survive a power loss.</summary>
    public static bool Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return false;
        try
        {
            return FlushUnix(directory);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a libc under another name (musl builds): durability as before, no crash
        }
    }

    private static bool FlushUnix(string directory)
    {
        byte[] path = Encoding.UTF8.GetBytes(Path.GetFullPath(directory) + "\0");
        int fd = Native.open(path, Native.ReadOnly);
        if (fd < 0) return false;
        try
        {
            if (Native.fsync(fd) != 0) return false;
            Interlocked.Increment(ref _flushes);
            return true;
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    private static class Native
    {
        public const int ReadOnly = 0; // O_RDONLY: the same value on every Unix; enough to open a directory

        [DllImport("libc", SetLastError = true)]
        public static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
