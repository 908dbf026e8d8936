using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Worker;
using NetMQ;
using NetMQ.Sockets;

namespace CtSegLabel.Compute.Broker;

/// <summary>
/// The Majordomo broker (RFC 7/MDP, worker side) the server embeds. Workers connect to a ROUTER socket — the server's
/// own over <c>inproc://</c>, remote ones over TCP (CurveZMQ, or loopback only) — and announce what they serve. The
/// server's code submits jobs with <see cref="SubmitAsync"/>; the broker hands each to the longest-idle worker that
/// serves its kind and target, streams its progress back, and completes it with the worker's REPLY.
/// <para>Reliability, as the Majordomo and Paranoid Pirate patterns describe it: both sides heartbeat; a worker silent
/// for the expiry is dead, and the job it held goes back to the front of the queue for another worker, up to
/// <see cref="BrokerOptions.MaxAttempts"/>. Beyond the RFC: a bounded queue (submissions past it are refused at once),
/// a time limit per job kind, and cancellation that reaches the worker.</para>
/// All socket work and all state changes happen on the broker's poller thread; callers only enqueue actions.
/// </summary>
public sealed class ComputeBroker : IDisposable
{
    private readonly BrokerOptions _options;
    private readonly Action<string> _log;
    private readonly NetMQPoller _poller = new();
    private readonly NetMQQueue<Action> _inbox = new();
    private readonly RouterSocket _local = new();
    private readonly RouterSocket? _remote;
    private readonly Dictionary<string, WorkerEntry> _workers = [];
    private readonly Dictionary<string, PendingJob> _jobs = [];
    private readonly LinkedList<PendingJob> _waiting = [];
    private volatile IReadOnlyList<WorkerSnapshot> _snapshot = [];
    private int _queued;
    private DateTime _nextHeartbeat;
    // SubmitAsync and Dispose agree under this lock: a job is either in the inbox before Dispose drains it, or refused.
    private readonly Lock _gate = new();
    private volatile bool _disposed;

    public ComputeBroker(BrokerOptions options, Action<string>? log = null)
    {
        // Checked before any socket exists: a refused configuration must not leave a bound socket behind.
        if (options.RemoteEndpoint is { } checkedEndpoint && options.Keys is null && !IsLoopback(checkedEndpoint))
            throw new ArgumentException($"--workers-endpoint {checkedEndpoint} is not a loopback address: give a key file (--workers-key) so that " +
                "remote workers must use CurveZMQ and the access token, or bind to 127.0.0.1");
        _options = options;
        _log = log ?? (_ => { });
        LocalEndpoint = $"inproc://ctseg-compute-{Guid.NewGuid():N}";
        _local.Options.Linger = TimeSpan.Zero;
        _local.Bind(LocalEndpoint);
        _local.ReceiveReady += (_, _) => OnMessage(_local, remote: false);
        _poller.Add(_local);
        if (options.RemoteEndpoint is { } endpoint)
        {
            _remote = new RouterSocket();
            _remote.Options.Linger = TimeSpan.Zero;
            _remote.Options.MaxMsgSize = JobFrames.MaxWireFrameBytes;
            if (options.Keys is { } keys)
            {
                _remote.Options.CurveServer = true;
                _remote.Options.CurveCertificate = keys.Certificate;
            }
            try
            {
                _remote.Bind(endpoint);
            }
            catch
            {
                // The port is taken (a server restarting before the old one let go): free what is bound so far.
                _poller.Dispose();
                _local.Dispose();
                _remote.Dispose();
                _inbox.Dispose();
                throw;
            }
            RemoteEndpoint = _remote.Options.LastEndpoint;
            _remote.ReceiveReady += (_, _) => OnMessage(_remote, remote: true);
            _poller.Add(_remote);
        }
        var tick = new NetMQTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.Heartbeat.Interval.TotalMilliseconds / 4)));
        tick.Elapsed += (_, _) => OnTimer();
        _poller.Add(tick);
        _inbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero)) action();
        };
        _poller.Add(_inbox);
    }

    /// <summary>The in-process endpoint the server's own workers connect to.</summary>
    public string LocalEndpoint { get; }

    /// <summary>The bound remote endpoint (with the port chosen when the option said port 0), or null.</summary>
    public string? RemoteEndpoint { get; }

    /// <summary>The connected workers, as of the last change.</summary>
    public IReadOnlyList<WorkerSnapshot> Workers => _snapshot;

    /// <summary>Jobs waiting for a worker.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    public int QueueCapacity => _options.QueueCapacity;

    public void Start() =>
        // Returns once the poller runs, so that a Dispose right after Start stops it (with a bare Thread, Dispose could
        // find it not yet running, skip Stop, and dispose the sockets under the running poller: an unhandled exception).
        _poller.RunAsync("compute broker", isBackgroundThread: true);

    /// <summary>
    /// Runs <paramref name="request"/> on a worker that serves it. Throws <see cref="ComputeQueueFullException"/> at once
    /// when the queue is full, <see cref="ComputeJobFailedException"/> when no worker could finish it, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellation"/> fires (the worker is told to stop).
    /// </summary>
    public Task<JobReply> SubmitAsync(JobRequest request, IProgress<JsonObject>? progress = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var job = new PendingJob(Guid.NewGuid().ToString("N"), request, progress, DateTime.UtcNow + _options.TimeoutOf(request.Kind), cancellation);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Interlocked.Increment(ref _queued) > _options.QueueCapacity)
            {
                Interlocked.Decrement(ref _queued);
                throw new ComputeQueueFullException(_options.QueueCapacity, _options.RetryAfter);
            }
            _inbox.Enqueue(() =>
            {
                _jobs[job.Id] = job;
                _waiting.AddLast(job);
                Dispatch();
            });
        }
        if (cancellation.CanBeCanceled)
        {
            var registration = cancellation.Register(() => Post(() => Cancel(job, cancellation)));
            job.Answer.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return job.Answer.Task;
    }

    private void OnMessage(RouterSocket socket, bool remote)
    {
        var message = new NetMQMessage();
        if (!socket.TryReceiveMultipartMessage(ref message) || message.FrameCount < 1) return;
        try
        {
            Handle(socket, remote, message);
        }
        catch (Exception e)
        {
            // An exception escaping here ends the poller thread, and with it the server process (unhandled on a
            // thread of our own). A peer's malformed message, or a caller's progress handler that throws, must cost
            // that one message, not every job of every worker.
            _log($"dropped a message from a worker on {(remote ? RemoteEndpoint : "the in-process endpoint")}: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Handle(RouterSocket socket, bool remote, NetMQMessage message)
    {
        byte[] identity = message.Pop().ToByteArray();
        string key = Key(socket, identity);
        if (!MajordomoWorkerProtocol.TryReadCommand(message, out var command)) return;
        var now = DateTime.UtcNow;
        _workers.TryGetValue(key, out var worker);
        if (worker is not null) worker.Expiry = now + _options.Heartbeat.Expiry;

        switch (command)
        {
            case WorkerCommand.Ready when worker is null:
                Register(socket, identity, key, remote, message, now);
                break;
            case WorkerCommand.Ready:
                // READY twice is a protocol error (RFC 7): forget the worker, give its job to another, and disconnect it.
                Lose(key, worker, "sent READY while registered");
                SendDisconnect(socket, identity);
                break;
            case WorkerCommand.Reply when worker is not null:
                OnReply(worker, message);
                break;
            case WorkerCommand.Progress when worker is not null:
                // ParseObject, not JsonNode.Parse: a worker's broken JSON is its error and must not throw here.
                if (message.FrameCount >= 3 && _jobs.TryGetValue(message[0].ConvertToString(), out var job) && worker.JobId == job.Id
                    && ParseObject(message[2]) is { } progress)
                    job.Progress?.Report(progress);
                break;
            case WorkerCommand.Heartbeat when worker is not null:
                break;
            case WorkerCommand.Disconnect when worker is not null:
                Lose(key, worker, "disconnected");
                break;
            default:
                // Anything from a worker we do not know: tell it to start over with READY (RFC 7).
                if (worker is null) SendDisconnect(socket, identity);
                break;
        }
    }

    private void Register(RouterSocket socket, byte[] identity, string key, bool remote, NetMQMessage message, DateTime now)
    {
        string? service = message.FrameCount > 0 ? message[0].ConvertToString() : null;
        var json = message.FrameCount > 1 ? ParseObject(message[1]) : null;
        var capabilities = json is null ? null : WorkerCapabilities.FromJson(json);
        string? refusal = service != MajordomoWorkerProtocol.Service ? $"service '{service}' is not {MajordomoWorkerProtocol.Service}"
            : capabilities is null ? "its capabilities are not valid JSON"
            : remote && _options.Keys is { } keys && Text(json!["token"]) != keys.Token ? "it did not present the access token"
            : null;
        if (refusal is not null)
        {
            _log($"refused a worker on {(remote ? RemoteEndpoint : "the in-process endpoint")}: {refusal}");
            SendDisconnect(socket, identity);
            return;
        }
        var worker = new WorkerEntry(socket, identity, capabilities!, remote, now) { Expiry = now + _options.Heartbeat.Expiry };
        _workers[key] = worker;
        // MDP has no answer to READY; a heartbeat at once tells the worker it was admitted (its "connected" line)
        // instead of leaving it to guess until the next round of heartbeats.
        SendHeartbeat(worker);
        _log($"worker {capabilities!.Name} joined ({(remote ? "remote" : "in-process")}, {capabilities.Device}): " +
             capabilities.JobsText);
        Changed();
        Dispatch();
    }

    private void OnReply(WorkerEntry worker, NetMQMessage message)
    {
        // [job id][empty][status][header][payload...]
        if (message.FrameCount < 4) return;
        string id = message[0].ConvertToString();
        if (worker.JobId != id) return; // a reply to a job this worker no longer holds (it reconnected since)
        var status = ParseObject(message[2]) ?? [];
        if (status["capabilities"] is JsonObject fresh && WorkerCapabilities.FromJson(fresh) is { } capabilities)
            worker.Capabilities = capabilities;
        worker.JobId = null;
        worker.JobName = null;
        worker.JobsDone++;
        worker.IdleSince = DateTime.UtcNow;
        if (_jobs.Remove(id, out var job))
        {
            // Read leniently (Text, TryGetValue): by now the job is out of the books, so a throw would leave its caller waiting forever.
            if (job.GivenUpBy is { } cancelled)
                job.Answer.TrySetCanceled(cancelled);
            else if (status["ok"] is JsonValue ok && ok.TryGetValue(out bool succeeded) && succeeded)
            {
                try
                {
                    var (header, payload) = JobFrames.Read(message, 3);
                    job.Answer.TrySetResult(new JobReply(header, payload, worker.Capabilities.Name, job.Attempts));
                }
                catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
                {
                    job.Answer.TrySetException(new ComputeJobFailedException(
                        $"{job.Describe}: worker {worker.Capabilities.Name} sent a malformed result ({e.Message})", WorkerErrorTypes.Failed));
                }
            }
            else
            {
                string type = Text(status["error_type"]) ?? WorkerErrorTypes.Failed;
                string error = Text(status["error"]) ?? "no reason given";
                job.Answer.TrySetException(new ComputeJobFailedException(error, type) { Key = Text(status["error_key"]) });
            }
        }
        Changed();
        Dispatch();
    }

    private static bool HasVersion(WorkerEntry worker, JobRequest request) =>
        request.Version is null || worker.Capabilities.Versions.GetValueOrDefault(request.Target) == request.Version;

    /// <summary>Gives waiting jobs, oldest first, to the longest-idle worker that serves them (one with the version the
    /// job asks for first).</summary>
    private void Dispatch()
    {
        if (_disposed) return; // draining the inbox at Dispose: no new work for workers
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            var job = node.Value;
            var worker = _workers.Values
                .Where(w => w.JobId is null && w.Capabilities.Serves(job.Request.Kind, job.Request.Target))
                .OrderBy(w => HasVersion(w, job.Request) ? 0 : 1)
                .ThenBy(w => w.IdleSince)
                .FirstOrDefault();
            if (worker is not null)
            {
                _waiting.Remove(node);
                Interlocked.Decrement(ref _queued);
                job.Attempts++;
                job.UnservedSince = null;
                worker.JobId = job.Id;
                worker.JobName = job.Describe;
                var message = MajordomoWorkerProtocol.Command(WorkerCommand.Request, Encoding.UTF8.GetBytes(job.Id), []);
                var header = new JsonObject { ["kind"] = job.Request.Kind, ["target"] = job.Request.Target, ["job"] = job.Request.Header.DeepClone() };
                JobFrames.Append(message, header, job.Request.Payload);
                message.Push(worker.Identity);
                worker.Socket.TrySendMultipartMessage(message);
                Changed();
            }
            node = next;
        }
    }

    private void OnTimer()
    {
        var now = DateTime.UtcNow;
        foreach (var (key, worker) in _workers.Where(w => w.Value.Expiry < now).ToList())
            Lose(key, worker, $"stopped answering ({_options.Heartbeat.Expiry.TotalSeconds:F1} s without a heartbeat)");

        foreach (var job in _jobs.Values.Where(j => j.Deadline < now).ToList())
            Fail(job, new ComputeJobFailedException(
                $"{job.Describe} did not finish within its limit of {_options.TimeoutOf(job.Request.Kind)}", "timeout"));

        foreach (var job in _waiting.ToList())
        {
            if (_workers.Values.Any(w => w.Capabilities.Serves(job.Request.Kind, job.Request.Target)))
                job.UnservedSince = null;
            else if ((job.UnservedSince ??= now) + _options.NoWorkerTimeout < now)
                Fail(job, new ComputeJobFailedException(NoWorkerMessage(job), "no-worker"));
        }

        if (now >= _nextHeartbeat)
        {
            foreach (var worker in _workers.Values) SendHeartbeat(worker);
            _nextHeartbeat = now + _options.Heartbeat.Interval;
        }
    }

    private static void SendHeartbeat(WorkerEntry worker)
    {
        var heartbeat = MajordomoWorkerProtocol.Command(WorkerCommand.Heartbeat);
        heartbeat.Push(worker.Identity);
        worker.Socket.TrySendMultipartMessage(heartbeat);
    }

    private string NoWorkerMessage(PendingJob job)
    {
        string lost = job.LostOn.Count > 0 ? $"; the worker that ran it ({string.Join(", ", job.LostOn)}) stopped answering" : "";
        string connected = _workers.Count == 0 ? "no worker is connected"
            : $"connected workers serve: {string.Join("; ", _workers.Values.Select(w => $"{w.Capabilities.Name} ({w.Capabilities.JobsText})"))}";
        return $"no compute worker can run {job.Describe} ({connected}) for {_options.NoWorkerTimeout.TotalSeconds:F0} s{lost}";
    }

    /// <summary>Forgets a dead or misbehaving worker; its job goes back to the front of the queue, or fails after
    /// <see cref="BrokerOptions.MaxAttempts"/> workers.</summary>
    private void Lose(string key, WorkerEntry worker, string why)
    {
        _workers.Remove(key);
        _log($"worker {worker.Capabilities.Name} {why}" + (worker.JobName is { } j ? $" while running {j}" : ""));
        if (worker.JobId is { } id && _jobs.TryGetValue(id, out var job))
        {
            job.LostOn.Add(worker.Capabilities.Name);
            if (job.GivenUpBy is { } cancelled)
            {
                _jobs.Remove(job.Id);
                job.Answer.TrySetCanceled(cancelled);
            }
            else if (job.Attempts >= _options.MaxAttempts)
                Fail(job, new ComputeJobFailedException(
                    $"{job.Describe} failed: {job.Attempts} workers stopped answering while running it ({string.Join(", ", job.LostOn)})", "worker-lost"));
            else
            {
                _waiting.AddFirst(job);
                Interlocked.Increment(ref _queued);
                _log($"{job.Describe} goes to another worker (attempt {job.Attempts + 1} of {_options.MaxAttempts})");
            }
        }
        Changed();
        Dispatch();
    }

    /// <summary>A waiting job is dropped at once; a running one is told to stop, and its caller hears "cancelled" when
    /// the worker answers (or is lost), not before: the worker may still be finishing (a training keeps its best).</summary>
    private void Cancel(PendingJob job, CancellationToken cancellation)
    {
        if (!_jobs.ContainsKey(job.Id)) return;
        if (_workers.Values.Any(w => w.JobId == job.Id))
        {
            SendCancel(job); // the caller hears "cancelled" with the worker's REPLY (PendingJob.GivenUpBy)
            return;
        }
        Stop(job);
        job.Answer.TrySetCanceled(cancellation);
    }

    private void Fail(PendingJob job, Exception error)
    {
        Stop(job);
        job.Answer.TrySetException(error);
    }

    /// <summary>Takes a job out of the books; a worker running it is told to stop (it stays busy until it replies).</summary>
    private void Stop(PendingJob job)
    {
        _jobs.Remove(job.Id);
        if (_waiting.Remove(job)) Interlocked.Decrement(ref _queued);
        SendCancel(job);
    }

    private void SendCancel(PendingJob job)
    {
        foreach (var worker in _workers.Values.Where(w => w.JobId == job.Id))
        {
            var cancel = MajordomoWorkerProtocol.Command(WorkerCommand.Cancel, Encoding.UTF8.GetBytes(job.Id));
            cancel.Push(worker.Identity);
            worker.Socket.TrySendMultipartMessage(cancel);
        }
    }

    private static void SendDisconnect(RouterSocket socket, byte[] identity)
    {
        var message = MajordomoWorkerProtocol.Command(WorkerCommand.Disconnect);
        message.Push(identity);
        socket.TrySendMultipartMessage(message);
    }

    private void Changed() => _snapshot = [.. _workers.Values.OrderBy(w => w.ConnectedAt).Select(w => w.Snapshot)];

    private static string Key(RouterSocket socket, byte[] identity) => $"{socket.GetHashCode()}:{Convert.ToHexString(identity)}";

    /// <summary>The string a JSON field holds, or null when it is missing or not a string.</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static JsonObject? ParseObject(NetMQFrame frame)
    {
        try
        {
            var json = JsonNode.Parse(frame.Buffer.AsSpan(0, frame.MessageSize)) as JsonObject;
            _ = json?.Count; // JsonObject finds a duplicate key only when first read: make it happen here, inside the try
            return json;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True for tcp://127.x.x.x, [::1] and localhost: reachable from this machine only.</summary>
    public static bool IsLoopback(string endpoint)
    {
        if (!endpoint.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)) return endpoint.StartsWith("ipc://") || endpoint.StartsWith("inproc://");
        string host = endpoint[6..];
        int colon = host.LastIndexOf(':');
        if (colon > 0) host = host[..colon];
        host = host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private void Post(Action action)
    {
        // Under the gate like SubmitAsync: once Dispose began, nothing is enqueued (a cancellation that comes this
        // late finds its job already answered), so no Enqueue races the inbox's disposal on another thread.
        lock (_gate)
        {
            if (!_disposed) _inbox.Enqueue(action);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        // Stops the poller thread and waits for it; NetMQ wants the poller disposed before the sockets it holds.
        _poller.Dispose();
        // Jobs submitted just before the stop may still sit in the inbox, outside _jobs: run those actions here (the
        // poller is gone, so this thread is the only one left) so that their callers get an answer instead of waiting forever.
        while (_inbox.TryDequeue(out var action, TimeSpan.Zero)) action();
        foreach (var job in _jobs.Values)
            job.Answer.TrySetException(new ComputeJobFailedException($"{job.Describe}: the server is stopping", "stopping"));
        _jobs.Clear();
        _waiting.Clear();
        Volatile.Write(ref _queued, 0);
        _snapshot = [];
        _local.Dispose();
        _remote?.Dispose();
        _inbox.Dispose();
    }
}
