using System.Text;

namespace CtSegLabel.PluginAdapter.Multipart;

/// <summary>
/// Encodes a request body exactly as the Slicer extension's hand-written encoder does: the constant
/// boundary (with its '$', unquoted), text fields first without a Content-Type, then files whose
/// filename is the FULL local path, every line ended by CRLF including the closing delimiter. Servers must cope with precisely this.
/// </summary>
public static class SlicerMultipartEncoder
{
    public const string Boundary = "----------lImIt_of_THE_fIle_eW_$";

    public const string ContentType = "multipart/form-data; boundary=" + Boundary;

    /// <param name="fields">Text fields (name → value).</param>
    /// <param name="files">File fields (name → local path); the path is sent as the filename.</param>
    public static byte[] Encode(IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<KeyValuePair<string, string>> files)
    {
        using var body = new MemoryStream();
        void Line(string text)
        {
            body.Write(Encoding.UTF8.GetBytes(text));
            body.Write("\r\n"u8);
        }

        foreach (var (name, value) in fields)
        {
            Line("--" + Boundary);
            Line($"Content-Disposition: form-data; name=\"{name}\"");
            Line("");
            Line(value);
        }
        foreach (var (name, path) in files)
        {
            Line("--" + Boundary);
            Line($"Content-Disposition: form-data; name=\"{name}\"; filename=\"{path}\"");
            Line("Content-Type: application/octet-stream");
            Line("");
            body.Write(File.ReadAllBytes(path));
            body.Write("\r\n"u8);
        }
        Line("--" + Boundary + "--"); // the client joins lines with CRLF and ends with an empty one
        return body.ToArray();
    }
}
