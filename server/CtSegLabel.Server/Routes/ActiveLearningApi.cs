using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Server.Auth;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary><c>POST /activelearning/{strategy}</c>: the next image to annotate, with everything Slicer
/// needs to fetch it (<c>id</c>, <c>name</c> with the file extension, server <c>path</c>), or <c>{}</c>
/// when every image is labeled.</summary>
public static class ActiveLearningApi
{
    public static IEndpointRouteBuilder MapActiveLearningApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/activelearning").WithTags("Active Learning");
        api.MapPost("/{strategy}", NextSample).Validate<NextSampleRequest>()
            .Accepts<JsonObject>("application/json")
            .WithSummary("Next sample to annotate according to a strategy");
        return routes;
    }

    public static async Task<IResult> NextSample(NextSampleRequest request, ISegmentationApp app, LocalDatastore datastore,
        SampleDownloadGrants grants, HttpContext http)
    {
        var strategy = app.Strategies.FirstOrDefault(s => s.Name == request.Strategy)
            ?? throw ApiException.NotFound($"Strategy '{request.Strategy}' not found; available: {Names(app.Strategies.Select(s => s.Name))}");
        var choice = strategy.Next(datastore, request.Body.Value);
        if (choice is null) return TypedResults.Ok(new JsonObject());

        string clientId = request.Body.Value["client_id"] is JsonValue v && v.TryGetValue(out string? c) && c.Length > 0 ? c : RequestUser.Name(http.User);
        var info = await datastore.RecordStrategyAsync(choice.Id, strategy.Name, clientId)
            ?? throw ApiException.NotFound($"Image '{choice.Id}' chosen by strategy '{strategy.Name}' is no longer in the datastore");

        // Slicer fetches this image next, without its token (protocol §7.1): let exactly that download through.
        grants.Open(http.Connection.RemoteIpAddress, choice.Id);
        var answer = new JsonObject { ["id"] = choice.Id };
        foreach (var (key, value) in choice.Extra) answer[key] = value?.DeepClone();
        foreach (var (key, value) in info) answer[key] = value?.DeepClone();
        return TypedResults.Ok(answer);
    }

    internal static string Names(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names) : "none";
}
