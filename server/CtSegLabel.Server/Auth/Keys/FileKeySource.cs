using System.Security.Cryptography;
using System.Text.Json;
using CtSegLabel.Server.Auth.Jwt;
using CtSegLabel.Server.Hosting;

namespace CtSegLabel.Server.Auth.Keys;

/// <summary>Signing keys read once from a file: PEM public key(s), or a JWK set as the issuer's jwks_uri serves it
/// (keeps key ids). For sites whose server cannot reach the issuer, and for tests.</summary>
public sealed class FileKeySource : ISigningKeySource, IDisposable
{
    private readonly IReadOnlyList<SigningKey> _keys;

    public FileKeySource(string path, ILogger logger)
    {
        string full = Path.GetFullPath(path);
        try
        {
            string text = File.ReadAllText(full);
            if (text.TrimStart().StartsWith('{'))
            {
                var (keys, skipped) = JsonWebKeys.Parse(System.Text.Encoding.UTF8.GetBytes(text));
                foreach (string s in skipped) logger.LogWarning("Auth keys file {File}: skipped key {Key}", full, s);
                _keys = keys.Count > 0 ? keys : throw new CryptographicException("no usable signature key in the JWK set");
            }
            else
            {
                _keys = PemKeys.Parse(text);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or JsonException or FormatException)
        {
            throw new StartupException($"--auth-keys-file {path}: {e.Message}", e);
        }
        logger.LogInformation("Auth: {Count} signing key(s) from {File}", _keys.Count, full);
    }

    public ValueTask<IReadOnlyList<SigningKey>> KeysAsync(string? kid, CancellationToken ct) => ValueTask.FromResult(_keys);

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
    }
}
