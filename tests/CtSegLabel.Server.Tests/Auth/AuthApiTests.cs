using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>The /auth/ routes with authentication on, against a fake Keycloak realm.</summary>
public sealed class AuthApiTests
{
    private static FormUrlEncodedContent Login(string user, string password) =>
        new([new("username", user), new("password", password), new("grant_type", "password")]);

    [Fact]
    public async Task Auth_route_names_the_realm_and_client_when_on()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        await using var server = issuer.Server();
        var auth = await (await server.Http.GetAsync("/auth/")).ObjectAsync();
        Assert.True(auth["enabled"]!.GetValue<bool>());
        Assert.Equal("monailabel-app", auth["client_id"]!.GetValue<string>());
        Assert.Equal(issuer.IssuerUrl, auth["realm"]!.GetValue<string>());
        Assert.True(await server.Client.AuthEnabledAsync());
    }

    [Fact]
    public async Task Token_is_forwarded_to_the_realm_token_endpoint_and_the_answer_works()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        issuer.Users["alice"] = ("wonderland", ["monailabel-user", "monailabel-annotator"]);
        await using var server = issuer.Server();

        var token = await (await server.Http.PostAsync("/auth/token", Login("alice", "wonderland"))).ObjectAsync();
        Assert.Equal(["access_token", "token_type"], token.Select(p => p.Key).Order());
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        var forwarded = Assert.Single(issuer.TokenRequests);
        Assert.Equal("monailabel-app", forwarded["client_id"].ToString());
        Assert.Equal("password", forwarded["grant_type"].ToString());

        string jwt = token["access_token"]!.GetValue<string>();
        var valid = await (await server.SendAsync(HttpMethod.Get, "/auth/token/valid", jwt)).ObjectAsync();
        Assert.Equal("alice", valid["username"]!.GetValue<string>());
        Assert.Equal("alice@hospital.test", valid["email"]!.GetValue<string>());
        Assert.Equal(["monailabel-user", "monailabel-annotator"], valid["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", jwt)).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_is_401_with_the_realm_reason_and_bad_forms_are_422()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        issuer.Users["alice"] = ("wonderland", ["monailabel-user"]);
        await using var server = issuer.Server();
        string detail = await (await server.Http.PostAsync("/auth/token", Login("alice", "guess"))).AssertDetailAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Invalid user credentials", detail);
        Assert.Contains(issuer.IssuerUrl, detail);

        using var noPassword = new FormUrlEncodedContent([new("username", "alice")]);
        await (await server.Http.PostAsync("/auth/token", noPassword)).AssertValidationErrorAsync("body", "password");
        using var otherGrant = new FormUrlEncodedContent([new("username", "alice"), new("password", "x"), new("grant_type", "client_credentials")]);
        await (await server.Http.PostAsync("/auth/token", otherGrant)).AssertValidationErrorAsync("body", "grant_type");
    }

    [Fact]
    public async Task Token_valid_is_401_without_or_with_a_bad_token()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        await using var server = issuer.Server();
        await (await server.Http.GetAsync("/auth/token/valid")).AssertUnauthorizedAsync("Not authenticated");
        await (await server.SendAsync(HttpMethod.Get, "/auth/token/valid", "a.b.c")).AssertUnauthorizedAsync("Could not validate credentials");
        Assert.False(await server.Client.TokenValidAsync());
    }

    [Fact]
    public async Task An_unreachable_realm_is_502_naming_it()
    {
        string issuerUrl;
        await using (var gone = await FakeIssuer.StartAsync()) issuerUrl = gone.IssuerUrl; // a port nothing listens on any more
        await using var server = new ServerHarness(settings: new Dictionary<string, string?>
        {
            ["Server:Auth:Enabled"] = "true",
            ["Server:Auth:Issuer"] = issuerUrl,
            ["Server:Auth:IssuerTimeoutSeconds"] = "5",
        });
        string detail = await (await server.Http.PostAsync("/auth/token", Login("alice", "x"))).AssertDetailAsync(HttpStatusCode.BadGateway);
        Assert.Contains(issuerUrl, detail);
        using var minter = new TokenMinter { IssuerUrl = issuerUrl };
        Assert.Contains(issuerUrl, await (await server.SendAsync(HttpMethod.Get, "/info/", minter.Token("alice", "monailabel-user")))
            .AssertDetailAsync(HttpStatusCode.BadGateway));
    }

    [Fact]
    public async Task Keys_come_from_discovery_and_a_rotated_key_is_fetched_once_per_refresh_interval()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        var clock = new ManualClock();
        await using var server = issuer.Server(clock);
        var first = issuer.Current;
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", first.Token("alice", "monailabel-user"))).StatusCode);
        Assert.Equal(1, issuer.JwksFetches);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", first.Token("alice", "monailabel-user"))).StatusCode);
        Assert.Equal(1, issuer.JwksFetches); // cached

        // The realm rotates its keys (new kids). Within the refresh interval an unknown kid does not refetch...
        using var second = new TokenMinter { IssuerUrl = issuer.IssuerUrl };
        issuer.Current = second;
        await (await server.SendAsync(HttpMethod.Get, "/info/", second.Token("alice", "monailabel-user"))).AssertUnauthorizedAsync("Could not validate credentials");
        Assert.Equal(1, issuer.JwksFetches);
        // ...after it, the new kid makes the server fetch the new set once, and then tokens of the new key pass.
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", second.Sign(second.Claims("alice", "monailabel-user"), "ES256"))).StatusCode);
        Assert.Equal(2, issuer.JwksFetches);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", second.Token("alice", "monailabel-user"))).StatusCode);
        // Invented kids cannot make it hammer the realm.
        for (int i = 0; i < 5; i++)
            await (await server.SendAsync(HttpMethod.Get, "/info/", second.Sign(second.Claims("x", "monailabel-user"), kid: $"invented-{i}")))
                .AssertUnauthorizedAsync("Could not validate credentials");
        Assert.Equal(2, issuer.JwksFetches);
        first.Dispose();
    }
}
