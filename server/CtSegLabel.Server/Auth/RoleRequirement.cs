using Microsoft.AspNetCore.Authorization;

namespace CtSegLabel.Server.Auth;

/// <summary>The route needs <paramref name="Role"/> exactly (MONAI Label's <c>_validate_role</c>: membership, no hierarchy);
/// <paramref name="SampleGrant"/> also lets through a tokenless download the next-sample grant covers.</summary>
public sealed record RoleRequirement(string Role, bool SampleGrant) : IAuthorizationRequirement;

public sealed class RoleRequirementHandler(SampleDownloadGrants grants) : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(requirement.Role))
            context.Succeed(requirement);
        else if (requirement.SampleGrant && context.Resource is HttpContext http && BearerTokenHandler.BearerToken(http.Request) is null
                 && http.Request.Query["image"].ToString() is { Length: > 0 } image && grants.TryUse(http.Connection.RemoteIpAddress, image))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
