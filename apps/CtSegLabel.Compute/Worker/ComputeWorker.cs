using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Imaging.Formats;
using NetMQ;
using NetMQ.Sockets;

namespace CtSegLabel.Compute.Worker;

/// <summary>
/// A Majordomo worker (RFC 7/MDP, with the Paranoid Pirate reconnect the RFC asks for): connects a DEALER socket
/// to the broker, announces itself with READY, runs one job at a time with the matching <see cref="IJobHandler"/>,
/// and answers with REPLY. The socket belongs to one poller thread; jobs run on the thread pool, so heartbeats keep
/// flowing during a 20-second inference or an hour of training and the broker can tell a busy worker from a dead one.
/// When the broker falls silent for a heartbeat expiry the worker drops the job it holds (the broker has given it to
/// another worker by then), closes the socket and reconnects after a back-off that doubles up to a limit.
/// </summary>
public sealed class ComputeWorker : IDisposable
{
    private readonly WorkerOptions _options;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly Func<IReadOnlyDictionary<string, string>> _versions;
    private readonly Action<string> _log;
    private readonly NetMQPoller _poller = new();
    private readonly NetMQQueue<Action> _inbox = new();
    private readonly NetMQTimer _timer;
    private DealerSocket? _socket;
    private RunningJob? _job;
    private DateTime _brokerExpiry, _nextHeartbeat, _reconnectAt;
    private TimeSpan _backoff;
    private bool _heard;

    /// <param name="versions">The model versions the worker would run now, announced with READY and each REPLY.</param>
    /// <param name="log">Receives one line per connection change and failed job.</param>
    public ComputeWorker(WorkerOptions options, IEnumerable<IJobHandler> handlers, Func<IReadOnlyDictionary<string, string>>? versions = null,
        Action<string>? log = null)
    {
        _options = options;
        _handlers = handlers.ToDictionary(h => h.Kind);
        _versions = versions ?? (() => new Dictionary<string, string>());
        _log = log ?? (_ => { });
        _backoff = options.Heartbeat.ReconnectInitial;
        _timer = new NetMQTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.Heartbeat.Interval.TotalMilliseconds / 4)));
        _timer.Elapsed += (_, _) => OnTimer();
        _inbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero)) action();
        };
        _poller.Add(_timer);
        _poller.Add(_inbox);
    }

    /// <summary>Jobs this worker finished (successfully or not) since it started.</summary>
    public int JobsDone { get; private set; }

    public WorkerCapabilities Capabilities => new(_options.Name, Environment.MachineName, Environment.ProcessId, _options.Device,
        _options.MemoryBytes, _handlers.Values.ToDictionary(h => h.Kind, h => h.Targets), _versions());

    /// <summary>Connects and serves jobs on a thread of its own until <see cref="Dispose"/>.</summary>
    public void Start()
    {
        _inbox.Enqueue(Connect);
        // Returns once the poller runs, so that a Dispose right after Start finds it running and stops it.
        _poller.RunAsync($"compute worker {_options.Name}", isBackgroundThread: true);
    }

    /// <summary>Serves jobs until <paramref name="stop"/> fires (the `ctseg worker` command's life).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        Start();
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Connect()
    {
        _socket = new DealerSocket();
        _socket.Options.Linger = TimeSpan.Zero;
        _socket.Options.MaxMsgSize = JobFrames.MaxWireFrameBytes;
        if (_options.Credentials is { } credentials)
        {
            _socket.Options.CurveServerKey = NetMQCertificate.FromPublicKey(credentials.ServerPublicKey).PublicKey;
            _socket.Options.CurveCertificate = new NetMQCertificate();
        }
        _socket.ReceiveReady += (_, _) => OnMessage();
        _poller.Add(_socket);
        _socket.Connect(_options.Endpoint);
        _heard = false;
        var capabilities = Capabilities.ToJson();
        if (_options.Credentials is { } c) capabilities["token"] = c.Token;
        Send(WorkerCommand.Ready, Utf8(MajordomoWorkerProtocol.Service), Utf8(capabilities.ToJsonString()));
        _brokerExpiry = DateTime.UtcNow + _options.Heartbeat.Expiry;
        _nextHeartbeat = DateTime.UtcNow + _options.Heartbeat.Interval;
    }

    private void OnMessage()
    {
        var message = new NetMQMessage();
        if (_socket is null || !_socket.TryReceiveMultipartMessage(ref message)) return;
        try
        {
            Handle(message);
        }
        catch (Exception e)
        {
            // Escaping here would end the poller thread and with it the worker's process (unhandled on a thread of our
            // own); one bad message from the broker's side must cost that message only.
            _log($"dropped a message from the broker: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Handle(NetMQMessage message)
    {
        if (!MajordomoWorkerProtocol.TryReadCommand(message, out var command)) return;
        _brokerExpiry = DateTime.UtcNow + _options.Heartbeat.Expiry;
        // A DISCONNECT is no sign of a healthy broker: a broker that refuses us (wrong token, bad capabilities) answers
        // every READY with one, and resetting the back-off here would make the worker retry on every timer tick.
        if (command != WorkerCommand.Disconnect) _backoff = _options.Heartbeat.ReconnectInitial;
        if (!_heard && command != WorkerCommand.Disconnect)
        {
            // TCP connects whether or not the broker accepts us; its first word after READY is what says we are in.
            _heard = true;
            _log($"connected to the broker at {_options.Endpoint}");
        }
        switch (command)
        {
            case WorkerCommand.Request when message.FrameCount > 0: // without a job id there is no one to answer
                StartJob(message);
                break;
            case WorkerCommand.Cancel when _job is { } job && message.FrameCount > 0 && message[0].ConvertToString() == job.Id:
                job.Cancellation.Cancel();
                break;
            case WorkerCommand.Disconnect:
                _log($"the broker sent DISCONNECT; reconnecting in {_backoff.TotalSeconds:F1} s");
                Reconnect(_backoff);
                _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.Heartbeat.ReconnectMax.Ticks));
                break;
        }
    }

    private void StartJob(NetMQMessage message)
    {
        string id = message[0].ConvertToString();
        if (_job is not null)
        {
            // The broker never does this (one job per worker); answering keeps its books straight if it does.
            SendReply(id, Failure(WorkerErrorTypes.Failed, $"worker {_options.Name} is already running job {_job.Id}"), [], []);
            return;
        }
        var job = new RunningJob(id);
        _job = job;
        JobRequest request;
        IJobHandler? handler;
        try
        {
            var (header, payload) = JobFrames.Read(message, 2);
            string kind = header["kind"]?.GetValue<string>() ?? "";
            string target = header["target"]?.GetValue<string>() ?? "";
            request = new JobRequest(kind, target, header["job"] as JsonObject ?? [], payload);
            handler = _handlers.GetValueOrDefault(kind);
        }
        // ArgumentException: a header with a key twice, which JsonObject reports only when first read.
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            Finish(job, Failure(WorkerErrorTypes.Failed, $"malformed REQUEST: {e.Message}"), [], []);
            return;
        }
        if (handler is null || !handler.Targets.Contains(request.Target))
        {
            Finish(job, Failure(WorkerErrorTypes.Failed, $"worker {_options.Name} does not serve {request.Kind} '{request.Target}'"), [], []);
            return;
        }

        var progress = new Progress(this, job);
        _ = Task.Run(async () =>
        {
            JsonObject status;
            JsonObject header = [];
            byte[] payload = [];
            try
            {
                (header, payload) = await handler.RunAsync(request, progress, job.Cancellation.Token);
                status = new JsonObject { ["ok"] = true };
            }
            catch (Exception e)
            {
                status = Failure(ErrorType(e), e.Message);
                if (e is InferParameterException bad) status["error_key"] = bad.Key;
                if (e is not OperationCanceledException) _log($"{request.Kind} '{request.Target}' failed: {e.GetType().Name}: {e.Message}");
            }
            Post(() => Finish(job, status, header, payload));
        });
    }

    private void Finish(RunningJob job, JsonObject status, JsonObject header, byte[] payload)
    {
        if (!ReferenceEquals(_job, job)) return; // dropped at a reconnect: the broker no longer waits for it
        _job = null;
        JobsDone++;
        job.Cancellation.Dispose();
        SendReply(job.Id, status, header, payload);
    }

    private void SendReply(string id, JsonObject status, JsonObject header, byte[] payload)
    {
        status["capabilities"] = Capabilities.ToJson();
        var message = MajordomoWorkerProtocol.Command(WorkerCommand.Reply, Utf8(id), [], Utf8(status.ToJsonString()));
        JobFrames.Append(message, header, payload);
        _socket?.TrySendMultipartMessage(message);
    }

    private void OnTimer()
    {
        var now = DateTime.UtcNow;
        if (_socket is null)
        {
            if (now >= _reconnectAt) Connect();
            return;
        }
        if (now > _brokerExpiry)
        {
            _log($"no word from the broker at {_options.Endpoint} for {_options.Heartbeat.Expiry.TotalSeconds:F1} s; reconnecting in {_backoff.TotalSeconds:F1} s");
            Reconnect(_backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.Heartbeat.ReconnectMax.Ticks));
            return;
        }
        if (now >= _nextHeartbeat)
        {
            Send(WorkerCommand.Heartbeat);
            _nextHeartbeat = now + _options.Heartbeat.Interval;
        }
    }

    private void Reconnect(TimeSpan after)
    {
        if (_job is { } job)
        {
            job.Cancellation.Cancel();
            _job = null;
        }
        if (_socket is not null)
        {
            _poller.Remove(_socket);
            _socket.Dispose();
            _socket = null;
        }
        _reconnectAt = DateTime.UtcNow + after;
    }

    private void Send(WorkerCommand command, params ReadOnlySpan<byte[]> frames)
    {
        var message = MajordomoWorkerProtocol.Command(command, frames);
        _socket?.TrySendMultipartMessage(message);
    }

    private static string ErrorType(Exception e) => e switch
    {
        OperationCanceledException => WorkerErrorTypes.Cancelled,
        InferParameterException => WorkerErrorTypes.Parameter,
        ModelUnavailableException => WorkerErrorTypes.ModelUnavailable,
        ModelVersionNotFoundException => WorkerErrorTypes.VersionNotFound,
        VolumeFormatException => WorkerErrorTypes.BadInput,
        _ => WorkerErrorTypes.Failed,
    };

    private static JsonObject Failure(string type, string message) => new() { ["ok"] = false, ["error_type"] = type, ["error"] = message };

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public void Dispose()
    {
        if (_poller.IsRunning) _poller.Stop();
        _job?.Cancellation.Cancel();
        _job = null;
        _socket?.Dispose();
        _socket = null;
        _poller.Dispose();
        _inbox.Dispose();
    }

    /// <summary>Hands work to the poller thread; after <see cref="Dispose"/> there is no one left to do it.</summary>
    private void Post(Action action)
    {
        try
        {
            _inbox.Enqueue(action);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class RunningJob(string id)
    {
        public string Id { get; } = id;

        public CancellationTokenSource Cancellation { get; } = new();
    }

    /// <summary>Sends a job's progress from its thread through the poller (sockets are single-threaded).</summary>
    private sealed class Progress(ComputeWorker worker, RunningJob job) : IProgress<JsonObject>
    {
        public void Report(JsonObject value)
        {
            string json = value.ToJsonString();
            worker.Post(() =>
            {
                if (ReferenceEquals(worker._job, job))
                    worker.Send(WorkerCommand.Progress, Utf8(job.Id), [], Utf8(json));
            });
        }
    }
}
