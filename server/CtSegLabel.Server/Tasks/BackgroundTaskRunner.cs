using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;

namespace CtSegLabel.Server.Tasks;

/// <summary>The work of a task: reports progress lines, honours cancellation, returns its result.</summary>
public delegate Task<JsonNode?> TaskWork(IProgress<string> progress, CancellationToken cancellation);

/// <summary>
/// Runs the background tasks of one kind (train, scoring or batch infer): at most one at a time, more
/// either refused (429, MONAI Label's answer) or queued when the client asks to enqueue. A task moves
/// SUBMITTED → RUNNING → DONE | ERROR | STOPPED; its last 20 progress lines are its <c>details</c> and
/// every line also goes to the log, so a failure is never silent. Tasks live in memory only.
/// </summary>
public sealed class BackgroundTaskRunner(string kind, ILogger logger, TimeProvider clock)
{
    private const int HistoryLimit = 100;

    /// <summary>How long DELETE waits for stopped work to return before answering.</summary>
    public TimeSpan StopWait { get; init; } = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly ILogger _logger = logger;
    private readonly List<TaskRecord> _history = [];
    private readonly Queue<(TaskRecord Task, TaskWork Work)> _queue = new();
    private TaskRecord? _current;

    public string Kind { get; } = kind;

    /// <summary>Raised when a task was accepted (started, queued or run in the request), outside the runner's lock.</summary>
    public event Action<TaskDto>? Submitted;

    /// <summary>Starts (or, with <paramref name="enqueue"/>, queues) a task. Refused with 429 while one runs.</summary>
    public TaskDto Start(JsonObject request, TaskWork work, bool enqueue = false)
    {
        TaskRecord task;
        bool queued;
        lock (_gate)
        {
            task = new TaskRecord(Kind, request, clock.GetUtcNow());
            queued = _current is not null;
            if (queued)
            {
                if (!enqueue)
                    throw ApiException.Conflict(_current!.IsActive
                        ? $"++++++++++ {Kind} Task is Already Running"
                        : $"++++++++++ {Kind} Task is still stopping; try again shortly");
                _queue.Enqueue((task, work));
                _logger.LogInformation("{Kind} task {Id} queued", Kind, task.Id);
            }
            else
            {
                _current = task;
            }
            Remember(task);
        }
        var answer = Snapshot(task);
        Submitted?.Invoke(answer);
        if (!queued) _ = Task.Run(() => ExecuteAsync(task, work));
        return answer;
    }

    /// <summary>Runs a task inside the request (<c>run_sync=true</c>) and returns its result; still counts as
    /// the running task of its kind.</summary>
    public async Task<JsonNode?> RunSyncAsync(JsonObject request, TaskWork work, CancellationToken requestAborted)
    {
        TaskRecord task;
        lock (_gate)
        {
            if (_current is not null) throw ApiException.Conflict($"++++++++++ {Kind} Task is Already Running");
            task = new TaskRecord(Kind, request, clock.GetUtcNow());
            Remember(task);
            _current = task;
        }
        Submitted?.Invoke(Snapshot(task));
        using var link = requestAborted.Register(() => task.Cancellation.Cancel());
        await ExecuteAsync(task, work);
        lock (_gate)
        {
            if (task.Status == TaskStates.Error)
                throw new ApiException(StatusCodes.Status500InternalServerError, $"{Kind} task failed: {task.ToDto().Details?.LastOrDefault()}");
            return task.Result?.DeepClone();
        }
    }

    /// <summary>Stops the running task: answers it as STOPPED (with a non-empty details list, which Slicer
    /// reads), or null when none is running.</summary>
    public async Task<TaskDto?> StopAsync()
    {
        TaskRecord? task;
        lock (_gate)
        {
            task = _current;
            if (task is null || !task.IsActive) return null;
            task.Status = TaskStates.Stopped;
            task.EndTs = TaskRecord.LocalTimestamp(clock.GetUtcNow());
            task.AddDetail($"{Kind} task stopped on request at {task.EndTs}");
            task.Cancellation.Cancel();
        }
        _logger.LogInformation("{Kind} task {Id} stopped on request", Kind, task.Id);
        await Task.WhenAny(task.Finished.Task, Task.Delay(StopWait));
        return Snapshot(task);
    }

    /// <summary>The task that is RUNNING now, or null.</summary>
    public TaskDto? Running()
    {
        lock (_gate) return _current is { Status: TaskStates.Running } t ? t.ToDto() : null;
    }

    public TaskDto? Latest()
    {
        lock (_gate) return _history.Count == 0 ? null : _history[^1].ToDto();
    }

    public IReadOnlyList<TaskDto> All()
    {
        lock (_gate) return _history.Select(t => t.ToDto()).ToList();
    }

    public bool IsBusy
    {
        get { lock (_gate) return _current is not null; }
    }

    private async Task ExecuteAsync(TaskRecord task, TaskWork work)
    {
        var progress = new LineProgress(this, task);
        bool run;
        lock (_gate)
        {
            run = task.Status == TaskStates.Submitted; // a queued task may have been stopped meanwhile
            if (run)
            {
                task.Status = TaskStates.Running;
                task.Started = true;
                task.AddDetail($"{Kind} task started at {TaskRecord.LocalTimestamp(clock.GetUtcNow())}");
            }
        }
        if (run)
        {
            _logger.LogInformation("{Kind} task {Id} running: {Request}", Kind, task.Id, task.Request.ToJsonString());
            try
            {
                var result = await work(progress, task.Cancellation.Token);
                Finish(task, TaskStates.Done, result, null);
            }
            catch (OperationCanceledException) when (task.Cancellation.IsCancellationRequested)
            {
                Finish(task, TaskStates.Stopped, null, null);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "{Kind} task {Id} failed", Kind, task.Id);
                Finish(task, TaskStates.Error, null, $"ERROR: {e.GetType().Name}: {e.Message}");
            }
        }
        task.Finished.TrySetResult();
        StartNext(task);
    }

    private void Finish(TaskRecord task, string status, JsonNode? result, string? errorLine)
    {
        lock (_gate)
        {
            if (errorLine is not null) task.AddDetail(errorLine);
            if (task.Status == TaskStates.Stopped) return; // DELETE already answered it as stopped
            task.Status = status;
            task.Result = result;
            task.EndTs = TaskRecord.LocalTimestamp(clock.GetUtcNow());
            task.AddDetail($"{Kind} task {status} at {task.EndTs}");
        }
        _logger.LogInformation("{Kind} task {Id} ended: {Status}", Kind, task.Id, status);
    }

    private void StartNext(TaskRecord finished)
    {
        (TaskRecord Task, TaskWork Work) next;
        lock (_gate)
        {
            if (_current == finished) _current = null;
            if (_current is not null || !_queue.TryDequeue(out next)) return;
            _current = next.Task;
        }
        _ = Task.Run(() => ExecuteAsync(next.Task, next.Work));
    }

    private void Remember(TaskRecord task)
    {
        _history.Add(task);
        if (_history.Count > HistoryLimit) _history.RemoveAt(0);
    }

    private TaskDto Snapshot(TaskRecord task)
    {
        lock (_gate) return task.ToDto();
    }

    /// <summary>Progress lines become task details and log lines.</summary>
    private sealed class LineProgress(BackgroundTaskRunner owner, TaskRecord task) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (owner._gate) task.AddDetail(value);
            owner._logger.LogInformation("[{Kind} {Id}] {Line}", owner.Kind, task.Id[..8], value);
        }
    }
}
