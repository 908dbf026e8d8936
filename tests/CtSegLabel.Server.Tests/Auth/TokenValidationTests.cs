using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>Bearer tokens against GET /info/ (role monailabel-user), with keys from a JWKS file.</summary>
public sealed class TokenValidationTests : IAsyncLifetime
{
    private const string BadCredentials = "Could not validate credentials";
    private readonly ManualClock _clock = new();
    private TokenMinter _minter = null!;
    private ServerHarness _server = null!;

    public Task InitializeAsync()
    {
        _minter = new TokenMinter { Clock = _clock };
        _server = AuthServers.WithKeysFile(_minter, _clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _minter.Dispose();
    }

    private Task<HttpResponseMessage> InfoAsync(string? token) => _server.SendAsync(HttpMethod.Get, "/info/", token);

    [Fact]
    public async Task No_token_is_401_Not_authenticated_with_WWW_Authenticate_Bearer()
    {
        await (await InfoAsync(null)).AssertUnauthorizedAsync("Not authenticated");
        // Another scheme is no bearer token either (FastAPI's OAuth2 scheme says the same).
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/info/");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic YWRtaW46YWRtaW4=");
        await (await _server.Http.SendAsync(basic)).AssertUnauthorizedAsync("Not authenticated");
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    public async Task A_valid_token_with_the_role_gets_the_answer(string alg)
    {
        var r = await InfoAsync(_minter.Sign(_minter.Claims("alice", "monailabel-user"), alg));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("threshold_bones", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_token_type_is_matched_case_insensitively_as_Slicer_sends_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/info/");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + _minter.Token("alice", "monailabel-user"));
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401_but_the_clock_skew_is_tolerated()
    {
        string token = _minter.Token("alice", "monailabel-user");
        _clock.Advance(TimeSpan.FromSeconds(300 + 50)); // 50 s past exp: within the 60 s skew
        Assert.Equal(HttpStatusCode.OK, (await InfoAsync(token)).StatusCode);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await (await InfoAsync(token)).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task A_token_without_exp_is_401()
    {
        await (await InfoAsync(_minter.Sign(_minter.Claims("alice", "monailabel-user").Without("exp")))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task A_token_not_valid_before_a_future_time_is_401()
    {
        var claims = _minter.Claims("alice", "monailabel-user");
        claims["nbf"] = _clock.GetUtcNow().ToUnixTimeSeconds() + 120;
        await (await InfoAsync(_minter.Sign(claims))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_401()
    {
        var claims = _minter.Claims("alice", "monailabel-user");
        claims["iss"] = "https://evil.test/realms/monailabel";
        await (await InfoAsync(_minter.Sign(claims))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_401()
    {
        using var stranger = new TokenMinter { Clock = _clock, RsaKid = _minter.RsaKid, EcKid = _minter.EcKid };
        await (await InfoAsync(stranger.Token("alice", "monailabel-user"))).AssertUnauthorizedAsync(BadCredentials);
        await (await InfoAsync(stranger.Sign(stranger.Claims("alice", "monailabel-user"), "ES256"))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task A_token_whose_payload_was_changed_after_signing_is_401()
    {
        string[] parts = _minter.Token("alice", "monailabel-user").Split('.');
        parts[1] = TokenMinter.B64(_minter.Claims("alice", AuthServers.AllRoles).ToJsonString());
        await (await InfoAsync(string.Join('.', parts))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task Alg_none_is_401()
    {
        await (await InfoAsync(_minter.Sign(_minter.Claims("alice", AuthServers.AllRoles), "none"))).AssertUnauthorizedAsync(BadCredentials);
        string unsigned = _minter.Sign(_minter.Claims("alice", AuthServers.AllRoles), "none", withKid: false);
        await (await InfoAsync(unsigned.TrimEnd('.'))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task HS256_keyed_with_the_public_key_is_401()
    {
        await (await InfoAsync(_minter.Sign(_minter.Claims("alice", AuthServers.AllRoles), "HS256"))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task An_unknown_kid_is_401()
    {
        await (await InfoAsync(_minter.Sign(_minter.Claims("alice", "monailabel-user"), kid: "someone-else"))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.###.$$$")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30=.c2ln")]
    [InlineData("bm90IGpzb24.e30.c2ln")]
    [InlineData("W10.e30.c2ln")]
    public async Task Malformed_tokens_are_401(string token)
    {
        await (await InfoAsync(token)).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task An_oversized_token_is_401()
    {
        var claims = _minter.Claims("alice", "monailabel-user");
        claims["padding"] = new string('x', 20_000);
        await (await InfoAsync(_minter.Sign(claims))).AssertUnauthorizedAsync(BadCredentials);
    }

    [Fact]
    public async Task A_token_without_the_role_is_403_naming_it()
    {
        var r = await InfoAsync(_minter.Token("alice", "monailabel-annotator"));
        Assert.Equal("Role \"monailabel-user\" is required to perform this action", await r.AssertDetailAsync(HttpStatusCode.Forbidden));
        // Roles are read where the configured path says: a flat "roles" claim is not realm_access#roles.
        var flat = _minter.Claims("alice").Without("realm_access");
        flat["roles"] = new JsonArray("monailabel-user");
        await (await InfoAsync(_minter.Sign(flat))).AssertDetailAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_preferred_username_the_user_is_the_subject()
    {
        var r = await _server.SendAsync(HttpMethod.Get, "/auth/token/valid", _minter.Sign(_minter.Claims("alice", "monailabel-user").Without("preferred_username")));
        Assert.Equal("id-alice", (await r.ObjectAsync())["username"]!.GetValue<string>());
    }
}

/// <summary>Options that change what a token must say.</summary>
public sealed class TokenOptionsTests
{
    [Fact]
    public async Task A_configured_audience_is_required_and_a_flat_roles_claim_can_be_configured()
    {
        using var minter = new TokenMinter();
        await using var server = AuthServers.WithKeysFile(minter, extra: new Dictionary<string, string?>
        {
            ["Server:Auth:Audience"] = "monailabel-app",
            ["Server:Auth:RolesClaim"] = "roles",
        });
        var claims = minter.Claims("bob").Without("realm_access");
        claims["roles"] = new JsonArray("monailabel-user");
        await (await server.SendAsync(HttpMethod.Get, "/info/", minter.Sign(claims))).AssertUnauthorizedAsync("Could not validate credentials");
        claims["aud"] = new JsonArray("account", "monailabel-app");
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", minter.Sign(claims))).StatusCode);
    }
}
