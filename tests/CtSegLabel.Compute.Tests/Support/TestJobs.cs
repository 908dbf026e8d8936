using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;

namespace CtSegLabel.Compute.Tests.Support;

/// <summary>Jobs, timings and waits shared by the broker tests.</summary>
internal static class TestJobs
{
    public const string Target = "echo";

    /// <summary>How long a test waits for anything before it fails: far beyond what a job needs, so a slow CI machine
    /// only makes a test slower, never red.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Heartbeats fast enough that a dead worker is noticed in four seconds. Forty intervals of liveness, not
    /// the Guide's three: on a loaded 2-core CI machine a thread can stall for 0.5–2 s, and NetMQ's poller runs its
    /// timers (the expiry check) before the socket events that a stall left waiting, so a live peer declared dead would
    /// make the tests that count attempts or workers flaky.</summary>
    public static readonly HeartbeatSettings Heartbeat = new()
    {
        Interval = TimeSpan.FromMilliseconds(100),
        Liveness = 40,
        ReconnectInitial = TimeSpan.FromMilliseconds(100),
        ReconnectMax = TimeSpan.FromMilliseconds(400),
    };

    public static JobRequest Infer(string target = Target, byte[]? payload = null, int n = 0) =>
        new(JobKinds.Infer, target, new JsonObject { ["n"] = n }, payload ?? []);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Patience);

    public static Task Within(this Task task) => task.WaitAsync(Patience);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> when it never does.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
