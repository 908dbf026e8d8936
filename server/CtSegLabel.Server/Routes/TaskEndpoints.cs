using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Tasks;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary>What train, scoring and batch-infer routes share: the status query, the stop, and starting a
/// task either in the background (answer: the task) or in the request (<c>run_sync</c>: its result).</summary>
public static class TaskEndpoints
{
    /// <summary><c>GET</c>: with check_if_running, the RUNNING task or 404 (Slicer only looks at the status);
    /// with all, every task; else the latest one or 404.</summary>
    public static IResult Status(BackgroundTaskRunner runner, TaskStatusQuery query)
    {
        if (QueryValues.Bool(query.CheckIfRunning))
            return runner.Running() is { } running
                ? TypedResults.Ok(running)
                : throw ApiException.NotFound($"No {runner.Kind} Tasks are currently Running");
        if (QueryValues.Bool(query.All))
            return runner.All() is { Count: > 0 } all ? TypedResults.Ok(all) : throw ApiException.NotFound($"No {runner.Kind} Tasks Found");
        return runner.Latest() is { } latest ? TypedResults.Ok(latest) : throw ApiException.NotFound($"No {runner.Kind} Tasks Found");
    }

    /// <summary><c>DELETE</c>: the stopped task (STOPPED, non-empty details) or <c>null</c> when idle.</summary>
    public static async Task<IResult> Stop(BackgroundTaskRunner runner) =>
        await runner.StopAsync() is { } stopped ? TypedResults.Ok(stopped) : JsonResults.NullValue();

    public static async Task<IResult> StartAsync(BackgroundTaskRunner runner, StartTaskRequest request, JsonObject taskRequest,
        TaskWork work, CancellationToken ct)
    {
        if (QueryValues.Bool(request.RunSync))
            return await runner.RunSyncAsync(taskRequest, work, ct) is { } result ? TypedResults.Ok(result) : JsonResults.NullValue();
        return TypedResults.Ok(runner.Start(taskRequest, work, QueryValues.Bool(request.Enqueue)));
    }

    /// <summary>The request a task records: its name, then the config defaults overlaid with the client's values.</summary>
    public static JsonObject Merge(string nameKey, string name, JsonObject config, JsonObject body)
    {
        var merged = new JsonObject { [nameKey] = name };
        foreach (var (key, value) in ConfigParams.FirstValues(config)) merged[key] = value?.DeepClone();
        foreach (var (key, value) in body) merged[key] = value?.DeepClone();
        return merged;
    }

    /// <summary>Answer of the deprecated start-everything routes: name → {result: task, detail}.</summary>
    public static JsonObject StartAll(BackgroundTaskRunner runner, IEnumerable<(string Name, JsonObject Request, TaskWork Work)> tasks)
    {
        var answer = new JsonObject();
        foreach (var (name, taskRequest, work) in tasks)
        {
            TaskDto task = runner.Start(taskRequest, work, enqueue: true);
            answer[name] = new JsonObject { ["result"] = System.Text.Json.JsonSerializer.SerializeToNode(task), ["detail"] = null };
        }
        return answer;
    }
}
