using System.Text.Json.Nodes;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;

namespace CtSegLabel.Server.Routes;

/// <summary>
/// <c>/auth/</c>: this server runs without authentication, as MONAI Label does by default. Clients ask
/// <c>GET /auth/</c> before every operation and treat <c>{"enabled": false}</c> as "no token needed";
/// every request then acts as the built-in user <c>admin</c> with all roles.
/// </summary>
public static class AuthApi
{
    private static readonly string[] Roles = ["monailabel-user", "monailabel-annotator", "monailabel-reviewer", "monailabel-admin"];

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/auth").WithTags("Auth").DisableAntiforgery();
        api.MapGet("/", () => TypedResults.Ok(new JsonObject { ["enabled"] = false, ["client_id"] = null, ["realm"] = null }))
            .WithSummary("Is authentication enabled? (no)");
        api.MapPost("/token", TokenUnavailable)
            .WithSummary("Obtain a token (not available: authentication is disabled)");
        api.MapGet("/token/valid", () => TypedResults.Ok(new JsonObject
        {
            ["username"] = LocalDatastore.User,
            ["email"] = null,
            ["name"] = LocalDatastore.User,
            ["roles"] = new JsonArray(Roles.Select(r => (JsonNode?)r).ToArray()),
        })).WithSummary("The user requests act as (always the built-in admin: authentication is disabled)");
        return routes;
    }

    public static IResult TokenUnavailable() =>
        throw ApiException.NotFound("Authentication is not enabled on this server; no token is needed");
}
