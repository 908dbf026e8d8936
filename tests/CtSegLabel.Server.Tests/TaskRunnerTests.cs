using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Tasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace CtSegLabel.Server.Tests;

public class TaskRunnerTests
{
    private static BackgroundTaskRunner NewRunner() => new("Train", NullLogger.Instance, TimeProvider.System);

    [Fact]
    public async Task One_task_at_a_time_second_start_is_429_unless_enqueued()
    {
        var runner = NewRunner();
        var release = new TaskCompletionSource();
        var first = runner.Start(new JsonObject { ["n"] = 1 }, async (_, ct) => { await release.Task.WaitAsync(ct); return new JsonObject { ["ok"] = true }; });
        await WaitAsync(() => runner.Running() is not null);
        var e = Assert.Throws<ApiException>(() => runner.Start([], (_, _) => Task.FromResult<JsonNode?>(null)));
        Assert.Equal(429, e.Status);

        var queued = runner.Start(new JsonObject { ["n"] = 2 }, (_, _) => Task.FromResult<JsonNode?>(new JsonObject { ["second"] = true }), enqueue: true);
        Assert.Equal(TaskStates.Submitted, queued.Status);
        release.SetResult();
        await WaitAsync(() => runner.Latest()?.Status == TaskStates.Done && runner.All().All(t => t.Status == TaskStates.Done));
        var all = runner.All();
        Assert.Equal([first.Id, queued.Id], all.Select(t => t.Id));
        Assert.True(all[0].Result!["ok"]!.GetValue<bool>());
        Assert.True(all[1].Result!["second"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Details_keep_the_last_twenty_lines_and_errors_are_reported()
    {
        var runner = NewRunner();
        runner.Start([], (progress, _) =>
        {
            for (int n = 0; n < 50; n++) progress.Report($"line {n}");
            throw new InvalidOperationException("broken input");
        });
        await WaitAsync(() => runner.Latest()?.Status == TaskStates.Error);
        var task = runner.Latest()!;
        Assert.Equal(TaskRecord.DetailLines, task.Details!.Count);
        Assert.Contains(task.Details, d => d.Contains("broken input", StringComparison.Ordinal));
        Assert.NotNull(task.EndTs);
    }

    [Fact]
    public async Task Stop_cancels_and_answers_STOPPED_with_details()
    {
        var runner = NewRunner();
        Assert.Null(await runner.StopAsync());
        runner.Start([], async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return null; });
        await WaitAsync(() => runner.Running() is not null);
        var stopped = await runner.StopAsync();
        Assert.Equal(TaskStates.Stopped, stopped!.Status);
        Assert.NotEmpty(stopped.Details!);
        await WaitAsync(() => !runner.IsBusy); // the runner lets go of the task just after answering
        Assert.Null(runner.Running());
        Assert.Null(await runner.StopAsync());
    }

    [Fact]
    public async Task Work_that_ignores_cancellation_keeps_the_kind_busy_until_it_returns()
    {
        var runner = new BackgroundTaskRunner("Train", NullLogger.Instance, TimeProvider.System) { StopWait = TimeSpan.FromMilliseconds(50) };
        var release = new TaskCompletionSource();
        runner.Start([], async (_, _) => { await release.Task; return null; });
        await WaitAsync(() => runner.Running() is not null);
        Assert.Equal(TaskStates.Stopped, (await runner.StopAsync())!.Status);
        var e = Assert.Throws<ApiException>(() => runner.Start([], (_, _) => Task.FromResult<JsonNode?>(null)));
        Assert.Contains("stopping", e.Detail);
        release.SetResult();
        await WaitAsync(() => !runner.IsBusy);
        Assert.Equal(TaskStates.Stopped, runner.Latest()!.Status); // not overwritten by the late return
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int n = 0; n < 400; n++)
        {
            if (condition()) return;
            await Task.Delay(10);
        }
        throw new TimeoutException("condition not met");
    }
}
