using CtSegLabel.Server.Inference;

namespace CtSegLabel.Server.Routes;

/// <summary>File answers as MONAI Label sends them: application/octet-stream (what Python's mimetypes
/// guesses for .nii.gz/.nrrd) and a Content-Disposition with a quoted filename (plus filename*=).</summary>
public static class FileResults
{
    public static IResult Download(string path, string fileName) =>
        TypedResults.PhysicalFile(path, "application/octet-stream", fileName);

    /// <summary>Sends a temporary result file and removes it (and its folder) afterwards.</summary>
    public static IResult TemporaryDownload(InferOutcome outcome) => new TemporaryFileResult(outcome);

    private sealed class TemporaryFileResult(InferOutcome outcome) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using (outcome)
                await Download(outcome.FilePath, outcome.FileName).ExecuteAsync(context);
        }
    }
}
