using System.Globalization;
using System.Runtime.InteropServices;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Apps;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Handlers;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Security;
using CtSegLabel.Compute.Worker;
using CtSegLabel.CtApp;
using CtSegLabel.Models;

namespace CtSegLabel.Cli.Commands;

/// <summary>
/// `ctseg worker --connect tcp://HOST:PORT`: a compute worker for a server on this or another machine. It loads the app
/// the way the server does (the CT app on <c>--models</c>, or <c>--app</c>), announces its device, memory, models and
/// their versions, and runs the infer jobs the server's broker hands it until SIGTERM or Ctrl+C; a job it holds then is
/// dropped, and the broker gives it to another worker. Train and score jobs stay on the server's own worker: they read
/// and write the server's datastore, which a worker elsewhere does not see.
/// </summary>
public sealed class WorkerCommand(CancellationToken stop = default) : ICommand
{
    public string Name => "worker";

    public string Usage => "ctseg worker --connect tcp://HOST:PORT [--models DIR] [--app APP.dll] [--device cpu|cuda:N] [--name NAME] " +
                           "[--key FILE.worker] [--heartbeat-ms N]";

    /// <summary>The studies path the app is given. A worker has no datastore (apps reach one only through the
    /// <see cref="IDatastoreView"/> that train and score jobs bring), so nothing is created there and a worker stopped
    /// by SIGKILL leaves no folder of its own behind.</summary>
    private static readonly string NoStudies = Path.Combine(Path.GetTempPath(), "ctseg-worker-has-no-datastore");

    public int Run(Arguments args, TextWriter output)
    {
        string endpoint = args.Required("connect");
        string models = Path.GetFullPath(args.Option("models") ?? "models");
        string? appPath = args.Option("app");
        string? deviceName = args.Option("device");
        string? name = args.Option("name");
        string? keyFile = args.Option("key");
        int heartbeatMs = args.Int("heartbeat-ms", (int)HeartbeatSettings.Default.Interval.TotalMilliseconds, 10, 600_000);
        args.RejectUnknown();
        if (args.Positional.Count != 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");
        CheckEndpoint(endpoint, keyFile);
        if (name is { Length: 0 }) throw new UsageException("option --name: give a non-empty name");
        var credentials = keyFile is null ? null : Credentials(keyFile);
        var device = Device(deviceName);

        var writer = TextWriter.Synchronized(output);
        ISegmentationApp app;
        try
        {
            app = AppAssembly.Load(appPath, new AppEnvironment(NoStudies, models));
        }
        catch (AppLoadException e)
        {
            throw new UsageException(e.Message);
        }
        try
        {
            var handlers = AppJobHandlers.For(app, datastore: null);
            var options = new WorkerOptions
            {
                Endpoint = endpoint,
                Device = DeviceName(device),
                MemoryBytes = MemoryBytes(device),
                Credentials = credentials,
                Heartbeat = new HeartbeatSettings { Interval = TimeSpan.FromMilliseconds(heartbeatMs) },
            };
            if (name is not null) options = options with { Name = name };
            using var worker = new ComputeWorker(options, handlers, () => AppVersions.Of(app), line => Log(writer, line));
            Announce(writer, app, appPath, models, options, worker.Capabilities);

            using var signalled = new CancellationTokenSource();
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(stop, signalled.Token);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(signalled));
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(signalled));
            Log(writer, $"connecting to {endpoint}" + (credentials is null ? "" : " (CurveZMQ, access token from " + keyFile + ")"));
            worker.RunAsync(lifetime.Token).GetAwaiter().GetResult();
            Log(writer, $"stopping after {worker.JobsDone} job(s)" + (signalled.IsCancellationRequested ? " (signal)" : ""));
            return 0;
        }
        finally
        {
            (app as IDisposable)?.Dispose();
        }
    }

    /// <summary>Only <c>tcp://HOST:PORT</c>: the one transport that reaches another process. A broker reachable from other
    /// machines always uses CurveZMQ (the server refuses to bind one without keys), so a non-loopback address needs the key.</summary>
    private static void CheckEndpoint(string endpoint, string? keyFile)
    {
        string rest = endpoint.StartsWith("tcp://", StringComparison.Ordinal) ? endpoint[6..] : "";
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new UsageException($"option --connect: '{endpoint}' is not tcp://HOST:PORT (the server's --workers-endpoint)");
        if (keyFile is null && !ComputeBroker.IsLoopback(endpoint))
            throw new UsageException($"option --connect: {endpoint} is not on this machine, and a server takes remote workers only over " +
                "CurveZMQ: give --key FILE.worker (the file the server wrote beside its --workers-key file)");
    }

    private static WorkerCredentials Credentials(string keyFile)
    {
        try
        {
            return WorkerCredentials.Load(keyFile);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"option --key: {e.Message}");
        }
    }

    /// <summary>Where the app's networks will run. The CT app (and any app that asks <see cref="ComputeDevice.Default"/>)
    /// reads the choice from CTSEG_DEVICE, so <c>--device</c> is passed on through it; without it that variable, or the
    /// default (CUDA when present), applies. Only the device is announced: precision is each request's business.</summary>
    private static ComputeDevice Device(string? deviceName)
    {
        try
        {
            var device = ComputeDevice.Choose(deviceName ?? Environment.GetEnvironmentVariable(ComputeDevice.DeviceVariable), null);
            if (deviceName is not null) Environment.SetEnvironmentVariable(ComputeDevice.DeviceVariable, deviceName);
            return device;
        }
        catch (ArgumentException e)
        {
            throw new UsageException(deviceName is null ? $"{ComputeDevice.DeviceVariable}: {e.Message}" : $"option --device: {e.Message}");
        }
    }

    private static string DeviceName(ComputeDevice device) =>
        device.IsCuda ? $"cuda:{Math.Max(0, (int)device.Device.index)}" : "cpu";

    /// <summary>What the worker offers the broker: free memory of its GPU, or the memory this process may use on a CPU.</summary>
    private static long MemoryBytes(ComputeDevice device) =>
        device.IsCuda ? GpuMemory.FreeBytes(device.Device.index) ?? 0 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static void Announce(TextWriter writer, ISegmentationApp app, string? appPath, string models, WorkerOptions options, WorkerCapabilities capabilities)
    {
        Log(writer, $"worker {options.Name}: {app.Name} {app.Version}" + (appPath is null ? $", models from {models}" : $" from {Path.GetFullPath(appPath)}"));
        string memory = options.MemoryBytes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{options.MemoryBytes / (double)(1L << 30):F1} GiB {(options.Device == "cpu" ? "RAM" : "free")}")
            : "memory unknown";
        Log(writer, $"device {options.Device}, {memory}");
        foreach (var (kind, targets) in capabilities.Jobs)
            Log(writer, $"serves {kind}: " + (targets.Count == 0 ? "nothing" : string.Join(", ", targets.Select(t =>
                capabilities.Versions.TryGetValue(t, out var version) ? $"{t} ({version})" : $"{t} (no weights)"))));
    }

    private static Action<PosixSignalContext> Stop(CancellationTokenSource signalled) => context =>
    {
        // The default action would kill the process mid-write of a reply; stopping the worker ends the command instead.
        context.Cancel = true;
        signalled.Cancel();
    };

    private static void Log(TextWriter writer, string line) =>
        writer.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {line}");
}
