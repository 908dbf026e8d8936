using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Server.Errors;

namespace CtSegLabel.Server.Compute;

/// <summary>
/// Turns a failed compute job back into the exception the route would have seen had the task run in-process, so a
/// client gets the same answer wherever the job ran: refused parameters 422, no weights 409, a bad image 422, the
/// task's own failure 500; and the cluster's own failures — no worker, every worker lost — 503, a job past its
/// time limit 504.
/// </summary>
public static class ComputeFailures
{
    /// <param name="badInput">How to answer the worker's refusal of the input volume (an uploaded file names its form
    /// field); null: a 422 with the worker's message.</param>
    public static Exception ToException(ComputeJobFailedException e, string model, Func<string, Exception>? badInput = null) => e.Reason switch
    {
        WorkerErrorTypes.Parameter => new InferParameterException(e.Key ?? "params",
            e.Key is { } key && e.Message.StartsWith(key + ": ", StringComparison.Ordinal) ? e.Message[(key.Length + 2)..] : e.Message),
        WorkerErrorTypes.ModelUnavailable => new ModelUnavailableException(model, e.Message),
        WorkerErrorTypes.VersionNotFound => new ModelVersionNotFoundException(model, e.Message),
        WorkerErrorTypes.BadInput => badInput?.Invoke(e.Message) ?? ApiException.Unprocessable(e.Message),
        WorkerErrorTypes.Cancelled => new OperationCanceledException(e.Message),
        "timeout" => new ApiException(StatusCodes.Status504GatewayTimeout, e.Message),
        "no-worker" or "worker-lost" or "stopping" => new ApiException(StatusCodes.Status503ServiceUnavailable, e.Message),
        _ => new ApiException(StatusCodes.Status500InternalServerError, $"'{model}' failed: {e.Message}"),
    };

    /// <summary>Runs a job and rethrows its failure as <see cref="ToException"/> says.</summary>
    public static async Task<JobReply> RunAsync(this ComputeHost compute, JobRequest request, IProgress<System.Text.Json.Nodes.JsonObject>? progress,
        CancellationToken cancellation, Func<string, Exception>? badInput = null)
    {
        try
        {
            return await compute.Broker.SubmitAsync(request, progress, cancellation);
        }
        catch (ComputeJobFailedException e)
        {
            throw ToException(e, request.Target, badInput);
        }
    }
}
