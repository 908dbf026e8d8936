using System.Net;

namespace CtSegLabel.PluginAdapter.Client;

/// <summary>A non-200 answer (the Slicer client treats every other status as failure), or an answer the
/// extension could not have used.</summary>
public sealed class MonaiLabelClientException(HttpStatusCode status, string message, string body)
    : Exception($"{(int)status} {status}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string Body { get; } = body;
}
