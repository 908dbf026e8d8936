using System.Security.Claims;

namespace CtSegLabel.Server.Auth;

/// <summary>The user name routes record in the datastore (<c>info["user"]</c>): the token's user, or MONAI Label's
/// built-in <c>admin</c> when authentication is off.</summary>
public static class RequestUser
{
    public const string Anonymous = "admin";

    public static string Name(ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Anonymous;
}
