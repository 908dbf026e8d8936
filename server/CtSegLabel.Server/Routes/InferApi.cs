using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.PluginAdapter.Multipart;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Inference;
using CtSegLabel.Server.Sessions;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary>
/// <c>POST /infer/{model}</c>: runs a model on a datastore image, a session's image or an uploaded file
/// and answers, by <c>output</c>, the multipart params+label file Slicer needs (default), the params
/// alone (json) or the label file alone (image). The pathology routes are declared so that clients get
/// a clear answer instead of a bare 404.
/// </summary>
public static class InferApi
{
    public static IEndpointRouteBuilder MapInferApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/infer").WithTags("Infer").DisableAntiforgery();
        api.MapPost("/{model}", Infer).Validate<InferApiRequest>()
            .WithSummary("Run a model; multipart answer with parts 'params' (JSON) and 'image' (label file)");
        api.MapPost("/wsi/{model}", WholeSlide).WithSummary("Whole-slide (pathology) inference: not offered by this server");
        api.MapPost("/wsi_v2/{model}", WholeSlide).WithSummary("Whole-slide (pathology) inference: not offered by this server");
        return routes;
    }

    public static async Task<IResult> Infer([AsParameters] InferApiRequest request, ISegmentationApp app, LocalDatastore datastore,
        SessionStore sessions, InferenceService inference, UploadedVolumes volumes, CancellationToken ct)
    {
        var task = app.InferTasks.FirstOrDefault(t => t.Name == request.Model)
            ?? throw ApiException.NotFound($"Model '{request.Model}' not found; available: {ActiveLearningApi.Names(app.InferTasks.Select(t => t.Name))}");
        if (request.Output == "dicom_seg")
            throw ApiException.Unprocessable("output=dicom_seg needs a DICOMweb datastore; this server keeps a local one");

        var parameters = JsonText.ParseObject(request.Params);
        var uploads = new List<string>();
        try
        {
            var input = await ResolveInputAsync(request, datastore, sessions, volumes, uploads, ct);
            if (request.Label is { } label)
            {
                string ext = FileNameRules.ExtensionOf(label.FileName, datastore.Names.LabelExtensions) ?? ".bin";
                string path = await Uploads.SaveAsync(label, UploadFolder(), ext, ct);
                uploads.Add(path);
                await Task.Run(() => volumes.EnsureReadable(path, "label", label.FileName), ct);
                parameters["label"] = path; // MONAI Label hands an uploaded label (scribbles) to the task by path
            }

            var outcome = await inference.RunAsync(task, input, parameters, ct);
            return request.Output switch
            {
                "json" => Dispose(outcome, TypedResults.Ok(outcome.Params)),
                "image" => FileResults.TemporaryDownload(outcome),
                _ => new InferMultipartResult(outcome),
            };
        }
        finally
        {
            foreach (string path in uploads) Uploads.Discard(path);
        }
    }

    public static IResult WholeSlide(string model, ISegmentationApp app)
    {
        // An unknown name is the client's error (404 naming it) before it is this server's missing feature (501).
        if (app.InferTasks.All(t => t.Name != model))
            throw ApiException.NotFound($"Model '{model}' not found; available: {ActiveLearningApi.Names(app.InferTasks.Select(t => t.Name))}");
        throw new ApiException(StatusCodes.Status501NotImplemented,
            $"Whole-slide (pathology) inference is not offered by this server (model '{model}'); use POST /infer/{{model}}");
    }

    private static async Task<InferInput> ResolveInputAsync(InferApiRequest request, LocalDatastore datastore, SessionStore sessions,
        UploadedVolumes volumes, List<string> uploads, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(request.SessionId))
        {
            if (!sessions.Enabled) throw new ApiException(StatusCodes.Status406NotAcceptable, "Session Feature is Not Enabled");
            return new InferInput(sessions.ImageOf(request.SessionId), null);
        }
        if (request.File is { } file)
        {
            string ext = FileNameRules.ExtensionOf(file.FileName, datastore.Names.ImageExtensions)
                ?? throw ApiException.Unprocessable($"file name '{FileNameRules.BareName(file.FileName)}' has none of the image extensions {string.Join(", ", datastore.Names.ImageExtensions)}");
            string path = await Uploads.SaveAsync(file, UploadFolder(), ext, ct);
            uploads.Add(path);
            // Header only: the worker reads the file whole, under the same limits, and its refusal names 'file' too.
            await Task.Run(() => volumes.EnsureHeaderReadable(path, "file", file.FileName), ct);
            return new InferInput(path, null, new InferUpload("file", file.FileName));
        }
        var image = datastore.FindImage(request.Image!) ?? throw ApiException.NotFound($"Image '{request.Image}' not found in the datastore");
        return new InferInput(image.Path, request.Image);
    }

    private static string UploadFolder() => Path.Combine(Path.GetTempPath(), "ctseg-infer-input");

    private static IResult Dispose(IDisposable outcome, IResult result)
    {
        outcome.Dispose();
        return result;
    }

    /// <summary>The multipart answer with an exact Content-Length (never chunked: Slicer parses the raw socket).</summary>
    private sealed class InferMultipartResult(InferOutcome outcome) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using (outcome)
            {
                await using var file = new FileStream(outcome.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                var answer = new InferAnswer(outcome.Params, outcome.FileName, file.Length);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = answer.ContentType;
                context.Response.ContentLength = answer.ContentLength;
                await answer.WriteAsync(context.Response.Body, file, context.RequestAborted);
            }
        }
    }
}
