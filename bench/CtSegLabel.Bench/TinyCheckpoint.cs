using CtSegLabel.Cli;

namespace CtSegLabel.Bench;

/// <summary>The CT app's honest path with a network small enough for a CPU: SwinUNETR-V2 "tiny" (feature size 12),
/// 32-voxel windows, 37 classes, written as `ctseg model init` writes it. Shared by the load and infer-memory
/// benchmarks, which must serve the same network.</summary>
internal static class TinyCheckpoint
{
    /// <summary>Writes it to <paramref name="path"/>; null when done, else what `ctseg model init` printed.</summary>
    public static string? TryWrite(string path)
    {
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All,
            ["model", "init", "--arch", "swinunetr-v2", "--config", "tiny", "--classes", "37", "--in-plane", "32", "--block-slices", "32", "--out", path],
            new StringWriter(), error);
        return code == 0 ? null : $"ctseg model init failed: {error}";
    }
}
