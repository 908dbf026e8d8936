using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Server.Compute;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Tasks;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary><c>/scoring/</c>: run a scoring method over the datastore in the background.</summary>
public static class ScoringApi
{
    public static IEndpointRouteBuilder MapScoringApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/scoring").WithTags("Scoring");
        api.MapGet("/", (TaskRunners runners, [AsParameters] TaskStatusQuery query) => TaskEndpoints.Status(runners.Scoring, query))
            .Validate<TaskStatusQuery>().WithSummary("Latest scoring task; check_if_running=true answers 404 when idle");
        api.MapPost("/{method}", Start).Validate<StartTaskRequest>().Accepts<JsonObject>("application/json")
            .WithSummary("Run a scoring method (429 while one runs)");
        api.MapPost("/", StartAll).Validate<StartTaskRequest>().Accepts<JsonObject>("application/json")
            .WithSummary("Run every scoring method, queued (deprecated)");
        api.MapDelete("/", (TaskRunners runners) => TaskEndpoints.Stop(runners.Scoring))
            .WithSummary("Stop the running scoring task: the stopped task, or null when idle");
        return routes;
    }

    public static Task<IResult> Start(StartTaskRequest request, ISegmentationApp app, ComputeHost compute, TaskRunners runners,
        CancellationToken ct)
    {
        var method = app.ScoringMethods.FirstOrDefault(m => m.Name == request.Name)
            ?? throw ApiException.NotFound($"Scoring method '{request.Name}' not found; available: {ActiveLearningApi.Names(app.ScoringMethods.Select(m => m.Name))}");
        var taskRequest = TaskEndpoints.Merge("method", method.Name, method.Config, request.Body.Value);
        return TaskEndpoints.StartAsync(runners.Scoring, request, taskRequest, Work(method, taskRequest, compute), ct);
    }

    public static IResult StartAll(StartTaskRequest request, ISegmentationApp app, ComputeHost compute, TaskRunners runners)
    {
        var tasks = app.ScoringMethods.Select(m =>
        {
            var taskRequest = TaskEndpoints.Merge("method", m.Name, m.Config, request.Body.Value[m.Name] as JsonObject ?? []);
            return (m.Name, taskRequest, Work(m, taskRequest, compute));
        }).ToList();
        return TypedResults.Ok(TaskEndpoints.StartAll(runners.Scoring, tasks));
    }

    /// <summary>The scoring as a compute job on a worker that serves the method and sees the datastore.</summary>
    private static TaskWork Work(IScoringMethod method, JsonObject taskRequest, ComputeHost compute) =>
        async (progress, ct) =>
            (await compute.RunAsync(TaskJob.Request(JobKinds.Score, method.Name, taskRequest), TaskJob.Lines(progress), ct)).Header;
}
