using System.Security.Cryptography;

namespace CtSegLabel.Server.Auth.Jwt;

public enum KeyFamily { Rsa, Ec }

/// <summary>
/// The signature algorithms accepted (RFC 7518 §3): asymmetric only. "none" and every HS* are refused: an HMAC
/// "verified" with a key that is public (the classic algorithm-confusion attack) proves nothing, and this server
/// holds no shared secret.
/// </summary>
public sealed record JwsAlgorithm(string Name, KeyFamily Family, HashAlgorithmName Hash, RSASignaturePadding? Padding, int EcKeyBits)
{
    private static readonly JwsAlgorithm[] All =
    [
        new("RS256", KeyFamily.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, 0),
        new("RS384", KeyFamily.Rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1, 0),
        new("RS512", KeyFamily.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1, 0),
        new("PS256", KeyFamily.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss, 0),
        new("PS384", KeyFamily.Rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pss, 0),
        new("PS512", KeyFamily.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pss, 0),
        new("ES256", KeyFamily.Ec, HashAlgorithmName.SHA256, null, 256),
        new("ES384", KeyFamily.Ec, HashAlgorithmName.SHA384, null, 384),
        new("ES512", KeyFamily.Ec, HashAlgorithmName.SHA512, null, 521),
    ];

    /// <summary>The accepted algorithm of that exact name (case matters, RFC 7515 §4.1.1), or null.</summary>
    public static JwsAlgorithm? Find(string? name) => All.FirstOrDefault(a => a.Name == name);
}
