using System.Security.Claims;

namespace CtSegLabel.Server.Auth;

/// <summary>Who a request acts as: MONAI Label's <c>User</c> model, also the answer of <c>GET /auth/token/valid</c>.</summary>
public sealed record AuthUser(string Username, string? Email, string? Name, IReadOnlyList<string> Roles)
{
    public const string Scheme = "Bearer";
    private const string NameType = "ctseg:username";
    private const string RoleType = "ctseg:role";
    private const string EmailType = "ctseg:email";
    private const string DisplayType = "ctseg:name";

    /// <summary>With authentication off every request is this user, holding every role (MONAI Label's DEFAULT_USER).</summary>
    public static AuthUser DefaultAdmin(AuthOptions options) => new("admin", null, "admin", options.AllRoles);

    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim> { new(NameType, Username) };
        if (Email is not null) claims.Add(new(EmailType, Email));
        if (Name is not null) claims.Add(new(DisplayType, Name));
        claims.AddRange(Roles.Select(r => new Claim(RoleType, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, NameType, RoleType));
    }

    public static AuthUser? FromPrincipal(ClaimsPrincipal principal) =>
        principal.Identity is { IsAuthenticated: true, Name: { } name }
            ? new AuthUser(name, principal.FindFirst(EmailType)?.Value, principal.FindFirst(DisplayType)?.Value,
                principal.FindAll(RoleType).Select(c => c.Value).ToList())
            : null;
}
