using CtSegLabel.AppContract;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CtSegLabel.Server.Routes;

/// <summary>
/// <c>/model/{model}/versions</c>: the versions an app keeps of a model (<see cref="IModelVersions"/>), and which
/// one is served. Not part of MONAI Label's protocol. Apps without versions answer 404 saying so.
/// ADMIN routes: changing the served model affects every user; they require the admin role once authentication
/// arrives (issue #8) — until then every request acts as admin, as in MONAI Label's default.
/// </summary>
public static class ModelVersionsApi
{
    public static RouteGroupBuilder MapModelVersions(this RouteGroupBuilder model)
    {
        model.MapGet("/{model}/versions", List).Validate<ModelVersionsQuery>()
            .WithSummary("(admin) The model's versions, newest first: name, created, source, metrics, current");
        model.MapPut("/{model}/versions/current", SetCurrent).Validate<SetCurrentVersionRequest>().Accepts<VersionBody>("application/json")
            .WithSummary("(admin) Serve another version (rollback or forward) from the next request on: ?version=v3 or {\"version\": \"v3\"}");
        return model;
    }

    /// <summary>The body <c>PUT …/versions/current</c> accepts (for the OpenAPI document).</summary>
    public sealed record VersionBody(string Version);

    public static Ok<ModelVersionsDto> List([AsParameters] ModelVersionsQuery query, ISegmentationApp app)
    {
        var versions = Versions(app, query.Model);
        var listed = Answer(query.Model, () => versions.ListVersions(query.Model)).Select(ModelVersionDto.From).ToList();
        return TypedResults.Ok(new ModelVersionsDto(query.Model, listed.FirstOrDefault(v => v.Current)?.Name, listed));
    }

    public static Ok<ModelVersionDto> SetCurrent(SetCurrentVersionRequest request, ISegmentationApp app, ILoggerFactory loggers)
    {
        var versions = Versions(app, request.Model);
        var chosen = Answer(request.Model, () => versions.SetCurrent(request.Model, request.Version!));
        loggers.CreateLogger("CtSegLabel.Server.Models").LogInformation("Model {Model}: now serving version {Version} ({ModelVersion})", request.Model, chosen.Name, chosen.ModelVersion);
        return TypedResults.Ok(ModelVersionDto.From(chosen));
    }

    /// <summary>The app's versions of a model it serves, else 404 naming why.</summary>
    internal static IModelVersions Versions(ISegmentationApp app, string model)
    {
        ModelApi.Find(app, model);
        return app as IModelVersions
               ?? throw ApiException.NotFound($"Model '{model}' keeps no versions: the app '{app.Name}' serves one model file per model");
    }

    private static T Answer<T>(string model, Func<T> call)
    {
        try { return call(); }
        catch (ModelVersionNotFoundException e) { throw ApiException.NotFound(e.Message); }
    }
}
