namespace CtSegLabel.Server.Tests;

/// <summary>A clock the test moves by hand (expiry without sleeping).</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
