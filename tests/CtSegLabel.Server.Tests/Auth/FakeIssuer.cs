using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>
/// A Keycloak-like realm on a loopback port: the OIDC discovery document, the JWK set (of whichever minter is
/// <see cref="Current"/>; swap it to rotate keys) and a password-grant token endpoint for a fixed set of users.
/// </summary>
public sealed class FakeIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _jwksFetches;

    private FakeIssuer(WebApplication app, string baseUrl)
    {
        _app = app;
        IssuerUrl = baseUrl + "/realms/test";
    }

    public string IssuerUrl { get; }

    public TokenMinter Current { get; set; } = null!;

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>user → (password, roles).</summary>
    public Dictionary<string, (string Password, string[] Roles)> Users { get; } = new();

    public List<IFormCollection> TokenRequests { get; } = [];

    public static async Task<FakeIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeIssuer? issuer = null;
        app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new JsonObject
        {
            ["issuer"] = issuer!.IssuerUrl,
            ["jwks_uri"] = issuer.IssuerUrl + "/protocol/openid-connect/certs",
            ["token_endpoint"] = issuer.IssuerUrl + "/protocol/openid-connect/token",
        }));
        app.MapGet("/realms/test/protocol/openid-connect/certs", () =>
        {
            Interlocked.Increment(ref issuer!._jwksFetches);
            return Results.Text(issuer.Current.Jwks().ToJsonString(), "application/json");
        });
        app.MapPost("/realms/test/protocol/openid-connect/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            lock (issuer!.TokenRequests) issuer.TokenRequests.Add(form);
            if (form["client_id"] != "monailabel-app")
                return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Invalid client or Invalid client credentials" }, statusCode: 401);
            if (form["grant_type"] != "password" || !issuer.Users.TryGetValue(form["username"].ToString(), out var user) || user.Password != form["password"])
                return Results.Json(new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "Invalid user credentials" }, statusCode: 401);
            return Results.Json(new JsonObject
            {
                ["access_token"] = issuer.Current.Token(form["username"].ToString(), user.Roles),
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["refresh_token"] = "not-for-the-client",
            });
        });
        await app.StartAsync();
        issuer = new FakeIssuer(app, app.Urls.First().TrimEnd('/'));
        issuer.Current = new TokenMinter { IssuerUrl = issuer.IssuerUrl };
        return issuer;
    }

    public ServerHarness Server(TimeProvider? clock = null) => new(settings: new Dictionary<string, string?>
    {
        ["Server:Auth:Enabled"] = "true",
        ["Server:Auth:Issuer"] = IssuerUrl + "/",
    }, clock: clock, services: TestClientAddress.Add);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Current.Dispose();
    }
}
