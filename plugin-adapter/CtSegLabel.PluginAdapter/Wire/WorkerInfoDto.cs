using System.Text.Json.Serialization;

namespace CtSegLabel.PluginAdapter.Wire;

/// <summary>One compute worker in <c>/info/</c>: who it is, where its jobs run, what it serves and what it is doing.</summary>
/// <param name="Jobs">Job kind (infer, train, score) → the models, trainers or scoring methods it serves.</param>
/// <param name="Versions">Model → the version it would run now.</param>
/// <param name="Remote">Connected over the workers endpoint (false: runs inside the server).</param>
/// <param name="Busy">"kind 'name'" of the job it is running, or null when idle.</param>
public sealed record WorkerInfoDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("memory_bytes")] long MemoryBytes,
    [property: JsonPropertyName("jobs")] IReadOnlyDictionary<string, IReadOnlyList<string>> Jobs,
    [property: JsonPropertyName("versions")] IReadOnlyDictionary<string, string> Versions,
    [property: JsonPropertyName("remote")] bool Remote,
    [property: JsonPropertyName("connected_at")] DateTime ConnectedAt,
    [property: JsonPropertyName("busy")] string? Busy,
    [property: JsonPropertyName("jobs_done")] int JobsDone);
