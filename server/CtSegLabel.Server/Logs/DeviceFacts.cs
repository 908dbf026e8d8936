using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CtSegLabel.Server.Logs;

/// <summary>What <c>GET /logs/gpu</c> reports: <c>nvidia-smi</c>'s output when the NVIDIA driver is
/// installed, otherwise a statement that this is a CPU-only machine and the facts that matter for CPU
/// inference (cores, processor, memory, OS, runtime).</summary>
public static class DeviceFacts
{
    public static async Task<string> DescribeAsync(CancellationToken ct)
    {
        string? smi = await RunNvidiaSmiAsync(ct);
        if (smi is not null) return smi;

        var text = new StringBuilder();
        text.AppendLine("No NVIDIA GPU found (nvidia-smi is not available): this is a CPU-only machine.");
        text.AppendLine();
        text.AppendLine($"Logical processors: {Environment.ProcessorCount}");
        if (CpuModel() is { } model) text.AppendLine($"Processor: {model}");
        text.AppendLine($"Architecture: {RuntimeInformation.ProcessArchitecture}");
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        text.AppendLine($"Memory available to the server: {memory / (1024.0 * 1024 * 1024):F1} GiB");
        text.AppendLine($"Operating system: {RuntimeInformation.OSDescription}");
        text.AppendLine($"Runtime: {RuntimeInformation.FrameworkDescription}");
        return text.ToString();
    }

    private static async Task<string?> RunNvidiaSmiAsync(CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? await output : $"nvidia-smi failed (exit {process.ExitCode}):\n{await errors}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "nvidia-smi did not answer within 15 s";
        }
    }

    private static string? CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return null;
        foreach (string line in File.ReadLines(cpuinfo))
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                return line[(colon + 1)..].Trim();
        return null;
    }
}
