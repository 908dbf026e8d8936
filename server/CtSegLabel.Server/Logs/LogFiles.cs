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
        long end = stream.Length, start = 0, position = end;
        int newlines = 0;
        var buffer = new byte[chunk];
        bool found = false;
        while (position > 0 && !found)
        {
            int size = (int)Math.Min(chunk, position);
            position -= size;
            stream.Position = position;
            stream.ReadExactly(buffer, 0, size);
            for (int n = size - 1; n >= 0; n--)
            {
                // A final newline ends the last line; it does not separate another one.
                if (buffer[n] != (byte)'\n' || position + n == end - 1) continue;
                if (++newlines == lines)
                {
                    start = position + n + 1;
                    found = true;
                    break;
                }
            }
        }
        stream.Position = start;
        var bytes = new byte[end - start];
        stream.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
