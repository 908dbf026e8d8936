using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>
/// Every endpoint the server maps (enumerated from its EndpointDataSource, so a new route is covered the day it is
/// added), every route and query parameter it reads (found by reflection on the handler: route-pattern parameters,
/// [AsParameters] properties, and the QueryNames that a BindAsync request type must declare), and a list of
/// injection attempts: each must answer 4xx — never 2xx, never 5xx — with a body naming the parameter (its wire
/// name in a 422 item's loc, or its value in a 404's detail) and the problem; and nothing outside the studies
/// folder may appear or disappear.
/// </summary>
public class RouteInjectionTests(ITestOutputHelper output)
{
    /// <summary>Values as the server must see them; <see cref="Raw"/> are also sent unescaped in the query, so that
    /// the server's own decoding produces "../" or NUL.</summary>
    private static readonly string[] Attempts =
    [
        "../../etc/passwd", "../canary.nii.gz", "..%2F..%2F", "%2e%2e/", "%2e%2e%2f", "/abs/path", "C:\\x", "a/b", "a\\b", ".hidden",
        "a\0b", "a\u0007b", "x\r\nX-Injected: 1", new string('a', 10_000), "\uFF0E\uFF0E\uFF0Fetc", "a\u2215b", "\u2025/x",
        "*", "?", "%00", "a:b",
    ];

    private static readonly string[] Raw = ["..%2F..%2F", "%2e%2e/", "%2e%2e%2f", "%00"];

    /// <summary>Framework endpoints serving fixed documents (the OpenAPI JSON, the Scalar page): not ours to validate.</summary>
    private static readonly string[] FrameworkPrefixes = ["/openapi", "/docs"];

    [Fact]
    public async Task Every_route_and_query_parameter_refuses_injection_with_a_4xx_naming_it()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string root = Directory.GetParent(server.Studies)!.FullName;
        File.WriteAllText(Path.Combine(root, "canary.nii.gz"), "canary");
        var before = Snapshot(root);

        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !FrameworkPrefixes.Any(p => (e.RoutePattern.RawText ?? "").StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found");

        var failures = new List<string>();
        int sent = 0, routes = 0, parameters = 0;
        foreach (var endpoint in endpoints)
        {
            var (routeNames, queryNames, takesForm) = ParametersOf(endpoint);
            if (routeNames.Count + queryNames.Count == 0) continue;
            routes++;
            foreach (string method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (string name in routeNames.Concat(queryNames))
                {
                    parameters++;
                    bool inRoute = routeNames.Contains(name);
                    // A NUL in the path never reaches the app: Kestrel answers 400 and the in-memory test server throws.
                    foreach (string attempt in Attempts.Where(a => !inRoute || !a.Contains('\0')))
                        foreach (bool raw in inRoute || !Raw.Contains(attempt) ? [false] : new[] { false, true })
                        {
                            string value = raw ? attempt : Uri.EscapeDataString(attempt);
                            string url = Url(endpoint, routeNames, inRoute ? name : null, value) + (inRoute ? "" : $"?{name}={value}");
                            string seen = raw ? Uri.UnescapeDataString(attempt) : attempt;
                            sent++;
                            if (await CheckAsync(server.Http, method, url, takesForm, name, seen, inRoute ? value : null) is { } problem)
                                failures.Add($"{method} {Short(url)} [{name} = {Printable(seen)}]: {problem}");
                        }
                }
            }
        }
        output.WriteLine($"{routes} endpoints with parameters, {parameters} (method, parameter) pairs, {sent} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answers were wrong:\n" + string.Join("\n", failures.Take(60)));

        Assert.Equal(before, Snapshot(root));
        Assert.Equal("canary", File.ReadAllText(Path.Combine(root, "canary.nii.gz")));
        Assert.True(File.Exists(Path.Combine(server.Studies, "img.nii.gz")), "the image the attempts named must still be there");
    }

    private static async Task<string?> CheckAsync(HttpClient http, string method, string url, bool takesForm, string name, string value, string? routeValue)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (takesForm) request.Content = new MultipartFormDataContent { { new StringContent("{}"), "params" } };
        using var response = await http.SendAsync(request);
        int status = (int)response.StatusCode;
        string text = await response.Content.ReadAsStringAsync();
        if (status is < 400 or >= 500) return $"status {status}: {Trim(text)}";
        if (method == "HEAD") return null; // no body to name anything in
        JsonNode? body;
        try { body = JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return $"status {status} without a JSON body: {Trim(text)}"; }
        if (body?["detail"] is not { } detail) return $"status {status} without detail: {Trim(text)}";
        if (detail is JsonArray items)
        {
            var item = items.OfType<JsonObject>().FirstOrDefault(i => i["loc"] is JsonArray loc && loc.Any(l => l?.GetValue<string>() == name));
            if (item is null) return $"status {status}: no item names '{name}': {Trim(text)}";
            return string.IsNullOrWhiteSpace(item["msg"]?.GetValue<string>()) ? "the item has no message" : null;
        }
        string said = detail.GetValue<string>();
        // A route value arrives decoded except for "%2F", which ASP.NET leaves encoded so that it cannot split the path.
        bool named = said.Contains(value, StringComparison.Ordinal) || said.Contains(value.Replace("/", "%2F"), StringComparison.Ordinal)
                     || (routeValue is not null && said.Contains(routeValue, StringComparison.Ordinal))
                     || said.Contains(name, StringComparison.OrdinalIgnoreCase);
        return named ? null : $"status {status}: detail names neither '{name}' nor its value: {Trim(text)}";
    }

    /// <summary>The route with <paramref name="tested"/> set to <paramref name="value"/> and every other route
    /// parameter to a harmless name.</summary>
    private static string Url(RouteEndpoint endpoint, IReadOnlyCollection<string> routeNames, string? tested, string value)
    {
        string url = endpoint.RoutePattern.RawText!;
        if (!url.StartsWith('/')) url = "/" + url;
        foreach (string name in routeNames)
            url = url.Replace("{" + name + "}", name == tested ? value : "x", StringComparison.Ordinal);
        return url;
    }

    /// <summary>The route and query parameters the endpoint's handler reads, and whether it binds a form.</summary>
    private static (List<string> Route, List<string> Query, bool Form) ParametersOf(RouteEndpoint endpoint)
    {
        var route = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
        var query = new List<string>();
        bool form = false;
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
        Assert.True(handler is not null, $"{endpoint.DisplayName}: no handler method in the metadata");
        foreach (var parameter in handler!.GetParameters())
        {
            var type = parameter.ParameterType;
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in type.GetProperties())
                {
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } q) query.Add(q.Name ?? property.Name);
                    if (property.GetCustomAttribute<FromFormAttribute>() is not null) form = true;
                }
            }
            else if (type.GetMethod("BindAsync", BindingFlags.Public | BindingFlags.Static) is not null)
            {
                var names = type.GetProperty("QueryNames", BindingFlags.Public | BindingFlags.Static);
                Assert.True(names is not null, $"{type.Name} binds itself (BindAsync) but does not declare the QueryNames it reads");
                query.AddRange((IReadOnlyList<string>)names!.GetValue(null)!);
            }
            else if (type == typeof(string) && parameter.GetCustomAttribute<FromServicesAttribute>() is null && !route.Contains(parameter.Name!))
            {
                query.Add(parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name!);
            }
        }
        return (route, query.Distinct().ToList(), form);
    }

    /// <summary>Every path (and file size) under the test's root but the logs: refused attempts change nothing.</summary>
    private static string Snapshot(string root) => string.Join("\n", Directory
        .EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
        .Where(p => !p.StartsWith(Path.Combine(root, "logs"), StringComparison.Ordinal))
        .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length}" : p)
        .Order(StringComparer.Ordinal));

    private static string Short(string url) => url.Length > 120 ? url[..120] + "…" : url;

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Printable(string value) =>
        value.Length > 40 ? $"{value.Length} chars" : string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
