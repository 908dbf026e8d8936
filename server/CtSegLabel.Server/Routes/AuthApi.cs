using System.Security.Claims;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Auth;
using CtSegLabel.Server.Auth.Keys;
using CtSegLabel.Server.Errors;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Routes;

/// <summary>
/// <c>/auth/</c>, which Slicer asks before every operation (protocol §2.1–2.3, §7.1). Authentication off (the default):
/// <c>{"enabled": false}</c> and every request is the built-in <c>admin</c> with all roles. On: the issuer and client
/// Slicer logs in with, the password login forwarded to the issuer, and the check of a token. These routes are open
/// (<see cref="RouteRoles"/>): they are how a client without a token gets one.
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/auth").WithTags("Auth").DisableAntiforgery();
        api.MapGet("/", Enabled).WithSummary("Is authentication enabled, and with which issuer (realm) and client?");
        api.MapPost("/token", TokenAsync).Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .WithSummary("Log in: username and password (OAuth2 password form) forwarded to the issuer; answers access_token and token_type");
        api.MapGet("/token/valid", Valid).WithSummary("The user the bearer token stands for (401 when it is missing or invalid)");
        return routes;
    }

    public static IResult Enabled(IOptions<AuthOptions> options)
    {
        var o = options.Value;
        return TypedResults.Ok(o.Enabled
            ? new JsonObject { ["enabled"] = true, ["client_id"] = o.ClientId, ["realm"] = o.IssuerTrimmed }
            : new JsonObject { ["enabled"] = false, ["client_id"] = null, ["realm"] = null });
    }

    public static async Task<IResult> TokenAsync(HttpRequest request, IOptions<AuthOptions> options, IssuerClient issuer, CancellationToken ct)
    {
        if (!options.Value.Enabled) throw ApiException.NotFound("Authentication is not enabled on this server; no token is needed");
        if (!request.HasFormContentType)
            return Invalid(["body"], "the login is an application/x-www-form-urlencoded form: username, password, grant_type=password");
        var form = await request.ReadFormAsync(ct);
        var missing = new[] { "username", "password" }.Where(f => string.IsNullOrEmpty(form[f].ToString())).ToList();
        if (missing.Count > 0) return TypedResults.Json(new ValidationErrorDto(missing.Select(f => new ValidationItemDto(["body", f], "Field required", "missing")).ToList()),
            statusCode: StatusCodes.Status422UnprocessableEntity);
        if (form["grant_type"].ToString() is { Length: > 0 } grant && grant != "password")
            return Invalid(["body", "grant_type"], "String should match pattern '^password$'");

        var token = await issuer.PasswordGrantAsync(form["username"].ToString(), form["password"].ToString(), form["scope"].ToString(), ct);
        return TypedResults.Ok(new JsonObject { ["access_token"] = token.AccessToken, ["token_type"] = token.TokenType });
    }

    public static IResult Valid(ClaimsPrincipal principal) =>
        AuthUser.FromPrincipal(principal) is { } user
            ? TypedResults.Ok(new JsonObject
            {
                ["username"] = user.Username,
                ["email"] = user.Email,
                ["name"] = user.Name,
                ["roles"] = new JsonArray(user.Roles.Select(r => (JsonNode?)r).ToArray()),
            })
            : new Unauthorized();

    private static IResult Invalid(string[] loc, string message) =>
        TypedResults.Json(new ValidationErrorDto([new ValidationItemDto(loc, message, "value_error")]), statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>MONAI Label's 401 for a missing or invalid token on this self-checking route.</summary>
    private sealed class Unauthorized : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => AuthFailureWriter.WriteUnauthorizedAsync(httpContext);
    }
}
