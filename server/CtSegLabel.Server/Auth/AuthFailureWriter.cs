using CtSegLabel.Server.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CtSegLabel.Server.Auth;

/// <summary>
/// MONAI Label's answers when a route's policy fails: no token → 401 <c>{"detail":"Not authenticated"}</c>; a token
/// that does not validate → 401 <c>{"detail":"Could not validate credentials"}</c>, both with <c>WWW-Authenticate:
/// Bearer</c>; a valid token without the route's role → 403 <c>{"detail":"Role \"R\" is required to perform this action"}</c>.
/// </summary>
public sealed class AuthFailureWriter : IAuthorizationMiddlewareResultHandler
{
    public const string NotAuthenticated = "Not authenticated";
    public const string BadCredentials = "Could not validate credentials";

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged) return WriteUnauthorizedAsync(context);
        if (result.Forbidden)
        {
            string role = result.AuthorizationFailure?.FailedRequirements.OfType<RoleRequirement>().FirstOrDefault()?.Role
                ?? policy.Requirements.OfType<RoleRequirement>().First().Role;
            return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status403Forbidden, $"Role \"{role}\" is required to perform this action");
        }
        return next(context);
    }

    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = AuthUser.Scheme;
        return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status401Unauthorized,
            context.Items.ContainsKey(BearerTokenHandler.TokenPresented) ? BadCredentials : NotAuthenticated);
    }
}
