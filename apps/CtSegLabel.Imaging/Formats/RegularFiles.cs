using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// Whether a path names a regular file, asked of the file system WITHOUT opening it: opening a FIFO that has no writer
/// blocks until one appears (forever, for a detached NRRD header that names one), and .NET reports FIFOs, sockets and
/// devices as ordinary files (<see cref="FileAttributes.Normal"/>, length 0). On Linux the file type comes from
/// <c>statx</c>, whose buffer layout is the same on every architecture (unlike <c>struct stat</c>). Where that is not
/// available, a file of length 0 is taken as not regular: pipes, sockets and devices report 0, and an empty regular
/// file holds no voxels anyway.
/// </summary>
internal static class RegularFiles
{
    public static bool IsRegular(string path)
    {
        if (OperatingSystem.IsWindows()) return File.Exists(path); // no FIFOs in the Windows file namespace
        if (OperatingSystem.IsLinux() && TypeOnLinux(path) is int type) return type == Native.RegularFile;
        return File.Exists(path) && new FileInfo(path).Length > 0;
    }

    /// <summary>The S_IFMT bits of the file (symbolic links followed), or null when statx is unavailable or fails.</summary>
    private static int? TypeOnLinux(string path)
    {
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        byte[] buffer = new byte[Native.StatxSize];
        try
        {
            if (Native.statx(Native.CurrentDirectory, name, 0, Native.StatxType, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a libc under another name, or one older than statx (glibc 2.28)
        }
        ushort mode = BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(Native.ModeOffset))
            : BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(Native.ModeOffset));
        return mode & Native.TypeMask;
    }

    private static class Native
    {
        public const int CurrentDirectory = -100; // AT_FDCWD: a relative path is resolved against the working directory
        public const uint StatxType = 0x0001;     // STATX_TYPE: only the file type is asked for
        public const int StatxSize = 256;         // sizeof(struct statx), fixed by the kernel's ABI
        public const int ModeOffset = 28;         // stx_mode (__u16) after mask, blksize, attributes, nlink, uid, gid
        public const int TypeMask = 0xF000;       // S_IFMT
        public const int RegularFile = 0x8000;    // S_IFREG

        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);
    }
}
