using System.Text;
using System.Text.RegularExpressions;

namespace CtSegLabel.PluginAdapter.Multipart;

/// <summary>
/// Splits a multipart/form-data body the way Slicer's client sees it: the boundary from the
/// Content-Type (quoted or not), parts separated by CRLF--boundary, headers up to the first blank
/// line. Anything malformed raises <see cref="MultipartFormatException"/> saying what is wrong.
/// </summary>
public static partial class MultipartParser
{
    public static string BoundaryOf(string contentType)
    {
        var m = BoundaryRegex().Match(contentType);
        if (!m.Success) throw new MultipartFormatException($"no boundary parameter in Content-Type '{contentType}'");
        return m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
    }

    public static IReadOnlyList<MultipartPart> Parse(string contentType, ReadOnlySpan<byte> body)
    {
        byte[] delimiter = Encoding.ASCII.GetBytes("--" + BoundaryOf(contentType));
        int pos = body.IndexOf(delimiter);
        if (pos < 0) throw new MultipartFormatException("the body does not contain the boundary delimiter");
        var parts = new List<MultipartPart>();
        pos += delimiter.Length;
        while (true)
        {
            var rest = body[pos..];
            if (rest.StartsWith("--"u8)) return parts; // closing delimiter
            if (!rest.StartsWith("\r\n"u8)) throw new MultipartFormatException("a delimiter is not followed by CRLF");
            pos += 2;
            int headerEnd = body[pos..].IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0) throw new MultipartFormatException("a part has no blank line after its headers");
            string headers = Encoding.UTF8.GetString(body.Slice(pos, headerEnd));
            int dataStart = pos + headerEnd + 4;
            var next = new byte[delimiter.Length + 2];
            "\r\n"u8.CopyTo(next);
            delimiter.CopyTo(next, 2);
            int dataLength = body[dataStart..].IndexOf(next);
            if (dataLength < 0) throw new MultipartFormatException("a part is not followed by a delimiter (closing delimiter missing)");
            parts.Add(MakePart(headers, body.Slice(dataStart, dataLength).ToArray()));
            pos = dataStart + dataLength + next.Length;
        }
    }

    private static MultipartPart MakePart(string headers, byte[] data)
    {
        string? disposition = null, type = null;
        foreach (string line in headers.Split("\r\n"))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (key.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase)) disposition = value;
            else if (key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) type = value;
        }
        string? name = disposition is null ? null : NameRegex().Match(disposition) is { Success: true } n ? n.Groups[1].Value : null;
        string? file = disposition is null ? null : FileNameRegex().Match(disposition) is { Success: true } f ? f.Groups[1].Value : null;
        return new MultipartPart(name, file, type, data);
    }

    [GeneratedRegex("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryRegex();

    [GeneratedRegex("(?:^|;)\\s*name=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex NameRegex();

    [GeneratedRegex("(?:^|;)\\s*filename=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FileNameRegex();
}
