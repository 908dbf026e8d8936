using System.Net;
using CtSegLabel.Server.Auth;
using CtSegLabel.Server.Tests.Workers;

namespace CtSegLabel.Server.Tests.Auth;

public sealed class AuthStartupTests
{
    [Fact]
    public async Task A_non_loopback_host_without_auth_stops_the_server_with_exit_2_naming_both_fixes()
    {
        var (code, output) = await ProcessCluster.RunServerToExitAsync("--host", "0.0.0.0");
        Assert.Equal(2, code);
        Assert.Contains("--host 0.0.0.0", output);
        Assert.Contains("--auth-enabled true", output);
        Assert.Contains("--Server:AllowRemoteWithoutAuth=true", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Allowing_remote_access_without_auth_explicitly_starts()
    {
        await using var server = new ServerHarness(settings: new Dictionary<string, string?>
        {
            ["Server:Host"] = "0.0.0.0",
            ["Server:AllowRemoteWithoutAuth"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/info/")).StatusCode);
    }

    [Fact]
    public async Task Auth_on_without_an_issuer_or_with_a_private_key_file_exits_2_naming_the_option()
    {
        var (code, output) = await ProcessCluster.RunServerToExitAsync("--auth-enabled", "true");
        Assert.Equal(2, code);
        Assert.Contains("--auth-issuer", output);
        string keys = Path.Combine(Path.GetTempPath(), $"ctseg-badkeys-{Guid.NewGuid():N}.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048)) File.WriteAllText(keys, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            (code, output) = await ProcessCluster.RunServerToExitAsync("--auth-enabled", "true", "--auth-issuer", TokenMinter.Issuer, "--auth-keys-file", keys);
            Assert.Equal(2, code);
            Assert.Contains("--auth-keys-file", output);
            Assert.Contains("PUBLIC KEY", output);
        }
        finally
        {
            File.Delete(keys);
        }
    }

    [Fact]
    public async Task A_PEM_public_key_file_is_accepted()
    {
        using var minter = new TokenMinter();
        string keys = Path.Combine(Path.GetTempPath(), $"ctseg-pem-{Guid.NewGuid():N}.pem");
        File.WriteAllText(keys, minter.Rsa.ExportSubjectPublicKeyInfoPem() + "\n" + minter.Ec.ExportSubjectPublicKeyInfoPem());
        try
        {
            await using var server = new ServerHarness(settings: new Dictionary<string, string?>
            {
                ["Server:Auth:Enabled"] = "true",
                ["Server:Auth:Issuer"] = TokenMinter.Issuer,
                ["Server:Auth:KeysFile"] = keys,
            });
            Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", minter.Token("a", "monailabel-user"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/info/", minter.Sign(minter.Claims("a", "monailabel-user"), "ES256"))).StatusCode);
        }
        finally
        {
            File.Delete(keys);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("*", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("ctseg.hospital.org", false)]
    public void Loopback_hosts_are_recognised(string host, bool loopback) => Assert.Equal(loopback, AuthStartupCheck.IsLoopback(host));
}
