namespace CtSegLabel.Compute.Jobs;

/// <summary>
/// How a worker classifies a failed job in its REPLY (<c>error_type</c>), so that the server can answer the HTTP
/// request as if the task had run in-process: bad parameters stay 422, a model without weights stays 409.
/// </summary>
public static class WorkerErrorTypes
{
    public const string Parameter = "parameter";
    public const string ModelUnavailable = "model-unavailable";
    public const string VersionNotFound = "version-not-found";
    public const string BadInput = "bad-input";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}
