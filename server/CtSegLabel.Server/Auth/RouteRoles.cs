using Microsoft.AspNetCore.Authorization;

namespace CtSegLabel.Server.Auth;

/// <summary>
/// THE table of what each route requires (protocol §1.6, MONAI Label's <c>Depends(get_*_user)</c> per route), applied to
/// every MONAI Label route in one place (<see cref="RequireRouteRoles"/>). A route missing here is not left open: it
/// requires the admin role, and a test fails until the table names it.
/// </summary>
public static class RouteRoles
{
    /// <summary>Key: "METHOD pattern", the pattern as routing spells it without a trailing slash.</summary>
    public static readonly IReadOnlyDictionary<string, AccessLevel> Table = new Dictionary<string, AccessLevel>(StringComparer.Ordinal)
    {
        ["GET /"] = AccessLevel.Open,
        ["GET /docs/{documentName?}"] = AccessLevel.Open,
        ["GET /docs/scalar.js"] = AccessLevel.Open,
        ["GET /docs/scalar.aspnetcore.js"] = AccessLevel.Open,
        ["GET /docs/favicon.svg"] = AccessLevel.Open,
        ["GET /openapi/{documentName}.json"] = AccessLevel.Open,
        ["GET /openapi.json"] = AccessLevel.Open,
        // Slicer asks these before it has a token; /auth/token/valid checks the token itself.
        ["GET /auth"] = AccessLevel.Open,
        ["POST /auth/token"] = AccessLevel.Open,
        ["GET /auth/token/valid"] = AccessLevel.Open,

        ["POST /reload"] = AccessLevel.Admin,
        ["GET /info"] = AccessLevel.User,

        ["GET /model/info/{model}"] = AccessLevel.Admin,
        ["GET /model/{model}"] = AccessLevel.Admin,
        ["PUT /model/{model}"] = AccessLevel.Annotator,
        ["DELETE /model/{model}"] = AccessLevel.Annotator,
        ["GET /model/{model}/versions"] = AccessLevel.Admin,
        ["PUT /model/{model}/versions/current"] = AccessLevel.Admin,

        ["POST /infer/{model}"] = AccessLevel.User,
        ["POST /infer/wsi/{model}"] = AccessLevel.User,
        ["POST /infer/wsi_v2/{model}"] = AccessLevel.User,

        ["GET /batch/infer"] = AccessLevel.User,
        ["POST /batch/infer/{model}"] = AccessLevel.Admin,
        ["DELETE /batch/infer"] = AccessLevel.Admin,

        ["GET /train"] = AccessLevel.User,
        ["POST /train/{model}"] = AccessLevel.Admin,
        ["POST /train"] = AccessLevel.Admin,
        ["DELETE /train"] = AccessLevel.Admin,

        ["POST /activelearning/{strategy}"] = AccessLevel.User,

        ["GET /scoring"] = AccessLevel.User,
        ["POST /scoring/{method}"] = AccessLevel.Annotator,
        ["POST /scoring"] = AccessLevel.Annotator,
        ["DELETE /scoring"] = AccessLevel.Annotator,

        ["GET /datastore"] = AccessLevel.User,
        ["PUT /datastore/image"] = AccessLevel.Annotator,
        ["PUT /datastore"] = AccessLevel.Annotator,
        ["DELETE /datastore/image"] = AccessLevel.Admin,
        ["DELETE /datastore"] = AccessLevel.Admin,
        ["HEAD /datastore/image"] = AccessLevel.User,
        ["GET /datastore/image"] = AccessLevel.UserOrSampleGrant,
        ["GET /datastore/image/info"] = AccessLevel.User,
        ["PUT /datastore/image/info"] = AccessLevel.Annotator,
        ["PUT /datastore/label"] = AccessLevel.Annotator,
        ["DELETE /datastore/label"] = AccessLevel.Admin,
        ["HEAD /datastore/label"] = AccessLevel.User,
        ["GET /datastore/label"] = AccessLevel.User,
        ["GET /datastore/label/info"] = AccessLevel.User,
        ["PUT /datastore/label/info"] = AccessLevel.Annotator,
        ["PUT /datastore/updatelabelinfo"] = AccessLevel.Annotator,
        ["GET /datastore/dataset"] = AccessLevel.Annotator,

        ["GET /logs"] = AccessLevel.Admin,
        ["GET /logs/gpu"] = AccessLevel.Admin,

        ["PUT /session"] = AccessLevel.User,
        ["GET /session/{session_id}"] = AccessLevel.User,
        ["DELETE /session/{session_id}"] = AccessLevel.User,
    };

    public static string Key(string method, string? pattern)
    {
        string p = pattern ?? "";
        if (!p.StartsWith('/')) p = "/" + p;
        if (p.Length > 1) p = p.TrimEnd('/');
        return $"{method.ToUpperInvariant()} {p}";
    }

    /// <summary>What an endpoint requires, or null when the table does not name all of its methods.</summary>
    public static AccessLevel? Lookup(IEnumerable<string> methods, string? pattern)
    {
        var levels = methods.Select(m => Table.TryGetValue(Key(m, pattern), out var level) ? level : (AccessLevel?)null).Distinct().ToList();
        return levels.Count == 1 ? levels[0] : null;
    }

    public static string PolicyName(AccessLevel level) => $"ctseg:{level}";

    /// <summary>Adds each endpoint's requirement as authorization metadata (and <see cref="RouteAccess"/> for inspection).</summary>
    public static TBuilder RequireRouteRoles<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route) return;
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            var level = Lookup(methods, route.RoutePattern.RawText) ?? AccessLevel.Admin;
            endpoint.Metadata.Add(new RouteAccess(level));
            if (level != AccessLevel.Open) endpoint.Metadata.Add(new AuthorizeAttribute(PolicyName(level)));
        });
        return builder;
    }
}

/// <summary>Endpoint metadata: the access level <see cref="RouteRoles"/> gave the endpoint.</summary>
public sealed record RouteAccess(AccessLevel Level);
