using System.Text.RegularExpressions;

namespace CtSegLabel.PluginAdapter.Client;

/// <summary>The file name Slicer's client takes from a download's Content-Disposition: <c>filename*=</c>
/// (its <c>utf-8''</c> prefix stripped, percent-decoded) or else a QUOTED <c>filename="..."</c>; anything
/// else makes the real client crash, so it is an error here too.</summary>
public static partial class DownloadFileName
{
    public static string FromContentDisposition(string? contentDisposition)
    {
        if (string.IsNullOrEmpty(contentDisposition))
            throw new FormatException("no Content-Disposition header");
        var star = StarRegex().Match(contentDisposition);
        if (star.Success)
        {
            string value = star.Groups[1].Value.Trim();
            if (value.StartsWith("utf-8''", StringComparison.OrdinalIgnoreCase)) value = Uri.UnescapeDataString(value[7..]);
            return value;
        }
        var quoted = QuotedRegex().Match(contentDisposition);
        if (quoted.Success) return quoted.Groups[1].Value;
        throw new FormatException($"Content-Disposition '{contentDisposition}' has neither filename*= nor a quoted filename=\"...\"");
    }

    [GeneratedRegex("filename\\*=([^;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex StarRegex();

    [GeneratedRegex("filename=\"(.+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex QuotedRegex();
}
