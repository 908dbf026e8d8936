using System.Text.Json.Nodes;

namespace CtSegLabel.Compute.Worker;

/// <summary>
/// What a worker announces in its READY (and refreshes in each REPLY): who it is, its device and memory, and per
/// job kind the names it serves, with the model versions it would use. The broker routes a job only to a worker
/// whose capabilities list the job's kind and target.
/// </summary>
public sealed record WorkerCapabilities(
    string Name,
    string Host,
    int ProcessId,
    string Device,
    long MemoryBytes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Jobs,
    IReadOnlyDictionary<string, string> Versions)
{
    public bool Serves(string kind, string target) => Jobs.TryGetValue(kind, out var targets) && targets.Contains(target);

    /// <summary>"infer [a, b]; train [t]": what it serves, for log lines, error messages and <c>/logs/gpu</c>.</summary>
    public string JobsText => Jobs.Any(j => j.Value.Count > 0)
        ? string.Join("; ", Jobs.Where(j => j.Value.Count > 0).Select(j => $"{j.Key} [{string.Join(", ", j.Value)}]"))
        : "nothing";

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["host"] = Host,
        ["pid"] = ProcessId,
        ["device"] = Device,
        ["memory_bytes"] = MemoryBytes,
        ["jobs"] = new JsonObject(Jobs.Select(j => KeyValuePair.Create(j.Key, (JsonNode?)new JsonArray([.. j.Value.Select(t => (JsonNode?)t)])))),
        ["versions"] = new JsonObject(Versions.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
    };

    /// <summary>Reads an announcement; anything malformed is the peer's fault and yields null (the broker then
    /// refuses the worker with DISCONNECT instead of guessing).</summary>
    public static WorkerCapabilities? FromJson(JsonObject json)
    {
        try
        {
            var jobs = new Dictionary<string, IReadOnlyList<string>>();
            if (json["jobs"] is JsonObject kinds)
                foreach (var (kind, targets) in kinds)
                    jobs[kind] = targets is JsonArray list ? [.. list.Select(t => t!.GetValue<string>())] : [];
            var versions = new Dictionary<string, string>();
            if (json["versions"] is JsonObject v)
                foreach (var (model, version) in v)
                    if (version is not null) versions[model] = version.GetValue<string>();
            return new WorkerCapabilities(
                json["name"]?.GetValue<string>() ?? "worker",
                json["host"]?.GetValue<string>() ?? "",
                json["pid"]?.GetValue<int>() ?? 0,
                json["device"]?.GetValue<string>() ?? "cpu",
                json["memory_bytes"]?.GetValue<long>() ?? 0,
                jobs,
                versions);
        }
        // ArgumentException: a JSON object with a key twice, which JsonObject reports only when first read.
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or ArgumentException)
        {
            return null;
        }
    }
}
