namespace CtSegLabel.Server.Auth;

/// <summary>What a route requires (protocol §1.6). A role is checked exactly, as MONAI Label's RBAC does:
/// the admin role does not imply the others, so an administrator's account carries every role it needs.</summary>
public enum AccessLevel
{
    /// <summary>No token needed (landing page, docs, the /auth/ routes Slicer calls before it has a token).</summary>
    Open,
    User,
    Annotator,
    Reviewer,
    Admin,

    /// <summary>The user role, or — without a token — a short next-sample download grant (<see cref="SampleDownloadGrants"/>).</summary>
    UserOrSampleGrant,
}
