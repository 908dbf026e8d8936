using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Multipart;
using CtSegLabel.PluginAdapter.Wire;

namespace CtSegLabel.PluginAdapter.Client;

/// <summary>
/// Talks to a MONAI Label server exactly as the 3D Slicer extension's client does: the same paths and
/// spellings (<c>PUT /datastore/?image=</c>, <c>GET /train/?check_if_running=true</c>), quote_plus'd
/// query values, hand-encoded multipart with Slicer's fixed boundary and full local paths as filenames,
/// JSON bodies, no redirect following, every non-200 an error, and the multipart infer answer parsed
/// from the body the Content-Length announced. With authentication on, it logs in as the extension does before each
/// operation (<see cref="AuthenticateAsync"/>) and sends <c>Authorization: &lt;token_type&gt; &lt;access_token&gt;</c> on every
/// request except the next-sample image download, which Slicer's SampleData makes without it.
/// Tests use it to prove the server works for Slicer.
/// </summary>
public sealed class MonaiLabelClient(HttpClient http, string clientId = "user-xyz")
{
    public string ClientId { get; } = clientId;

    /// <summary>An HttpClient configured like Python's http.client: redirects are NOT followed.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>The token sent with every request but the sample download (null: none, as with authentication off).</summary>
    public string? AccessToken { get; set; }

    public string TokenType { get; set; } = "Bearer";

    /// <summary>What the extension does before every operation (its <c>_client</c>): <c>GET /auth/</c>; when enabled,
    /// <c>GET /auth/token/valid</c> with the token it has, and <c>POST /auth/token</c> when that is not 200.
    /// Answers whether authentication is on.</summary>
    public async Task<bool> AuthenticateAsync(string username, string password, CancellationToken ct = default)
    {
        if (!await AuthEnabledAsync(ct)) return false;
        if (AccessToken is null || !await TokenValidAsync(ct)) await LoginAsync(username, password, ct);
        return true;
    }

    /// <summary><c>POST /auth/token</c> with the OAuth2 password form; keeps the token for the next requests.</summary>
    public async Task LoginAsync(string username, string password, CancellationToken ct = default)
    {
        using var form = new FormUrlEncodedContent([new("username", username), new("password", password), new("grant_type", "password")]);
        using var r = await http.PostAsync("/auth/token", form, ct);
        byte[] body = await r.Content.ReadAsByteArrayAsync(ct);
        EnsureOk(r, body);
        var token = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("/auth/token answered no object");
        AccessToken = token["access_token"]?.GetValue<string>() ?? throw new FormatException("/auth/token answered no access_token");
        TokenType = token["token_type"]?.GetValue<string>() ?? "Bearer";
    }

    /// <summary><c>GET /auth/token/valid</c>: only the status matters to the extension.</summary>
    public async Task<bool> TokenValidAsync(CancellationToken ct = default)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, "/auth/token/valid"));
        using var r = await http.SendAsync(request, ct);
        return r.StatusCode == HttpStatusCode.OK;
    }

    public async Task<bool> AuthEnabledAsync(CancellationToken ct = default)
    {
        using var r = await http.GetAsync("/auth/", ct);
        if (r.StatusCode != HttpStatusCode.OK) return false;
        var j = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct)) as JsonObject;
        return j?["enabled"]?.GetValue<bool>() ?? false;
    }

    public async Task<InfoDto> InfoAsync(CancellationToken ct = default) =>
        JsonSerializer.Deserialize<InfoDto>(await SendJsonAsync(HttpMethod.Get, "/info/", null, ct))
        ?? throw new FormatException("/info/ answered null");

    public async Task<JsonObject> NextSampleAsync(string strategy, JsonObject? parameters = null, CancellationToken ct = default) =>
        AsObject(await SendJsonAsync(HttpMethod.Post, $"/activelearning/{QuotePlus.Encode(strategy)}", WithClientId(parameters), ct));

    /// <summary>The deprecated spelling the extension uses for uploads: <c>PUT /datastore/?image=</c>.</summary>
    public async Task<JsonObject> UploadImageAsync(string imagePath, string imageId, JsonObject? parameters = null, CancellationToken ct = default) =>
        AsObject(await SendMultipartAsync(HttpMethod.Put, $"/datastore/?image={QuotePlus.Encode(imageId)}",
            new() { ["params"] = WithClientId(parameters).ToJsonString() }, new() { ["file"] = imagePath }, ct));

    public async Task<JsonObject> SaveLabelAsync(string imageId, string labelPath, string? tag = null, JsonObject? parameters = null, CancellationToken ct = default)
    {
        string path = $"/datastore/label?image={QuotePlus.Encode(imageId)}";
        if (!string.IsNullOrEmpty(tag)) path += $"&tag={QuotePlus.Encode(tag)}";
        return AsObject(await SendMultipartAsync(HttpMethod.Put, path,
            new() { ["params"] = WithClientId(parameters).ToJsonString() }, new() { ["label"] = labelPath }, ct));
    }

    public async Task<JsonObject> DatastoreAsync(CancellationToken ct = default) =>
        AsObject(await SendJsonAsync(HttpMethod.Get, "/datastore/?output=all", null, ct));

    public Task<DownloadedFile> DownloadLabelAsync(string labelId, string tag, CancellationToken ct = default) =>
        DownloadAsync($"/datastore/label?label={QuotePlus.Encode(labelId)}&tag={QuotePlus.Encode(tag)}", authorized: true, ct);

    /// <summary>The next-sample download (Slicer's SampleData fetches it without any auth header).</summary>
    public Task<DownloadedFile> DownloadImageAsync(string imageId, CancellationToken ct = default) =>
        DownloadAsync($"/datastore/image?image={QuotePlus.Encode(imageId)}", authorized: false, ct);

    /// <summary>Runs a model. Like the extension, requires a multipart answer and keeps the params field
    /// and the first part that has a filename.</summary>
    public async Task<InferOutput> InferAsync(string model, string imageId, JsonObject? parameters = null,
        string? labelIn = null, string? file = null, string? sessionId = null, CancellationToken ct = default)
    {
        string path = $"/infer/{QuotePlus.Encode(model)}?image={QuotePlus.Encode(imageId)}";
        if (!string.IsNullOrEmpty(sessionId)) path += $"&session_id={QuotePlus.Encode(sessionId)}";
        var files = new Dictionary<string, string>();
        if (labelIn is not null) files["label"] = labelIn;
        if (file is not null && sessionId is null) files["file"] = file;
        using var request = MultipartRequest(HttpMethod.Post, path,
            new() { ["params"] = WithClientId(parameters).ToJsonString() }, files);
        using var r = await http.SendAsync(Authorized(request), HttpCompletionOption.ResponseContentRead, ct);
        byte[] body = await r.Content.ReadAsByteArrayAsync(ct);
        EnsureOk(r, body);
        string contentType = r.Content.Headers.ContentType?.ToString() ?? SlicerMultipartEncoder.ContentType;
        if (!contentType.Contains("multipart", StringComparison.OrdinalIgnoreCase))
            throw new MonaiLabelClientException(r.StatusCode, $"infer answered '{contentType}', the extension needs multipart", Encoding.UTF8.GetString(body));
        if (r.Content.Headers.ContentLength is not long length || length != body.Length)
            throw new MonaiLabelClientException(r.StatusCode, "infer answer without an exact Content-Length", "");

        JsonObject? form = null;
        InferOutput? output = null;
        foreach (var part in MultipartParser.Parse(contentType, body))
        {
            if (part.FileName is { Length: > 0 } name)
                output ??= new InferOutput([], name, part.Data);
            else if (part.Name == "params")
                form = JsonNode.Parse(part.Data) as JsonObject ?? throw new FormatException("params part is not a JSON object");
        }
        if (output is null) throw new MonaiLabelClientException(r.StatusCode, "infer answer has no file part", "");
        return output with { Params = form ?? [] };
    }

    public async Task<JsonObject> TrainStartAsync(string model, JsonObject? parameters = null, CancellationToken ct = default) =>
        AsObject(await SendJsonAsync(HttpMethod.Post, string.IsNullOrEmpty(model) ? "/train/" : $"/train/{QuotePlus.Encode(model)}", WithClientId(parameters), ct));

    /// <summary>The extension's running probe: only the status code matters (200 = running).</summary>
    public async Task<bool> TrainIsRunningAsync(CancellationToken ct = default)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, "/train/?check_if_running=true"));
        using var r = await http.SendAsync(request, ct);
        return r.StatusCode == HttpStatusCode.OK;
    }

    public async Task<JsonObject> TrainStatusAsync(CancellationToken ct = default) =>
        AsObject(await SendJsonAsync(HttpMethod.Get, "/train/", null, ct));

    /// <summary><c>DELETE /train/</c>: the stopped task, or null when nothing was running.</summary>
    public async Task<JsonObject?> TrainStopAsync(CancellationToken ct = default) =>
        await SendJsonAsync(HttpMethod.Delete, "/train/", null, ct) as JsonObject;

    /// <summary><c>PUT /session/</c> as the client's <c>http_upload</c> does: requests-style multipart with field <c>files</c>.</summary>
    public async Task<CreateSessionDto> CreateSessionAsync(string imagePath, CancellationToken ct = default)
    {
        using var form = new MultipartFormDataContent();
        var fileContent = new ByteArrayContent(await File.ReadAllBytesAsync(imagePath, ct));
        form.Add(fileContent, "files", Path.GetFileName(imagePath));
        form.Add(new StringContent(ClientId), "client_id");
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Put, "/session/") { Content = form });
        using var r = await http.SendAsync(request, ct);
        string body = await r.Content.ReadAsStringAsync(ct);
        EnsureOk(r, Encoding.UTF8.GetBytes(body));
        return JsonSerializer.Deserialize<CreateSessionDto>(body) ?? throw new FormatException("session answer is null");
    }

    public async Task<SessionInfoDto> GetSessionAsync(string sessionId, CancellationToken ct = default) =>
        JsonSerializer.Deserialize<SessionInfoDto>(await SendJsonAsync(HttpMethod.Get, $"/session/{QuotePlus.Encode(sessionId)}", null, ct))
        ?? throw new FormatException("session answer is null");

    public async Task<JsonNode?> RemoveSessionAsync(string sessionId, CancellationToken ct = default) =>
        await SendJsonAsync(HttpMethod.Delete, $"/session/{QuotePlus.Encode(sessionId)}", null, ct);

    private JsonObject WithClientId(JsonObject? parameters)
    {
        var p = parameters?.DeepClone().AsObject() ?? [];
        p["client_id"] = ClientId;
        return p;
    }

    private async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()))
            { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var r = await http.SendAsync(Authorized(request), ct);
        byte[] bytes = await r.Content.ReadAsByteArrayAsync(ct);
        EnsureOk(r, bytes);
        return bytes.Length == 0 ? null : JsonNode.Parse(bytes);
    }

    private async Task<JsonNode?> SendMultipartAsync(HttpMethod method, string path, Dictionary<string, string> fields,
        Dictionary<string, string> files, CancellationToken ct)
    {
        using var request = MultipartRequest(method, path, fields, files);
        using var r = await http.SendAsync(Authorized(request), ct);
        byte[] bytes = await r.Content.ReadAsByteArrayAsync(ct);
        EnsureOk(r, bytes);
        // The extension falls back to the REQUEST's content type when the answer has none and then fails
        // to parse JSON as multipart: an answer without Content-Type is a server bug.
        if (r.Content.Headers.ContentType is null)
            throw new MonaiLabelClientException(r.StatusCode, "answer without Content-Type", Encoding.UTF8.GetString(bytes));
        return bytes.Length == 0 ? null : JsonNode.Parse(bytes);
    }

    private static HttpRequestMessage MultipartRequest(HttpMethod method, string path, Dictionary<string, string> fields,
        Dictionary<string, string> files)
    {
        var content = new ByteArrayContent(SlicerMultipartEncoder.Encode(fields, files));
        content.Headers.TryAddWithoutValidation("Content-Type", SlicerMultipartEncoder.ContentType);
        return new HttpRequestMessage(method, path) { Content = content };
    }

    private async Task<DownloadedFile> DownloadAsync(string path, bool authorized, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var r = await http.SendAsync(authorized ? Authorized(request) : request, ct);
        byte[] bytes = await r.Content.ReadAsByteArrayAsync(ct);
        EnsureOk(r, bytes);
        string? disposition = r.Content.Headers.TryGetValues("Content-Disposition", out var values) ? string.Join(", ", values) : null;
        return new DownloadedFile(DownloadFileName.FromContentDisposition(disposition), bytes);
    }

    /// <summary>Adds the header exactly as the extension writes it: <c>Authorization: &lt;token_type&gt; &lt;access_token&gt;</c>.</summary>
    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (AccessToken is not null) request.Headers.TryAddWithoutValidation("Authorization", $"{TokenType} {AccessToken}");
        return request;
    }

    private static void EnsureOk(HttpResponseMessage r, byte[] body)
    {
        if (r.StatusCode != HttpStatusCode.OK)
            throw new MonaiLabelClientException(r.StatusCode, "request failed", Encoding.UTF8.GetString(body));
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw new FormatException($"expected a JSON object, got {node?.ToJsonString() ?? "null"}");
}
