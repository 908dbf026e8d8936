using System.Net;
using System.Text.RegularExpressions;
using CtSegLabel.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>The route table: complete, and enforced over HTTP route by route.</summary>
public sealed partial class RouteRolesTests
{
    private static List<(string Method, RouteEndpoint Endpoint)> Endpoints(ServerHarness server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any)"]).Select(m => (m, e)))
            .ToList();

    [Fact]
    public async Task Every_endpoint_has_an_entry_in_the_route_table_and_got_its_access_level()
    {
        await using var server = new ServerHarness();
        _ = await server.Http.GetAsync("/"); // builds the endpoints
        var endpoints = Endpoints(server);
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints");
        var missing = endpoints.Where(x => !RouteRoles.Table.ContainsKey(RouteRoles.Key(x.Method, x.Endpoint.RoutePattern.RawText)))
            .Select(x => RouteRoles.Key(x.Method, x.Endpoint.RoutePattern.RawText)).ToList();
        Assert.True(missing.Count == 0, "endpoints without a RouteRoles entry: " + string.Join("; ", missing));
        foreach (var (method, endpoint) in endpoints.Where(x => x.Endpoint.RoutePattern.RawText is { } p && !p.StartsWith("/docs") && !p.StartsWith("/openapi")))
            Assert.Equal(RouteRoles.Table[RouteRoles.Key(method, endpoint.RoutePattern.RawText)], endpoint.Metadata.GetMetadata<RouteAccess>()?.Level);
        // And no entry names a route that does not exist (a renamed route would leave a stale, misleading line).
        var existing = endpoints.Select(x => RouteRoles.Key(x.Method, x.Endpoint.RoutePattern.RawText)).ToHashSet();
        var stale = RouteRoles.Table.Keys.Where(k => !existing.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "RouteRoles entries without a route: " + string.Join("; ", stale));
    }

    [Fact]
    public async Task Each_protected_route_refuses_a_token_holding_every_role_but_its_own_and_one_without_token()
    {
        using var minter = new TokenMinter();
        await using var server = AuthServers.WithKeysFile(minter);
        _ = await server.Http.GetAsync("/");
        foreach (var (method, endpoint) in Endpoints(server))
        {
            string key = RouteRoles.Key(method, endpoint.RoutePattern.RawText);
            if (!RouteRoles.Table.TryGetValue(key, out var level) || level == AccessLevel.Open) continue;
            string role = level switch
            {
                AccessLevel.User or AccessLevel.UserOrSampleGrant => "monailabel-user",
                AccessLevel.Annotator => "monailabel-annotator",
                AccessLevel.Reviewer => "monailabel-reviewer",
                _ => "monailabel-admin",
            };
            string path = Concrete(endpoint.RoutePattern.RawText!);
            // MONAI Label checks the named role only: even an admin without it is refused.
            string token = minter.Token("mallory", AuthServers.AllRoles.Where(r => r != role).ToArray());
            var forbidden = await server.SendAsync(new HttpMethod(method), path, token);
            Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden, $"{key}: {(int)forbidden.StatusCode} for a token without {role}");
            if (method != "HEAD")
                Assert.Equal($"Role \"{role}\" is required to perform this action", await forbidden.AssertDetailAsync(HttpStatusCode.Forbidden));
            var anonymous = await server.SendAsync(new HttpMethod(method), path, null);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{key}: {(int)anonymous.StatusCode} without a token");
        }
    }

    [Fact]
    public async Task A_user_token_is_refused_on_admin_and_annotator_routes_and_served_on_user_routes()
    {
        using var minter = new TokenMinter();
        await using var server = AuthServers.WithKeysFile(minter);
        string user = minter.Token("ulla", "monailabel-user");
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/datastore/?output=stats", user)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/datastore/image/info?image=none", user)).StatusCode);
        Assert.Equal("Role \"monailabel-admin\" is required to perform this action",
            await (await server.SendAsync(HttpMethod.Get, "/logs/?lines=5", user)).AssertDetailAsync(HttpStatusCode.Forbidden));
        Assert.Equal("Role \"monailabel-admin\" is required to perform this action",
            await (await server.SendAsync(HttpMethod.Post, "/train/threshold_bones", user, Http.JsonBody("{}"))).AssertDetailAsync(HttpStatusCode.Forbidden));
        Assert.Equal("Role \"monailabel-annotator\" is required to perform this action",
            await (await server.SendAsync(HttpMethod.Get, "/datastore/dataset", user)).AssertDetailAsync(HttpStatusCode.Forbidden));
        string admin = minter.Token("adam", "monailabel-admin");
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/logs/?lines=5", admin)).StatusCode);
    }

    [Fact]
    public async Task Open_routes_answer_without_a_token_when_auth_is_on()
    {
        using var minter = new TokenMinter();
        await using var server = AuthServers.WithKeysFile(minter);
        foreach (string path in new[] { "/", "/auth/", "/openapi.json", "/openapi/v1.json" })
            Assert.True((await server.Http.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
    }

    private static string Concrete(string pattern) => Parameter().Replace(pattern, "x").Replace("//", "/");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
