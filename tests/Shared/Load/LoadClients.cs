using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.PluginAdapter.Multipart;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// The simulated users. Each has its own <see cref="HttpClient"/> (its own keep-alive connection, as each Slicer
/// instance has) and loops until <c>stop</c>; a request under way when the time is up is finished and counted, so a
/// queued infer is never cut off and mistaken for a failure. Requests go in Slicer's encoding
/// (<see cref="SlicerMultipartEncoder"/>).
/// </summary>
public static class LoadClients
{
    public const string InfoRoute = "GET /info/";
    public const string LabelRoute = "PUT /datastore/label";
    public static string InferRoute(string model) => $"POST /infer/{model}";

    /// <summary>A Slicer user refreshing the server's info as fast as it answers.</summary>
    public static async Task InfoAsync(Uri server, RouteRecorder recorder, CancellationToken stop)
    {
        using var http = NewClient(server, TimeSpan.FromMinutes(2));
        while (!stop.IsCancellationRequested)
            await SendAsync(http, recorder, InfoRoute, () => new HttpRequestMessage(HttpMethod.Get, "/info/"),
                r => r.StatusCode == HttpStatusCode.OK);
    }

    /// <summary>
    /// A user running a model on the images in turn. A 503 with Retry-After (the compute queue is full) is the
    /// documented answer under this load: the client waits as told, as a well-behaved client does, then goes on.
    /// </summary>
    public static async Task InferAsync(Uri server, string model, JsonObject parameters, IReadOnlyList<string> images, int client,
        RouteRecorder recorder, CancellationToken stop)
    {
        using var http = NewClient(server, TimeSpan.FromMinutes(15));
        var fields = InferFields(parameters, $"load-infer-{client}");
        for (int n = client; !stop.IsCancellationRequested; n++)
        {
            var answer = await SendInferAsync(http, model, fields, images[n % images.Count], recorder);
            if (answer?.RetryAfter is { } wait)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    /// <summary>One infer on its own connection (the warm-up before the load).</summary>
    public static async Task InferOnceAsync(Uri server, string model, JsonObject parameters, string image, RouteRecorder recorder)
    {
        using var http = NewClient(server, TimeSpan.FromMinutes(15));
        await SendInferAsync(http, model, InferFields(parameters, "load-warm-up"), image, recorder);
    }

    private static Dictionary<string, string> InferFields(JsonObject parameters, string clientId)
    {
        var copy = (JsonObject)parameters.DeepClone();
        copy["client_id"] = clientId;
        return new Dictionary<string, string> { ["params"] = copy.ToJsonString() };
    }

    private static Task<Answer?> SendInferAsync(HttpClient http, string model, Dictionary<string, string> fields, string image, RouteRecorder recorder) =>
        SendAsync(http, recorder, InferRoute(model),
            () => Multipart(HttpMethod.Post, $"/infer/{Uri.EscapeDataString(model)}?image={Uri.EscapeDataString(image)}", fields, []),
            // The extension needs a multipart answer (label file + params); a 200 of another kind would break it.
            r => r.StatusCode == HttpStatusCode.OK && r.Content.Headers.ContentType?.MediaType?.StartsWith("multipart/", StringComparison.Ordinal) == true
                 || IsQueueFull(r));

    /// <summary>
    /// An annotator submitting corrected labels, one at a time, to its own share of the images (those whose index
    /// modulo <paramref name="clients"/> is <paramref name="client"/>: see <see cref="LabelLedger"/> for why).
    /// </summary>
    public static async Task LabelAsync(Uri server, IReadOnlyList<(string Id, ImageGeometry Grid)> images, int client, int clients,
        string scratch, Func<long> nextSequence, LabelLedger ledger, RouteRecorder recorder, CancellationToken stop)
    {
        using var http = NewClient(server, TimeSpan.FromMinutes(2));
        var mine = images.Where((_, i) => i % clients == client).ToList();
        if (mine.Count == 0) return;
        // Slicer sends its temporary file's full path as the filename; the server takes the extension from it.
        string file = Path.Combine(scratch, $"label-client-{client}", "label.nii.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            var (image, grid) = mine[n % mine.Count];
            long sequence = nextSequence();
            string sha = LabelLedger.Sha256(LabelMaker.Make(grid, sequence, file));
            var parameters = new JsonObject
            {
                ["label_info"] = new JsonArray(new JsonObject { ["name"] = "bone", ["idx"] = 1 }, new JsonObject { ["name"] = "lung", ["idx"] = 2 },
                    new JsonObject { ["name"] = "liver", ["idx"] = 3 }),
                ["client_id"] = $"load-label-{client}",
                [LabelLedger.ChecksumKey] = sha,
                [LabelLedger.SequenceKey] = sequence,
            };
            var answer = await SendAsync(http, recorder, LabelRoute,
                () => Multipart(HttpMethod.Put, $"/datastore/label?image={Uri.EscapeDataString(image)}",
                    new() { ["params"] = parameters.ToJsonString() }, new() { ["label"] = file }),
                r => r.StatusCode == HttpStatusCode.OK);
            if (answer is { Expected: true }) ledger.Acknowledged(image, sequence, sha);
        }
    }

    private sealed record Answer(bool Expected, TimeSpan? RetryAfter);

    /// <summary>Sends one request, reads the whole answer and records it; null when no answer came (the exception is recorded).</summary>
    private static async Task<Answer?> SendAsync(HttpClient http, RouteRecorder recorder, string route, Func<HttpRequestMessage> request,
        Func<HttpResponseMessage, bool> expected)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            var elapsed = clock.Elapsed;
            bool ok = expected(response);
            bool queueFull = IsQueueFull(response);
            recorder.Record(route, queueFull ? RouteRecorder.QueueFull : ((int)response.StatusCode).ToString(), elapsed, ok,
                ok ? null : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500)));
            return new Answer(ok, queueFull ? response.Headers.RetryAfter?.Delta : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            recorder.Record(route, $"no answer ({e.GetType().Name})", clock.Elapsed, expected: false, e.Message);
            return null;
        }
    }

    private static bool IsQueueFull(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.ServiceUnavailable && r.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero;

    private static HttpRequestMessage Multipart(HttpMethod method, string path, Dictionary<string, string> fields, Dictionary<string, string> files)
    {
        var content = new ByteArrayContent(SlicerMultipartEncoder.Encode(fields, files));
        // The boundary holds a '$', which the typed header parser refuses; Slicer sends it as is.
        content.Headers.TryAddWithoutValidation("Content-Type", SlicerMultipartEncoder.ContentType);
        return new HttpRequestMessage(method, path) { Content = content };
    }

    /// <summary>One connection per user: a client of its own, never shared, so 100 users are 100 sockets.</summary>
    private static HttpClient NewClient(Uri server, TimeSpan timeout) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = server, Timeout = timeout };
}
