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

    public static Task<IResult> Start(StartTaskRequest request, ISegmentationApp app, ComputeHost compute, TaskRunners runners,
        CancellationToken ct)
    {
        var trainer = Find(app, request.Name);
        var taskRequest = TaskEndpoints.Merge("model", trainer.Name, trainer.Config, request.Body.Value);
        return TaskEndpoints.StartAsync(runners.Train, request, taskRequest, Work(trainer, taskRequest, compute), ct);
    }

    public static IResult StartAll(StartTaskRequest request, ISegmentationApp app, ComputeHost compute, TaskRunners runners)
    {
        var tasks = app.TrainTasks.Select(t =>
        {
            var body = request.Body.Value[t.Name] as JsonObject ?? [];
            var taskRequest = TaskEndpoints.Merge("model", t.Name, t.Config, body);
            return (t.Name, taskRequest, Work(t, taskRequest, compute));
        }).ToList();
        return TypedResults.Ok(TaskEndpoints.StartAll(runners.Train, tasks));
    }

    /// <summary>The training as a compute job: it runs on a worker that serves the trainer (the server's own, or a
    /// remote one that shares the datastore), its progress lines becoming the task's details.</summary>
    internal static TaskWork Work(ITrainTask trainer, JsonObject taskRequest, ComputeHost compute)
    {
        var parameters = (JsonObject)taskRequest.DeepClone();
        parameters.Remove("model");
        return async (progress, ct) =>
            (await compute.RunAsync(TaskJob.Request(JobKinds.Train, trainer.Name, parameters), TaskJob.Lines(progress), ct)).Header;
    }

    private static ITrainTask Find(ISegmentationApp app, string name) =>
        app.TrainTasks.FirstOrDefault(t => t.Name == name)
        ?? throw ApiException.NotFound($"Trainer '{name}' not found; available: {ActiveLearningApi.Names(app.TrainTasks.Select(t => t.Name))}");
}
