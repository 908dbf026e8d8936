using System.Text;

namespace CtSegLabel.Server.Logs;

/// <summary>
/// The server's log files: <c>app.log</c> in the logs folder, rolled by size into <c>app_001.log</c>, ...
/// The newest file is the one being written. Tailing reads backwards from the end, so asking for the
/// last 300 lines of a large log costs a few kilobytes of I/O, not the whole file.
/// </summary>
public sealed class LogFiles(string folder)
{
    public const string BaseName = "app.log";

    public string Folder { get; } = folder;

    public string FilePath => Path.Combine(Folder, BaseName);

    /// <summary>The file currently written to, or null when there is none yet.</summary>
    public string? Current()
    {
        if (!Directory.Exists(Folder)) return null;
        return new DirectoryInfo(Folder).EnumerateFiles("app*.log")
            .OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal)
            .FirstOrDefault()?.FullName;
    }

    /// <summary>The last <paramref name="lines"/> lines of the current file; the whole file when lines ≤ 0.</summary>
    public static string Tail(string path, int lines)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (lines <= 0)
        {
            using var all = new StreamReader(stream, Encoding.UTF8);
            return all.ReadToEnd();
        }

        const int chunk = 64 * 1024;
        long end = stream.Length, start = end;
        int newlines = 0;
        var buffer = new byte[chunk];
        // A final newline ends the last line; it does not start another one.
        bool skipTrailing = true;
        while (start > 0 && newlines <= lines)
        {
            int size = (int)Math.Min(chunk, start);
            start -= size;
            stream.Position = start;
            stream.ReadExactly(buffer, 0, size);
            for (int n = size - 1; n >= 0; n--)
            {
                if (buffer[n] != (byte)'\n') { skipTrailing = false; continue; }
                if (skipTrailing && start + n == end - 1) continue;
                if (++newlines > lines) { start += n + 1; break; }
            }
        }
        stream.Position = start;
        var bytes = new byte[end - start];
        stream.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
