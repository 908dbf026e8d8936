namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>A bearer token that does not authenticate anyone. The reason goes to the log only: the client always gets
/// MONAI Label's "Could not validate credentials" (telling an attacker which check failed helps nobody else).</summary>
public sealed class TokenRejectedException(string reason) : Exception(reason);
