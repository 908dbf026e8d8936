using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Inference;
using CtSegLabel.Server.Tasks;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary><c>/batch/infer</c>: run a model over all, labeled or unlabeled images in the background,
/// saving each result as a label (tag original unless <c>label_tag</c> says otherwise).</summary>
public static class BatchInferApi
{
    public static IEndpointRouteBuilder MapBatchInferApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/batch").WithTags("Batch Infer");
        api.MapGet("/infer", (TaskRunners runners, [AsParameters] TaskStatusQuery query) => TaskEndpoints.Status(runners.BatchInfer, query))
            .Validate<TaskStatusQuery>().WithSummary("Latest batch-infer task; check_if_running=true answers 404 when idle");
        api.MapPost("/infer/{model}", Start).Validate<StartTaskRequest>().Accepts<JsonObject>("application/json")
            .WithSummary("Run a model over images=all|labeled|unlabeled (429 while a batch runs)");
        api.MapDelete("/infer", (TaskRunners runners) => TaskEndpoints.Stop(runners.BatchInfer))
            .WithSummary("Stop the running batch: the stopped task, or null when idle");
        return routes;
    }

    public static Task<IResult> Start(StartTaskRequest request, ISegmentationApp app, LocalDatastore datastore, InferenceService inference,
        TaskRunners runners, CancellationToken ct)
    {
        var task = app.InferTasks.FirstOrDefault(t => t.Name == request.Name)
            ?? throw ApiException.NotFound($"Model '{request.Name}' not found; available: {ActiveLearningApi.Names(app.InferTasks.Select(t => t.Name))}");
        var body = new JsonObject { ["save_label"] = true, ["label_tag"] = IDatastoreView.OriginalTag };
        foreach (var (key, value) in request.Body.Value) body[key] = value?.DeepClone();
        var taskRequest = TaskEndpoints.Merge("model", task.Name, task.Config, body);
        taskRequest["images"] = request.Images ?? "all";
        return TaskEndpoints.StartAsync(runners.BatchInfer, request, taskRequest, Work(task, taskRequest, datastore, inference), ct);
    }

    private static TaskWork Work(IInferTask task, JsonObject taskRequest, LocalDatastore datastore, InferenceService inference) =>
        async (progress, ct) =>
        {
            string selection = taskRequest["images"]?.GetValue<string>() ?? "all";
            var parameters = (JsonObject)taskRequest.DeepClone();
            parameters.Remove("model");
            parameters.Remove("images");
            var ids = selection switch
            {
                "labeled" => datastore.LabeledImages(),
                "unlabeled" => datastore.UnlabeledImages(),
                _ => datastore.ImageIds(),
            };
            progress.Report($"Batch infer with '{task.Name}' on {ids.Count} {selection} image(s)");
            int done = 0;
            var failed = new JsonArray();
            foreach (string id in ids)
            {
                ct.ThrowIfCancellationRequested();
                if (datastore.FindImage(id) is not { } image) continue;
                try
                {
                    using var outcome = await inference.RunAsync(task, new InferInput(image.Path, id), parameters, ct);
                    done++;
                    progress.Report($"{id}: done ({done}/{ids.Count})");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed.Add(id);
                    progress.Report($"{id}: FAILED: {e.Message}");
                }
            }
            if (done == 0 && failed.Count > 0)
                throw new InvalidOperationException($"all {failed.Count} image(s) failed; the first error is in the details");
            return new JsonObject { ["images"] = ids.Count, ["done"] = done, ["failed"] = failed };
        };
}
