using System.Security.Cryptography;

namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>Reads every <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) block of a PEM text: RSA or EC keys, without key ids.</summary>
public static class PemKeys
{
    public static List<SigningKey> Parse(string pem)
    {
        var keys = new List<SigningKey>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.SequenceEqual("PUBLIC KEY"))
            {
                byte[] der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                keys.Add(Import(der));
            }
            else if (label.Contains("PRIVATE", StringComparison.Ordinal))
            {
                // A private key has no business on the server that only verifies.
                throw new CryptographicException($"the file holds a {label}; give the PUBLIC KEY only");
            }
            rest = rest[fields.Location.End.Value..];
        }
        if (keys.Count == 0) throw new CryptographicException("no -----BEGIN PUBLIC KEY----- block");
        return keys;
    }

    private static SigningKey Import(byte[] der)
    {
        var rsa = RSA.Create();
        if (TryImport(rsa, der)) return SigningKey.FromRsa(rsa, null, null);
        rsa.Dispose();
        var ec = ECDsa.Create();
        if (TryImport(ec, der)) return SigningKey.FromEc(ec, null, null);
        ec.Dispose();
        throw new CryptographicException("a PUBLIC KEY block is neither an RSA nor an EC key");
    }

    private static bool TryImport(AsymmetricAlgorithm key, byte[] der)
    {
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out _);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
