using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CtSegLabel.Server.Errors;

namespace CtSegLabel.Server.Auth.Keys;

/// <summary>
/// Talks to the token issuer (Keycloak realm or any OIDC provider): its discovery document
/// (<c>&lt;issuer&gt;/.well-known/openid-configuration</c>, cached once read), its JWK set, and its token endpoint for
/// the password grant Slicer's login uses. Every call has a timeout; a failure is a 502 naming the issuer.
/// </summary>
public sealed class IssuerClient : IDisposable
{
    private readonly AuthOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Discovery? _discovery;

    public IssuerClient(AuthOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(Math.Max(1, options.IssuerTimeoutSeconds)),
        };
    }

    public string Issuer => _options.IssuerTrimmed ?? "";

    public sealed record Discovery(string JwksUri, string TokenEndpoint);

    /// <summary>What a successful password grant returns to the client (MONAI Label's Token model).</summary>
    public sealed record TokenAnswer(string AccessToken, string TokenType);

    public async Task<Discovery> DiscoveryAsync(CancellationToken ct)
    {
        if (_discovery is { } known) return known;
        await _gate.WaitAsync(ct);
        try
        {
            if (_discovery is { } again) return again;
            string url = Issuer + "/.well-known/openid-configuration";
            using var doc = JsonDocument.Parse(await GetBytesAsync(url, ct));
            var root = doc.RootElement;
            string? issuer = Text(root, "issuer");
            // OIDC Discovery §4.3: the document must name the issuer it was fetched for; another one means a misconfiguration
            // (or a spoofed document), and its keys must not be trusted for this issuer's tokens.
            if (issuer is null || issuer.TrimEnd('/') != Issuer)
                throw Unavailable($"{url} names issuer '{issuer}', not the configured {Issuer}");
            _discovery = new Discovery(
                Text(root, "jwks_uri") ?? throw Unavailable($"{url} has no jwks_uri"),
                Text(root, "token_endpoint") ?? throw Unavailable($"{url} has no token_endpoint"));
            return _discovery;
        }
        catch (JsonException e)
        {
            throw Unavailable($"the discovery document of {Issuer} is not JSON: {e.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<byte[]> JwksAsync(CancellationToken ct) => await GetBytesAsync((await DiscoveryAsync(ct)).JwksUri, ct);

    /// <summary>The OAuth2 password grant with this server's client id (and secret, for a confidential client).
    /// Wrong credentials → 401; an issuer that cannot be reached or answers nonsense → 502.</summary>
    public async Task<TokenAnswer> PasswordGrantAsync(string username, string password, string? scope, CancellationToken ct)
    {
        string endpoint = (await DiscoveryAsync(ct)).TokenEndpoint;
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "password"), new("client_id", _options.ClientId), new("username", username), new("password", password),
        };
        if (!string.IsNullOrEmpty(_options.ClientSecret)) form.Add(new("client_secret", _options.ClientSecret));
        if (!string.IsNullOrEmpty(scope)) form.Add(new("scope", scope));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await SendAsync(request, endpoint, ct);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
            throw new ApiException(StatusCodes.Status401Unauthorized, $"The issuer {Issuer} refused the login: {OAuthError(body)}");
        if (!response.IsSuccessStatusCode)
            throw Unavailable($"the token endpoint {endpoint} answered {(int)response.StatusCode}: {OAuthError(body)}");
        try
        {
            using var doc = JsonDocument.Parse(body);
            return new TokenAnswer(
                Text(doc.RootElement, "access_token") ?? throw Unavailable($"the token endpoint {endpoint} answered without access_token"),
                Text(doc.RootElement, "token_type") ?? "Bearer");
        }
        catch (JsonException)
        {
            throw Unavailable($"the token endpoint {endpoint} answered something that is not JSON");
        }
    }

    private async Task<byte[]> GetBytesAsync(string url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SendAsync(request, url, ct);
        if (!response.IsSuccessStatusCode) throw Unavailable($"{url} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string url, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable($"{url} cannot be reached: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Unavailable($"{url} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    private static string OAuthError(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return Text(doc.RootElement, "error_description") ?? Text(doc.RootElement, "error") ?? "no reason given";
        }
        catch (JsonException)
        {
            return "no reason given";
        }
    }

    private ApiException Unavailable(string what) =>
        new(StatusCodes.Status502BadGateway, $"The token issuer {Issuer} is not usable: {what}");

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
