using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Auth;

/// <summary>
/// Slicer downloads the image "Next Sample" chose through its SampleData module, which sends no Authorization header
/// (protocol §7.1). So an authenticated next-sample answer opens a grant: that one image, from the same client
/// address, for <see cref="AuthOptions.SampleDownloadSeconds"/>, at most <see cref="AuthOptions.SampleDownloadUses"/>
/// times. docs/security.md discusses what this exposes.
/// </summary>
public sealed class SampleDownloadGrants(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Address, string Image), Grant> _grants = new();

    private sealed class Grant(DateTimeOffset expires, int uses)
    {
        public DateTimeOffset Expires { get; } = expires;

        public int Uses = uses;
    }

    public bool Enabled => options.Value.Enabled && options.Value.SampleDownloadSeconds > 0 && options.Value.SampleDownloadUses > 0;

    public void Open(IPAddress? client, string image)
    {
        if (!Enabled) return;
        var now = clock.GetUtcNow();
        foreach (var (key, old) in _grants)
            if (old.Expires <= now) _grants.TryRemove(key, out _);
        _grants[(Address(client), image)] = new Grant(now.AddSeconds(options.Value.SampleDownloadSeconds), options.Value.SampleDownloadUses);
    }

    /// <summary>Uses up one download of <paramref name="image"/> by <paramref name="client"/>, if a grant allows it.</summary>
    public bool TryUse(IPAddress? client, string image)
    {
        if (!Enabled || !_grants.TryGetValue((Address(client), image), out var grant)) return false;
        if (grant.Expires <= clock.GetUtcNow()) return false;
        return Interlocked.Decrement(ref grant.Uses) >= 0;
    }

    /// <summary>One spelling per client: an IPv4 client may appear as ::ffff:a.b.c.d on a dual-stack socket.</summary>
    private static string Address(IPAddress? address) =>
        address is null ? "" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
