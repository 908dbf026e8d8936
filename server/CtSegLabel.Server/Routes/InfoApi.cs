using CtSegLabel.AppContract;
using CtSegLabel.PluginAdapter;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Compute;
using CtSegLabel.Server.Datastore;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CtSegLabel.Server.Routes;

/// <summary><c>GET /info/</c>: the app, its models, trainers, strategies, scoring methods, training
/// statistics, the datastore summary and the compute workers — what Slicer builds its whole panel from.</summary>
public static class InfoApi
{
    public static IEndpointRouteBuilder MapInfoApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/info").WithTags("Info");
        api.MapGet("/", GetInfo).WithName("AppInfo").WithSummary("Describe the app: models, trainers, strategies, scoring, datastore");
        return routes;
    }

    public static Ok<InfoDto> GetInfo(ISegmentationApp app, LocalDatastore datastore, ComputeHost compute) =>
        TypedResults.Ok(InfoBuilder.Build(app, datastore.Summary()) with { Workers = compute.WorkerInfo() });
}
