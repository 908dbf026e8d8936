using CtSegLabel.Server.Compute;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Logs;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;

namespace CtSegLabel.Server.Routes;

/// <summary><c>/logs/</c>: the server log as a small self-refreshing HTML page (default) or plain text
/// (<c>text=true</c>), and <c>/logs/gpu</c>: the compute device.</summary>
public static class LogsApi
{
    public const int DefaultLines = 300;

    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/logs").WithTags("Logs");
        api.MapGet("/", GetLogs).Validate<LogsQuery>().WithSummary("Last lines of the server log (HTML page, or text/plain with text=true)");
        api.MapGet("/gpu", GetDevice).WithSummary("nvidia-smi output (or the CPU facts on a machine without an NVIDIA GPU), then the compute workers and their devices");
        return routes;
    }

    public static IResult GetLogs([AsParameters] LogsQuery query, LogFiles logs)
    {
        string path = logs.Current() ?? throw ApiException.NotFound($"Log file {logs.FilePath} not found");
        int lines = QueryValues.Int(query.Lines, DefaultLines);
        if (query.WantsText) return TypedResults.Text(LogFiles.Tail(path, lines), "text/plain; charset=utf-8");
        return TypedResults.Content(Page(lines, QueryValues.Int(query.Refresh, 0)), "text/html; charset=utf-8");
    }

    /// <summary>This machine's device (what MONAI Label serves here), then every compute worker and its device, since
    /// with remote workers the GPUs that matter may be on other machines.</summary>
    public static async Task<IResult> GetDevice(ComputeHost compute, CancellationToken ct) =>
        TypedResults.Text(await DeviceFacts.DescribeAsync(ct) + Environment.NewLine + compute.DescribeWorkers(), "text/plain; charset=utf-8");

    /// <summary>The page fetches the text itself (like MONAI Label's), re-fetching every <paramref name="refresh"/> seconds when asked.</summary>
    private static string Page(int lines, int refresh) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>CtSegLabel server log</title>
        <style>body{font-family:sans-serif;margin:1em}pre{font-size:12px;white-space:pre-wrap;background:#f6f6f6;padding:1em}</style>
        </head><body>
        <h3>Server log (last {{lines}} lines{{(refresh > 0 ? $", refreshed every {refresh} s" : "")}})</h3>
        <pre id="log">loading…</pre>
        <script>
        async function load() {
          const r = await fetch('?text=true&lines={{lines}}');
          const pre = document.getElementById('log');
          pre.textContent = r.ok ? await r.text() : 'HTTP ' + r.status;
          window.scrollTo(0, document.body.scrollHeight);
        }
        load();
        {{(refresh > 0 ? $"setInterval(load, {refresh * 1000});" : "")}}
        </script>
        </body></html>
        """;
}
