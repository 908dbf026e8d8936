using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CtSegLabel.Server.Routes;

/// <summary><c>/model/...</c>: the weights file behind a model — download, checksum, replace, retire.
/// A model whose app exposes no file (or whose file does not exist yet) answers 404.</summary>
public static class ModelApi
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/model").WithTags("Model").DisableAntiforgery();
        api.MapGet("/info/{model}", Info).WithSummary("Checksum and modification time of the model file");
        api.MapGet("/{model}", Download).WithSummary("Download the model file");
        api.MapPut("/{model}", Upload).Validate<ModelUploadRequest>().WithSummary("Replace the model file");
        api.MapDelete("/{model}", Retire).WithSummary("Retire the model file (renamed with a .<ts>.deleted suffix)");
        return routes;
    }

    public static Ok<ModelFileInfoDto> Info(string model, ISegmentationApp app)
    {
        var task = Find(app, model);
        string path = ExistingFile(task);
        return TypedResults.Ok(Describe(path, app.TrainTasks.FirstOrDefault(t => t.Name == model)?.Stats()));
    }

    public static IResult Download(string model, ISegmentationApp app)
    {
        string path = ExistingFile(Find(app, model));
        return FileResults.Download(path, model + FileExtension(path));
    }

    public static async Task<Ok<ModelFileInfoDto>> Upload([AsParameters] ModelUploadRequest request, ISegmentationApp app, CancellationToken ct)
    {
        var task = Find(app, request.Model);
        string path = task.ModelPath ?? throw ApiException.NotFound($"Model '{request.Model}' uses no model file that could be replaced");
        await using (var source = request.File!.OpenReadStream())
            await Task.Run(() => AtomicFile.Write(path, target => source.CopyTo(target)), ct);
        return TypedResults.Ok(Describe(path, null));
    }

    public static IResult Retire(string model, ISegmentationApp app)
    {
        string path = ExistingFile(Find(app, model));
        File.Move(path, $"{path}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.deleted");
        return JsonResults.Empty();
    }

    private static ModelFileInfoDto Describe(string path, System.Text.Json.Nodes.JsonObject? stats) =>
        new("SHA256:" + FileChecksum.Hex(path), new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds(),
            stats is { Count: > 0 } ? stats : null);

    private static IInferTask Find(ISegmentationApp app, string model) =>
        app.InferTasks.FirstOrDefault(t => t.Name == model)
        ?? throw ApiException.NotFound($"Model '{model}' not found; available: {ActiveLearningApi.Names(app.InferTasks.Select(t => t.Name))}");

    private static string ExistingFile(IInferTask task) =>
        task.ModelPath is { } path && File.Exists(path) ? path : throw ApiException.NotFound($"Model File NOT Found for {task.Name}");

    /// <summary>The weights file's own extension, so the download keeps its type (<c>model.pt</c>, <c>model.json</c>).</summary>
    private static string FileExtension(string path) => Path.GetExtension(path);
}
