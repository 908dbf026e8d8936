using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CtSegLabel.Server.Tests.Crash;

/// <summary>The built server as a separate OS process on a loopback port, which the crash harness kills with SIGKILL
/// (no shutdown code runs, as in a power cut as far as the process is concerned). Its output is kept: the lines
/// show what a restart recovered and whether a training resumed.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process) => _process = process;

    public int Port { get; private init; }

    public DateTime StartedUtc { get; } = DateTime.UtcNow;

    public static ServerProcess Start(IEnumerable<string> arguments, out int port)
    {
        port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(BuiltFiles.ServerDll);
        foreach (string a in arguments) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process) { Port = port };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public bool HasExited => _process.HasExited;

    public string Output()
    {
        lock (_output) return _output.ToString();
    }

    public string Tail(int chars = 4000)
    {
        string text = Output();
        return text.Length > chars ? text[^chars..] : text;
    }

    /// <summary>SIGKILL now, and wait until the process is gone (its files are then what a restart finds).</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(15_000);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}

/// <summary>The server and CLI built beside the running assembly's configuration (Debug or Release).</summary>
public static class BuiltFiles
{
    private static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string Root { get; } = FindRoot();

    public static string ServerDll => Output("server/CtSegLabel.Server", "CtSegLabel.Server.dll");

    public static string CtsegDll => Output("apps/CtSegLabel.Cli", "ctseg.dll");

    public static string TestAppDll => Output("tests/CtSegLabel.TestApp", "CtSegLabel.TestApp.dll");

    private static string Output(string project, string file) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", file) is var path && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{project} is not built ({path}): dotnet build {project}");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CtSegLabel.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CtSegLabel.sln not found above " + AppContext.BaseDirectory);
    }
}
