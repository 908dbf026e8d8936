using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Tests.Support;

/// <summary>Answers with the job's header and payload as sent, and the target it ran, so a test can check what crossed the wire.</summary>
internal sealed class EchoHandler(params string[] targets) : IJobHandler
{
    public string Kind => JobKinds.Infer;

    public IReadOnlyList<string> Targets { get; } = targets.Length > 0 ? targets : [TestJobs.Target];

    public Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation) =>
        Task.FromResult((new JsonObject { ["echo"] = job.Header.DeepClone(), ["target"] = job.Target }, job.Payload));
}

/// <summary>
/// Holds every job until the test opens its gate, or until the worker cancels it: lets a test keep a worker busy,
/// kill it mid-job, or watch a cancellation arrive.
/// </summary>
internal sealed class GateHandler(params string[] targets) : IJobHandler
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _started = new(0);
    private readonly SemaphoreSlim _cancelled = new(0);
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _order = new();

    public string Kind => JobKinds.Infer;

    public IReadOnlyList<string> Targets { get; } = targets.Length > 0 ? targets : [TestJobs.Target];

    /// <summary>Jobs whose cancellation token fired while they waited.</summary>
    public int CancelledCount => _cancelled.CurrentCount;

    /// <summary>The <c>n</c> of each job, in the order the jobs started.</summary>
    public IReadOnlyList<int> StartOrder => [.. _order];

    public void Open() => _gate.TrySetResult();

    /// <summary>Waits until one more job has started on this handler.</summary>
    public Task<bool> WaitStartedAsync() => _started.WaitAsync(TestJobs.Patience);

    public async Task AssertStartedAsync() => Assert.True(await WaitStartedAsync(), "the job never reached the worker's handler");

    public async Task AssertCancelledAsync() =>
        Assert.True(await _cancelled.WaitAsync(TestJobs.Patience), "the handler's cancellation token never fired");

    public async Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation)
    {
        _order.Enqueue(job.Header["n"]?.GetValue<int>() ?? -1);
        _started.Release();
        try
        {
            await _gate.Task.WaitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            _cancelled.Release();
            throw;
        }
        return (new JsonObject { ["echo"] = job.Header.DeepClone(), ["target"] = job.Target }, job.Payload);
    }
}

/// <summary>Reports <c>{"step": 1..n}</c> as progress, then answers with n.</summary>
internal sealed class ProgressHandler(int steps) : IJobHandler
{
    public string Kind => JobKinds.Infer;

    public IReadOnlyList<string> Targets { get; } = [TestJobs.Target];

    public Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation)
    {
        for (int step = 1; step <= steps; step++) progress.Report(new JsonObject { ["step"] = step });
        return Task.FromResult((new JsonObject { ["steps"] = steps }, Array.Empty<byte>()));
    }
}

/// <summary>Fails every job the way a task fails on a parameter it cannot honour.</summary>
internal sealed class ParameterErrorHandler : IJobHandler
{
    public const string Problem = "unknown structure 'spleen2'";

    public string Kind => JobKinds.Infer;

    public IReadOnlyList<string> Targets { get; } = [TestJobs.Target];

    public Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation) =>
        throw new InferParameterException("label_names", Problem);
}
