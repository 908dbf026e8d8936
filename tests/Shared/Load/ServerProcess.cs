using System.Diagnostics;
using System.Text;
using CtSegLabel.TestSupport;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// The real server as its own OS process on a free loopback port (as it is deployed, not an in-memory test host), so
/// that its memory and CPU time are the kernel's figures for that process alone and the clients' work is not counted.
/// Its console output is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(LoadOptions options, string studies, string logs)
    {
        int port = LoopbackPort.Free();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        List<string> args =
        [
            options.ServerDll, "--studies", studies, "--models", options.ModelsFolder, "--logs", logs, "--port", port.ToString(),
            "--worker-queue", options.WorkerQueue.ToString(), $"--Server:MaxConcurrentInfers={options.MaxConcurrentInfers}",
            "--Server:LogToConsole=false",
        ];
        if (options.AppDll is { } app) args.AddRange(["--app", app]);
        foreach (string a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the server exited with code {process.ExitCode} before answering:\n{server.Output()}");
            try
            {
                if ((await http.GetAsync("/info/")).IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                await server.DisposeAsync();
                throw new TimeoutException($"the server did not answer /info/ within 120 s:\n{server.Output()}");
            }
            await Task.Delay(200);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            // Only the tail matters for a failure message; a long run must not grow this without bound.
            if (_output.Length > 64_000) _output.Remove(0, _output.Length - 32_000);
        }
    }

    /// <summary>The tail of what the server printed.</summary>
    public string Output()
    {
        lock (_output) return _output.ToString();
    }


    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }
        _process.Dispose();
    }
}
