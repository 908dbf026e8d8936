using CtSegLabel.AppContract;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Handlers;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Security;
using CtSegLabel.Compute.Worker;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Compute;

/// <summary>
/// Owns the compute broker and the server's own workers. Every infer, train and score job goes through the broker,
/// whether it runs here or on a `ctseg worker`: the in-process workers are ordinary Majordomo workers on an
/// <c>inproc://</c> socket, so a single machine runs the same code path as a cluster. In-process there is one worker
/// per concurrent infer (<see cref="ServerOptions.MaxConcurrentInfers"/>), one for training and one for scoring, so a
/// long training never blocks inference (as MONAI Label runs training beside its infer requests).
/// </summary>
public sealed class ComputeHost(IOptions<ServerOptions> options, ISegmentationApp app, IDatastoreView datastore, ILogger<ComputeHost> logger)
    : IHostedService, IDisposable
{
    private readonly List<ComputeWorker> _workers = [];
    private ComputeBroker? _broker;

    public ComputeBroker Broker => _broker ?? throw new InvalidOperationException("the compute broker has not started");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var heartbeat = new HeartbeatSettings { Interval = TimeSpan.FromMilliseconds(Math.Max(10, o.WorkerHeartbeatMs)) };
        BrokerKeys? keys;
        try
        {
            keys = string.IsNullOrWhiteSpace(o.WorkersKey) || string.IsNullOrWhiteSpace(o.WorkersEndpoint)
                ? null
                : BrokerKeys.LoadOrCreate(Path.GetFullPath(o.WorkersKey));
            _broker = new ComputeBroker(new BrokerOptions
            {
                RemoteEndpoint = string.IsNullOrWhiteSpace(o.WorkersEndpoint) ? null : o.WorkersEndpoint,
                Keys = keys,
                QueueCapacity = Math.Max(1, o.WorkerQueue),
                MaxAttempts = Math.Max(1, o.WorkerAttempts),
                NoWorkerTimeout = TimeSpan.FromSeconds(Math.Max(1, o.NoWorkerTimeoutSeconds)),
                Timeouts = new Dictionary<string, TimeSpan>
                {
                    [JobKinds.Infer] = TimeSpan.FromSeconds(Math.Max(1, o.InferTimeoutSeconds)),
                    [JobKinds.Score] = TimeSpan.FromHours(12),
                    [JobKinds.Train] = TimeSpan.FromDays(7),
                },
                Heartbeat = heartbeat,
            }, line => logger.LogInformation("Compute: {Line}", line));
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException or NetMQ.NetMQException)
        {
            string option = $"--workers-endpoint {o.WorkersEndpoint}" + (o.WorkersKey is { } k ? $" --workers-key {k}" : "");
            throw new StartupException(e.Message.Contains("--workers-", StringComparison.Ordinal) ? e.Message : $"{option}: {e.Message}", e);
        }
        _broker.Start();
        if (_broker.RemoteEndpoint is { } endpoint)
            logger.LogInformation("Remote compute workers connect to {Endpoint} ({Security})", endpoint,
                keys is null ? "loopback only, no encryption" : $"CurveZMQ; workers need {BrokerKeys.WorkerFileOf(Path.GetFullPath(o.WorkersKey!))}");

        if (o.InProcessWorker)
        {
            var handlers = AppJobHandlers.For(app, datastore);
            for (int i = 1; i <= Math.Max(1, o.MaxConcurrentInfers); i++)
                StartWorker($"server/infer-{i}", handlers.Where(h => h.Kind == JobKinds.Infer), heartbeat);
            StartWorker("server/train", handlers.Where(h => h.Kind == JobKinds.Train), heartbeat);
            StartWorker("server/score", handlers.Where(h => h.Kind == JobKinds.Score), heartbeat);
        }
        else
        {
            logger.LogInformation("No in-process worker (--in-process-worker false): every job waits for a remote worker");
        }
        return Task.CompletedTask;
    }

    private void StartWorker(string name, IEnumerable<IJobHandler> handlers, HeartbeatSettings heartbeat)
    {
        var worker = new ComputeWorker(new WorkerOptions
        {
            Endpoint = Broker.LocalEndpoint,
            Name = name,
            Device = DeviceName(),
            MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            Heartbeat = heartbeat,
        }, handlers, () => AppVersions.Of(app), line => logger.LogInformation("Worker {Name}: {Line}", name, line));
        worker.Start();
        lock (_workers) _workers.Add(worker);
    }

    /// <summary>The device the app's networks use, when the app says (the CT app does); else the CPU.</summary>
    private string DeviceName() => app is CtSegLabel.CtApp.CtSegmentationApp ct ? ct.Store.Device.ToString() : "cpu";

    /// <summary>The connected workers as <c>/info/</c> lists them.</summary>
    public IReadOnlyList<WorkerInfoDto> WorkerInfo() => _broker is not { } broker ? [] :
        [.. broker.Workers.Select(w => new WorkerInfoDto(w.Capabilities.Name, w.Capabilities.Host, w.Capabilities.ProcessId,
            w.Capabilities.Device, w.Capabilities.MemoryBytes, w.Capabilities.Jobs, w.Capabilities.Versions, w.Remote, w.ConnectedAt,
            w.Job, w.JobsDone))];

    /// <summary>The workers as text for <c>/logs/gpu</c>, one line each.</summary>
    public string DescribeWorkers()
    {
        var workers = _broker?.Workers ?? [];
        var text = new System.Text.StringBuilder($"Compute workers: {workers.Count} (queue {_broker?.QueueLength ?? 0} of {_broker?.QueueCapacity ?? 0})");
        text.AppendLine();
        foreach (var w in workers)
            text.AppendLine($"  {w.Capabilities.Name}: {(w.Remote ? "remote" : "in-process")} on {w.Capabilities.Host} (pid {w.Capabilities.ProcessId}), " +
                $"device {w.Capabilities.Device}, {w.Capabilities.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB, " +
                $"{w.Capabilities.JobsText}, " +
                $"{(w.Job is { } job ? "running " + job : "idle")}, {w.JobsDone} jobs done");
        return text.ToString();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops the workers, then the broker (a waiting caller gets "the server is stopping"). The host's stop and
    /// the container's dispose both call it, possibly at once.</summary>
    public void Dispose()
    {
        ComputeWorker[] workers;
        ComputeBroker? broker;
        lock (_workers)
        {
            workers = [.. _workers];
            _workers.Clear();
            broker = _broker;
            _broker = null;
        }
        foreach (var worker in workers) worker.Dispose();
        broker?.Dispose();
    }
}
