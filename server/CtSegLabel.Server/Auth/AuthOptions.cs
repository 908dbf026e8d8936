namespace CtSegLabel.Server.Auth;

/// <summary>
/// Authentication settings: section "Server:Auth" (environment <c>Server__Auth__Enabled=true</c>, command line
/// <c>--auth-enabled true --auth-issuer URL</c>, see <see cref="Hosting.CommandLine"/>). Off by default, as in MONAI Label.
/// docs/security.md explains each one and gives a Keycloak example.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Server:Auth";

    public bool Enabled { get; set; }

    /// <summary>The token issuer (for Keycloak the realm URL, <c>https://kc.example/realms/monailabel</c>): every token's
    /// <c>iss</c> must equal it, and without <see cref="KeysFile"/> the signing keys come from its OIDC discovery document.</summary>
    public string? Issuer { get; set; }

    /// <summary>The client <c>POST /auth/token</c> logs in as, and what <c>GET /auth/</c> tells Slicer.</summary>
    public string ClientId { get; set; } = "monailabel-app";

    /// <summary>Secret of a confidential client, sent with the password grant; empty for a public client.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>When set, a token's <c>aud</c> must contain it. Unset = not checked (MONAI Label does not; Keycloak's default is "account").</summary>
    public string? Audience { get; set; }

    /// <summary>Public signing keys from a file instead of the issuer's JWKS (air-gapped sites, tests): PEM public key(s) or JWKS JSON.</summary>
    public string? KeysFile { get; set; }

    /// <summary>Where the roles are in the token; <c>#</c> separates nested objects (MONAI Label's notation).</summary>
    public string RolesClaim { get; set; } = "realm_access#roles";

    /// <summary>The claim naming the user (recorded in the datastore); tokens without it fall back to <c>sub</c>.</summary>
    public string UsernameClaim { get; set; } = "preferred_username";

    /// <summary>Tolerance for clock differences between the issuer and this server when checking exp, nbf and iat.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>Longer tokens are refused unread (a bound on the work an anonymous request causes).</summary>
    public int MaxTokenBytes { get; set; } = 16 * 1024;

    /// <summary>Timeout of every request to the issuer (discovery, keys, token endpoint).</summary>
    public int IssuerTimeoutSeconds { get; set; } = 10;

    /// <summary>A token naming an unknown key id refetches the issuer's keys at most once per this many seconds.</summary>
    public int KeyRefreshSeconds { get; set; } = 30;

    /// <summary>How long after <c>POST /activelearning/...</c> the chosen image may be downloaded without a token by the same
    /// client address (Slicer's sample download sends none); 0 = never.</summary>
    public int SampleDownloadSeconds { get; set; } = 120;

    /// <summary>Tokenless downloads one next-sample answer allows (Slicer may retry a failed download).</summary>
    public int SampleDownloadUses { get; set; } = 3;

    /// <summary>Role names, as MONAI Label's MONAI_LABEL_AUTH_ROLE_* settings.</summary>
    public string RoleUser { get; set; } = "monailabel-user";

    public string RoleAnnotator { get; set; } = "monailabel-annotator";

    public string RoleReviewer { get; set; } = "monailabel-reviewer";

    public string RoleAdmin { get; set; } = "monailabel-admin";

    public string RoleName(AccessLevel level) => level switch
    {
        AccessLevel.User or AccessLevel.UserOrSampleGrant => RoleUser,
        AccessLevel.Annotator => RoleAnnotator,
        AccessLevel.Reviewer => RoleReviewer,
        AccessLevel.Admin => RoleAdmin,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "open routes need no role"),
    };

    public IReadOnlyList<string> AllRoles => [RoleAdmin, RoleReviewer, RoleAnnotator, RoleUser];

    /// <summary>The issuer without a trailing slash (Keycloak's <c>iss</c> has none; a configured one often does).</summary>
    public string? IssuerTrimmed => Issuer?.TrimEnd('/');
}
