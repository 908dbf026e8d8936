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
/// A model whose app exposes no file (or whose file does not exist yet) answers 404. For an app that keeps
/// versions (<see cref="IModelVersions"/>) the file is the current version's, named in the info's <c>version</c>
/// and the download's <c>X-Model-Version</c> header, and an upload becomes a new version (source <c>upload</c>)
/// instead of overwriting the file requests may be loading; <see cref="ModelVersionsApi"/> lists and switches them.
/// Replacing and retiring are ADMIN operations (they change what every user is served): they require the admin
/// role once authentication arrives (issue #8).</summary>
public static class ModelApi
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/model").WithTags("Model").DisableAntiforgery();
        api.MapGet("/info/{model}", Info).WithSummary("Checksum and modification time of the model file");
        api.MapGet("/{model}", Download).WithSummary("Download the model file");
        api.MapPut("/{model}", Upload).Validate<ModelUploadRequest>()
            .WithSummary("Replace the model file (apps with versions: publish it as a new current version)");
        api.MapDelete("/{model}", Retire).WithSummary("Retire the model file (renamed with a .<ts>.deleted suffix)");
        api.MapModelVersions();
        return routes;
    }

    public static Ok<ModelFileInfoDto> Info(string model, ISegmentationApp app)
    {
        var task = Find(app, model);
        string path = ExistingFile(task);
        return TypedResults.Ok(Describe(path, app.TrainTasks.FirstOrDefault(t => t.Name == model)?.Stats(), VersionOf(app, path)));
    }

    public static IResult Download(string model, ISegmentationApp app, HttpContext context)
    {
        string path = ExistingFile(Find(app, model));
        if (VersionOf(app, path) is { } version) context.Response.Headers["X-Model-Version"] = version;
        return FileResults.Download(path, model + FileExtension(path));
    }

    public static async Task<Ok<ModelFileInfoDto>> Upload([AsParameters] ModelUploadRequest request, ISegmentationApp app, CancellationToken ct)
    {
        var task = Find(app, request.Model);
        if (app is IModelVersions versions) return TypedResults.Ok(await PublishAsync(versions, request, ct));
        string path = task.ModelPath ?? throw ApiException.NotFound($"Model '{request.Model}' uses no model file that could be replaced");
        await using (var source = request.File!.OpenReadStream())
            await Task.Run(() => AtomicFile.Write(path, target => source.CopyTo(target)), ct);
        return TypedResults.Ok(Describe(path, null));
    }

    /// <summary>An upload to an app with versions: saved to a temporary, checked and published by the app, so a
    /// file that is not weights of this model never replaces the served one.</summary>
    private static async Task<ModelFileInfoDto> PublishAsync(IModelVersions versions, ModelUploadRequest request, CancellationToken ct)
    {
        var file = request.File!;
        string temp = await Uploads.SaveAsync(file, Path.GetTempPath(), Path.GetExtension(file.FileName), ct);
        try
        {
            var published = await Task.Run(() => versions.AddVersion(request.Model, temp, "upload"), ct);
            string path = Find((ISegmentationApp)versions, request.Model).ModelPath
                          ?? throw new InvalidOperationException($"model '{request.Model}' has no current file right after publishing {published.Name}");
            return Describe(path, null, published.Name);
        }
        catch (VolumeFormatException e)
        {
            // The temporary's name means nothing to the client: name the file it sent.
            throw new VolumeFormatException(file.FileName, e.Field, e.Problem, e);
        }
        catch (ModelVersionNotFoundException e)
        {
            throw ApiException.NotFound(e.Message);
        }
        finally
        {
            Uploads.Discard(temp);
        }
    }

    /// <summary>The current version's name when the app keeps versions (the file the app serves), else null.</summary>
    private static string? VersionOf(ISegmentationApp app, string path) => app is IModelVersions ? Path.GetFileName(path) : null;

    public static IResult Retire(string model, ISegmentationApp app, ILoggerFactory loggers)
    {
        string path = ExistingFile(Find(app, model));
        File.Move(path, $"{path}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.deleted");
        // With versions, the retired one was current: serve the newest that is left, explicitly, rather than leave
        // a pointer to a file that is gone (the model answers 409 until someone picks one).
        if (app is IModelVersions versions && versions.ListVersions(model).FirstOrDefault() is { } newest)
        {
            versions.SetCurrent(model, newest.Name);
            loggers.CreateLogger("CtSegLabel.Server.Models").LogInformation(
                "Model {Model}: retired {Retired}; now serving {Version}", model, Path.GetFileName(path), newest.Name);
        }
        return JsonResults.Empty();
    }

    private static ModelFileInfoDto Describe(string path, System.Text.Json.Nodes.JsonObject? stats, string? version = null) =>
        new("SHA256:" + FileChecksum.Hex(path), new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds(),
            stats is { Count: > 0 } ? stats : null, version);

    internal static IInferTask Find(ISegmentationApp app, string model) =>
        app.InferTasks.FirstOrDefault(t => t.Name == model)
        ?? throw ApiException.NotFound($"Model '{model}' not found; available: {ActiveLearningApi.Names(app.InferTasks.Select(t => t.Name))}");

    private static string ExistingFile(IInferTask task) =>
        task.ModelPath is { } path && File.Exists(path) ? path : throw ApiException.NotFound($"Model File NOT Found for {task.Name}");

    /// <summary>The weights file's own extension, so the download keeps its type (<c>model.pt</c>, <c>model.json</c>).</summary>
    private static string FileExtension(string path) => Path.GetExtension(path);
}
