using System.Diagnostics;
using System.Text;
using CtSegLabel.TestSupport;

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
        port = LoopbackPort.Free();
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


    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
