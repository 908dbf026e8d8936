namespace CtSegLabel.Server.Routes;

public static class MonaiLabelRoutes
{
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
