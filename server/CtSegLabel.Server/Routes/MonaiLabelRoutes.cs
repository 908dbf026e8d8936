namespace CtSegLabel.Server.Routes;

public static class MonaiLabelRoutes
{
    /// <summary>Routes MONAI Label declares WITH a trailing slash. ASP.NET routing answers both spellings
    /// (no redirect, which Slicer's http.client would not follow); the OpenAPI document shows these.</summary>
    public static readonly IReadOnlySet<string> DeclaredWithSlash = new HashSet<string>(StringComparer.Ordinal)
    {
        "/info", "/datastore", "/train", "/scoring", "/session", "/logs", "/auth",
    };

    /// <summary>Every MONAI Label resource, at MONAI Label's paths.</summary>
    public static IEndpointRouteBuilder MapMonaiLabelApis(this IEndpointRouteBuilder routes) => routes
        .MapRootApi()
        .MapAuthApi()
        .MapInfoApi()
        .MapModelApi()
        .MapInferApi()
        .MapBatchInferApi()
        .MapTrainApi()
        .MapActiveLearningApi()
        .MapScoringApi()
        .MapDatastoreApi()
        .MapLogsApi()
        .MapSessionApi();
}
