using System.Security.Cryptography;

namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>One public key tokens may be signed with: RSA (at least 2048 bits) or EC (P-256, P-384, P-521).</summary>
public sealed class SigningKey : IDisposable
{
    public const int MinRsaBits = 2048;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private SigningKey(string? kid, string? alg, RSA? rsa, ECDsa? ec)
    {
        Kid = kid;
        Alg = alg;
        _rsa = rsa;
        _ec = ec;
    }

    /// <summary>The key id; a key without one matches tokens of any kid (a PEM file cannot name it).</summary>
    public string? Kid { get; }

    /// <summary>The one algorithm the key is meant for, when its JWK says so.</summary>
    public string? Alg { get; }

    public KeyFamily Family => _rsa is not null ? KeyFamily.Rsa : KeyFamily.Ec;

    public static SigningKey FromRsa(RSA rsa, string? kid, string? alg)
    {
        if (rsa.KeySize < MinRsaBits)
        {
            rsa.Dispose();
            throw new CryptographicException($"RSA key of {rsa.KeySize} bits; at least {MinRsaBits} are required");
        }
        return new SigningKey(kid, alg, rsa, null);
    }

    public static SigningKey FromEc(ECDsa ec, string? kid, string? alg)
    {
        if (ec.KeySize is not (256 or 384 or 521))
        {
            ec.Dispose();
            throw new CryptographicException($"EC key of {ec.KeySize} bits; P-256, P-384 or P-521 is required");
        }
        return new SigningKey(kid, alg, null, ec);
    }

    public bool Matches(string? kid, JwsAlgorithm algorithm) =>
        (Kid is null || kid is null || Kid == kid)
        && (Alg is null || Alg == algorithm.Name)
        && Family == algorithm.Family
        && (_ec is null || _ec.KeySize == algorithm.EcKeyBits);

    public bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _rsa is not null
                ? _rsa.VerifyData(signingInput, signature, algorithm.Hash, algorithm.Padding!)
                : _ec!.VerifyData(signingInput, signature, algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
