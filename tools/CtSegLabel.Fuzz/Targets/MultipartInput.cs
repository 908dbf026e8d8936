using System.Text;
using CtSegLabel.Fuzz.Running;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>A multipart input as the fuzzer stores it: the Content-Type header value, a newline, then the
/// body, so mutations reach the boundary parameter as well as the body.</summary>
public static class MultipartInput
{
    public static byte[] Make(string contentType, byte[] body) => [.. Encoding.Latin1.GetBytes(contentType), (byte)'\n', .. body];

    public static (string ContentType, byte[] Body) Split(byte[] input)
    {
        int newline = Array.IndexOf(input, (byte)'\n');
        return newline < 0 ? (Encoding.Latin1.GetString(input), []) : (Encoding.Latin1.GetString(input, 0, newline), input[(newline + 1)..]);
    }

    public static Seed FromFields(string name, string contentType, byte[] body) => new(name, Make(contentType, body));

    /// <summary>Multipart headers, parameters and delimiters worth replacing.</summary>
    public static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
    {
        ["boundary="] = ["", "\"\"", "\"x", "x", "----------lImIt_of_THE_fIle_eW_$", "\"a b\"", new string('b', 100), new string('b', 71), "--", "\r"],
        ["Content-Disposition: "] = ["form-data", "attachment", "form-data; name=", "form-data; name=\"\"", "form-data; name=\"file\"; filename=\"\"",
            "form-data; name=\"file\"; filename=\"../../etc/passwd.nii.gz\"", "form-data; name=\"file\"; filename*=UTF-8''%e2%82%ac.nii", "form-data; filename=\"x.nrrd\"",
            "form-data; name=\"file\"; filename=\"C:\\\\data\\\\ct.nii.gz\"", "form-data; name=\"params\"; name=\"label\"", ""],
        ["Content-Type: "] = ["application/octet-stream", "application/json", "text/plain; charset=utf-16", "multipart/mixed; boundary=z", ""],
        ["name=\""] = ["params", "file", "label", "files", "", "\u00e9", "a\"b"],
        ["filename=\""] = ["x.nii.gz", "", "..", "a/b\\c.nrrd", "x.seg.nrrd", ".nii", "\u00e9.nii"],
        ["Content-Length: "] = ["0", "-1", "99999999999", "x"],
    };
}
