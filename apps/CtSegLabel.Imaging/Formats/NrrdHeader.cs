using System.Text;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// The text header of a NRRD file as written: the magic's version, the "field: description" lines and
/// the "key:=value" pairs, in order. Only the text is interpreted here; what the fields mean for a
/// volume is <see cref="NrrdLayout"/>'s business.
/// </summary>
public sealed class NrrdHeader
{
    /// <summary>A header longer than this is not a header: we stop rather than read a whole large file
    /// looking for the blank line.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    private readonly Dictionary<string, string> _fields;
    private readonly Dictionary<string, int> _keyIndex;

    private NrrdHeader(int version, Dictionary<string, string> fields, List<KeyValuePair<string, string>> fieldsInOrder,
        List<KeyValuePair<string, string>> keyValues, Dictionary<string, int> keyIndex, long dataOffset, bool hasBlankLine)
    {
        Version = version;
        _fields = fields;
        _keyIndex = keyIndex;
        Fields = fieldsInOrder;
        KeyValues = keyValues;
        DataOffset = dataOffset;
        HasBlankLine = hasBlankLine;
    }

    /// <summary>N of the magic NRRD000N.</summary>
    public int Version { get; }

    /// <summary>The "key:=value" pairs in file order, values unescaped (\n and \\).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> KeyValues { get; }

    /// <summary>Byte offset of the first byte after the header's terminating blank line (attached data
    /// starts here), or the length of the header when it ended at the end of the file.</summary>
    public long DataOffset { get; }

    /// <summary>False for a detached header that simply ends with the file.</summary>
    public bool HasBlankLine { get; }

    /// <summary>The "field: description" lines in file order, names as written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>A field's description, by name in any case and spacing ("space directions",
    /// "SpaceDirections" …); null when absent.</summary>
    public string? Field(string name) => _fields.GetValueOrDefault(Canonical(name));

    public bool HasField(string name) => _fields.ContainsKey(Canonical(name));

    /// <summary>The value of a key, or null. A key given twice keeps its last value, as teem does.</summary>
    public string? Value(string key) => _keyIndex.TryGetValue(key, out int n) ? KeyValues[n].Value : null;

    /// <summary>Reads the header from the start of a stream. The stream may be read past the header;
    /// callers seek to <see cref="DataOffset"/>.</summary>
    internal static NrrdHeader Read(Stream stream, string path)
    {
        var lines = ReadLines(stream, path, out long dataOffset, out bool hasBlankLine);
        int version = ParseMagic(lines[0], path);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var fieldsInOrder = new List<KeyValuePair<string, string>>();
        var keyValues = new List<KeyValuePair<string, string>>();
        var keyIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n < lines.Count; n++)
        {
            string line = lines[n];
            if (line.StartsWith('#')) continue;
            int kv = line.IndexOf(":=", StringComparison.Ordinal);
            int field = line.IndexOf(": ", StringComparison.Ordinal);
            if (kv > 0 && (field < 0 || kv < field))
            {
                string key = line[..kv];
                string value = Unescape(line[(kv + 2)..]);
                if (keyIndex.TryGetValue(key, out int existing)) keyValues[existing] = new(key, value);
                else
                {
                    keyIndex[key] = keyValues.Count;
                    keyValues.Add(new(key, value));
                }
                continue;
            }
            string name, desc;
            if (field > 0) { name = line[..field]; desc = line[(field + 2)..].Trim(); }
            else if (line.EndsWith(':') && line.Length > 1) { name = line[..^1]; desc = ""; }
            else throw new VolumeFormatException(path, "header", $"line {n + 1} is neither 'field: value' nor 'key:=value': '{Shorten(line)}'");
            string canonical = Canonical(name);
            if (fields.ContainsKey(canonical))
                throw new VolumeFormatException(path, name.Trim(), "is given twice");
            fields[canonical] = desc;
            fieldsInOrder.Add(new(name.Trim(), desc));
            if (canonical == "datafile" && desc.StartsWith("LIST", StringComparison.Ordinal))
                throw new VolumeFormatException(path, "data file", "LIST (one data file per line) is not supported; use a single data file");
        }
        return new NrrdHeader(version, fields, fieldsInOrder, keyValues, keyIndex, dataOffset, hasBlankLine);
    }

    /// <summary>Writes a header: magic, comment, fields in the given order, key/value pairs, blank line.</summary>
    internal static byte[] Format(IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<KeyValuePair<string, string>> keyValues)
    {
        var text = new StringBuilder();
        text.Append("NRRD0004\n");
        text.Append("# NRRD format: http://teem.sourceforge.net/nrrd/format.html (written by CtSegLabel)\n");
        foreach (var (name, value) in fields)
            text.Append(name).Append(": ").Append(value).Append('\n');
        foreach (var (key, value) in keyValues)
        {
            if (key.Length == 0 || key.Contains(":=", StringComparison.Ordinal) || key.Contains('\n') || key.Contains('\r') || key.StartsWith('#'))
                throw new ArgumentException($"'{key}' cannot be a NRRD key (empty, or holds ':=', a line break or a leading '#')", nameof(keyValues));
            text.Append(key).Append(":=").Append(Escape(value)).Append('\n');
        }
        text.Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Field names compare without case and spaces: the specification spells several both
    /// ways ("data file"/"datafile", "byte skip"/"byteskip").</summary>
    internal static string Canonical(string name) => name.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal).ToLowerInvariant();

    private static int ParseMagic(string line, string path)
    {
        if (line.Length == 8 && line.StartsWith("NRRD000", StringComparison.Ordinal) && line[7] >= '1' && line[7] <= '5')
            return line[7] - '0';
        throw new VolumeFormatException(path, "magic", $"expected NRRD0001 to NRRD0005, found '{Shorten(line)}'");
    }

    /// <summary>Splits the header into lines (first line: the magic) up to the blank line that ends it.
    /// Never reads more than <see cref="MaxHeaderBytes"/> plus one buffer.</summary>
    private static List<string> ReadLines(Stream stream, string path, out long dataOffset, out bool hasBlankLine)
    {
        var lines = new List<string>();
        var buffer = new byte[64 * 1024];
        int filled = 0, lineStart = 0, scan = 0;
        bool eof = false;
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', scan, filled - scan);
            if (newline < 0)
            {
                if (lines.Count == 0 && filled >= 4 && !buffer.AsSpan(0, 4).SequenceEqual("NRRD"u8))
                    throw new VolumeFormatException(path, "magic", "the file does not start with NRRD; it is not a NRRD file");
                if (eof)
                {
                    if (filled > lineStart) lines.Add(DecodeLine(buffer, lineStart, filled));
                    if (lines.Count == 0) throw new VolumeFormatException(path, "magic", "the file is empty");
                    dataOffset = filled;
                    hasBlankLine = false;
                    return lines;
                }
                if (filled >= MaxHeaderBytes)
                    throw new VolumeFormatException(path, "header", $"no blank line ends the header within its first {MaxHeaderBytes} bytes");
                scan = filled;
                if (filled == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxHeaderBytes + 64 * 1024));
                int n = stream.Read(buffer, filled, buffer.Length - filled);
                if (n == 0) eof = true;
                filled += n;
                continue;
            }
            string line = DecodeLine(buffer, lineStart, newline);
            if (lines.Count == 0 && !line.StartsWith("NRRD", StringComparison.Ordinal))
                throw new VolumeFormatException(path, "magic", "the file does not start with NRRD; it is not a NRRD file");
            if (line.Length == 0 && lines.Count > 0)
            {
                dataOffset = newline + 1;
                hasBlankLine = true;
                return lines;
            }
            lines.Add(line);
            lineStart = scan = newline + 1;
            if (lineStart > MaxHeaderBytes)
                throw new VolumeFormatException(path, "header", $"no blank line ends the header within its first {MaxHeaderBytes} bytes");
        }
    }

    private static string DecodeLine(byte[] buffer, int start, int end)
    {
        if (end > start && buffer[end - 1] == '\r') end--;
        return Encoding.UTF8.GetString(buffer, start, end - start);
    }

    // teem escapes the two characters that would break a one-line value.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var sb = new StringBuilder(value.Length);
        for (int n = 0; n < value.Length; n++)
        {
            if (value[n] == '\\' && n + 1 < value.Length && (value[n + 1] == 'n' || value[n + 1] == '\\'))
            {
                sb.Append(value[n + 1] == 'n' ? '\n' : '\\');
                n++;
            }
            else sb.Append(value[n]);
        }
        return sb.ToString();
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
