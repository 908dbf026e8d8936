using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Tasks;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary><c>/train/</c>: start a trainer in the background, watch it, stop it. One training at a time.</summary>
public static class TrainApi
{
    public static IEndpointRouteBuilder MapTrainApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/train").WithTags("Train");
        api.MapGet("/", (TaskRunners runners, [AsParameters] TaskStatusQuery query) => TaskEndpoints.Status(runners.Train, query))
            .Validate<TaskStatusQuery>().WithSummary("Latest train task; check_if_running=true answers 404 when idle");
        api.MapPost("/{model}", Start).Validate<StartTaskRequest>().Accepts<JsonObject>("application/json")
            .WithSummary("Start training (429 while a training runs, unless enqueue=true)");
        api.MapPost("/", StartAll).Validate<StartTaskRequest>().Accepts<JsonObject>("application/json")
            .WithSummary("Start every trainer, queued (deprecated; body: trainer → params)");
        api.MapDelete("/", (TaskRunners runners) => TaskEndpoints.Stop(runners.Train))
            .WithSummary("Stop the running training: the stopped task, or null when idle");
        return routes;
    }

    public static Task<IResult> Start(StartTaskRequest request, ISegmentationApp app, LocalDatastore datastore, TaskRunners runners,
        CancellationToken ct)
    {
        var trainer = Find(app, request.Name);
        var taskRequest = TaskEndpoints.Merge("model", trainer.Name, trainer.Config, request.Body.Value);
        return TaskEndpoints.StartAsync(runners.Train, request, taskRequest, Work(trainer, taskRequest, datastore), ct);
    }

    public static IResult StartAll(StartTaskRequest request, ISegmentationApp app, LocalDatastore datastore, TaskRunners runners)
    {
        var tasks = app.TrainTasks.Select(t =>
        {
            var body = request.Body.Value[t.Name] as JsonObject ?? [];
            var taskRequest = TaskEndpoints.Merge("model", t.Name, t.Config, body);
            return (t.Name, taskRequest, Work(t, taskRequest, datastore));
        }).ToList();
        return TypedResults.Ok(TaskEndpoints.StartAll(runners.Train, tasks));
    }

    internal static TaskWork Work(ITrainTask trainer, JsonObject taskRequest, LocalDatastore datastore)
    {
        var parameters = (JsonObject)taskRequest.DeepClone();
        parameters.Remove("model");
        return async (progress, ct) => await trainer.TrainAsync(new TrainRequest(trainer.Name, parameters), datastore, progress, ct);
    }

    private static ITrainTask Find(ISegmentationApp app, string name) =>
        app.TrainTasks.FirstOrDefault(t => t.Name == name)
        ?? throw ApiException.NotFound($"Trainer '{name}' not found; available: {ActiveLearningApi.Names(app.TrainTasks.Select(t => t.Name))}");
}
