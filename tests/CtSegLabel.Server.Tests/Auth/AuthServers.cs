using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>Test servers with authentication on, trusting a <see cref="TokenMinter"/>'s keys from a JWKS file.</summary>
public static class AuthServers
{
    public static readonly string[] AllRoles = ["monailabel-user", "monailabel-annotator", "monailabel-reviewer", "monailabel-admin"];

    public static ServerHarness WithKeysFile(TokenMinter minter, TimeProvider? clock = null, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Server:Auth:Enabled"] = "true",
            ["Server:Auth:Issuer"] = minter.IssuerUrl,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        // The keys file lives beside the studies folder, in the harness's temporary root (removed with it); the
        // settings are read when the server is built, after this callback.
        return new ServerHarness(settings: settings, clock: clock, services: TestClientAddress.Add, beforeStart: studies =>
        {
            string keys = Path.Combine(Path.GetDirectoryName(studies)!, "realm.jwks");
            File.WriteAllText(keys, minter.Jwks().ToJsonString());
            settings["Server:Auth:KeysFile"] = keys;
        });
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(this ServerHarness server, HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = Request(method, path, token, content);
        return await server.Http.SendAsync(request);
    }

    /// <summary>Asserts MONAI Label's 401: exact body and <c>WWW-Authenticate: Bearer</c>.</summary>
    public static async Task AssertUnauthorizedAsync(this HttpResponseMessage r, string detail)
    {
        Assert.Equal(detail, await r.AssertDetailAsync(System.Net.HttpStatusCode.Unauthorized));
        Assert.Equal("Bearer", Assert.Single(r.Headers.WwwAuthenticate).ToString());
    }

    public static JsonObject Without(this JsonObject claims, string name)
    {
        claims.Remove(name);
        return claims;
    }
}
