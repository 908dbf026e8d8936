using System.Text.Json.Nodes;

namespace CtSegLabel.Compute.Jobs;

/// <summary>What a worker sent back for a job that succeeded.</summary>
/// <param name="Header">The job's result fields.</param>
/// <param name="Payload">Bulk bytes (a label map file), possibly empty.</param>
/// <param name="Worker">The name of the worker that ran it.</param>
/// <param name="Attempts">How many workers it took (1 unless a worker died during the job).</param>
public sealed record JobReply(JsonObject Header, byte[] Payload, string Worker, int Attempts);
