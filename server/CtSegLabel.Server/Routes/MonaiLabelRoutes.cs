using CtSegLabel.Server.Auth;

namespace CtSegLabel.Server.Routes;

public static class MonaiLabelRoutes
{
    /// <summary>Routes MONAI Label declares WITH a trailing slash. ASP.NET routing answers both spellings
    /// (no redirect, which Slicer's http.client would not follow); the OpenAPI document shows these.</summary>
    public static readonly IReadOnlySet<string> DeclaredWithSlash = new HashSet<string>(StringComparer.Ordinal)
    {
        "/info", "/datastore", "/train", "/scoring", "/session", "/logs", "/auth",
    };

    /// <summary>Every MONAI Label resource, at MONAI Label's paths, each requiring the role <see cref="RouteRoles"/> names.</summary>
    public static IEndpointRouteBuilder MapMonaiLabelApis(this IEndpointRouteBuilder routes)
    {
        // A group without a prefix: one place where every route gets its policy.
        var api = routes.MapGroup("");
        api.RequireRouteRoles().MapApis();
        return routes;
    }

    private static IEndpointRouteBuilder MapApis(this IEndpointRouteBuilder routes) => routes
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
