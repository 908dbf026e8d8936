using System.Text;
using CtSegLabel.Server.Inference;

namespace CtSegLabel.Server.Routes;

/// <summary>File answers as MONAI Label (Starlette's FileResponse) sends them: application/octet-stream
/// (what Python's mimetypes guesses for .nii.gz/.nrrd) and <c>Content-Disposition: attachment;
/// filename="name"</c> — quoted, which Slicer's client requires — or, for names that URL-quoting would
/// change (spaces, non-ASCII), <c>filename*=utf-8''percent-encoded</c>.</summary>
public static class FileResults
{
    public static IResult Download(string path, string fileName) => new DownloadResult(path, fileName);

    /// <summary>Sends a temporary result file and removes it (and its folder) afterwards.</summary>
    public static IResult TemporaryDownload(InferOutcome outcome) => new TemporaryFileResult(outcome);

    public static string ContentDisposition(string fileName)
    {
        string quoted = PercentEncode(fileName);
        return quoted == fileName ? $"attachment; filename=\"{fileName}\"" : $"attachment; filename*=utf-8''{quoted}";
    }

    /// <summary>Python's <c>urllib.parse.quote</c> with its default safe set (letters, digits, <c>_.-~/</c>).</summary>
    private static string PercentEncode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~' or '/') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    private sealed class DownloadResult(string path, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.ContentDisposition = ContentDisposition(fileName);
            return TypedResults.PhysicalFile(path, "application/octet-stream").ExecuteAsync(context);
        }
    }

    private sealed class TemporaryFileResult(InferOutcome outcome) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using (outcome)
                await Download(outcome.FilePath, outcome.FileName).ExecuteAsync(context);
        }
    }
}
