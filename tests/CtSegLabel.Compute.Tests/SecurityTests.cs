using System.Diagnostics;
using System.Text.Json.Nodes;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Security;
using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>Remote workers: loopback only without keys; with keys, CurveZMQ plus the access token admit a worker.</summary>
public sealed class SecurityTests
{
    [Theory]
    [InlineData("tcp://0.0.0.0:0")]
    [InlineData("tcp://*:0")]
    [InlineData("tcp://10.1.2.3:5557")]
    public void A_non_loopback_endpoint_without_keys_is_refused(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => new ComputeBroker(new BrokerOptions { RemoteEndpoint = endpoint }));
        Assert.Contains(endpoint, error.Message);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5557", true)]
    [InlineData("tcp://127.8.9.10:1", true)]
    [InlineData("tcp://localhost:5557", true)]
    [InlineData("tcp://[::1]:5557", true)]
    [InlineData("tcp://0.0.0.0:5557", false)]
    [InlineData("tcp://192.168.1.20:5557", false)]
    [InlineData("tcp://*:5557", false)]
    [InlineData("tcp://gpu-box:5557", false)]
    public void Loopback_endpoints_are_recognised(string endpoint, bool loopback) =>
        Assert.Equal(loopback, ComputeBroker.IsLoopback(endpoint));

    [Fact]
    public void The_key_file_is_private_and_the_worker_file_holds_only_the_public_key_and_token()
    {
        using var dir = new TestDir();
        string path = Path.Combine(dir.Path, "keys", "workers.key");

        var keys = BrokerKeys.LoadOrCreate(path);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(BrokerKeys.WorkerFileOf(path)));
        }
        var server = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(["server_public", "server_secret", "token"], server.Select(p => p.Key).Order());
        var worker = JsonNode.Parse(File.ReadAllText(BrokerKeys.WorkerFileOf(path)))!.AsObject();
        Assert.Equal(["server_public", "token"], worker.Select(p => p.Key).Order());
        Assert.Equal(keys.Certificate.PublicKeyZ85, worker["server_public"]!.GetValue<string>());
        Assert.Equal(keys.Token, worker["token"]!.GetValue<string>());
        Assert.DoesNotContain(keys.Certificate.SecretKeyZ85!, File.ReadAllText(BrokerKeys.WorkerFileOf(path)));
        Assert.Equal(64, keys.Token.Length);
        Assert.Equal(keys.WorkerCredentials, WorkerCredentials.Load(BrokerKeys.WorkerFileOf(path)));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));

        // A restart reads the same keys back: workers already given the .worker file keep working.
        var again = BrokerKeys.LoadOrCreate(path);
        Assert.Equal(keys.Certificate.PublicKeyZ85, again.Certificate.PublicKeyZ85);
        Assert.Equal(keys.Certificate.SecretKeyZ85, again.Certificate.SecretKeyZ85);
        Assert.Equal(keys.Token, again.Token);
    }

    [Fact]
    public void A_damaged_key_file_is_an_error_naming_the_file_and_field()
    {
        using var dir = new TestDir();
        string path = dir.File("workers.key");
        File.WriteAllText(path, """{"server_public": "abc", "token": "t"}""");
        var missing = Assert.Throws<InvalidDataException>(() => BrokerKeys.LoadOrCreate(path));
        Assert.Contains(path, missing.Message);
        Assert.Contains("server_secret", missing.Message);

        File.WriteAllText(path, """{"server_public": "abc", "server_secret": "def", "token": "t"}""");
        var notZ85 = Assert.Throws<InvalidDataException>(() => BrokerKeys.LoadOrCreate(path));
        Assert.Contains(path, notZ85.Message);
    }

    [Fact]
    public async Task A_worker_with_the_credentials_is_served_over_curve()
    {
        using var dir = new TestDir();
        string path = dir.File("workers.key");
        var keys = BrokerKeys.LoadOrCreate(path);
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Keys = keys });

        await cluster.JoinWorker("gpu", new EchoHandler(), cluster.Broker.RemoteEndpoint, WorkerCredentials.Load(BrokerKeys.WorkerFileOf(path)));
        byte[] payload = System.Security.Cryptography.RandomNumberGenerator.GetBytes(JobFrames.MaxFrameBytes + 1);
        var reply = await cluster.Broker.SubmitAsync(TestJobs.Infer(payload: payload)).Within();

        Assert.Equal("gpu", reply.Worker);
        Assert.Equal(payload, reply.Payload);
        Assert.True(cluster.Broker.Workers.Single().Remote);
    }

    [Fact]
    public async Task A_worker_with_a_wrong_token_is_refused_and_its_job_fails_as_no_worker()
    {
        using var dir = new TestDir();
        var keys = BrokerKeys.LoadOrCreate(dir.File("workers.key"));
        var noWorker = TimeSpan.FromSeconds(1.5);
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Keys = keys, NoWorkerTimeout = noWorker });
        var clock = Stopwatch.StartNew();
        cluster.AddWorker("intruder", new EchoHandler(), cluster.Broker.RemoteEndpoint, keys.WorkerCredentials with { Token = new string('0', 64) });
        await TestJobs.Until(() => cluster.BrokerLog.Any(l => l.Contains("did not present the access token")), "the broker refused the worker");

        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => cluster.Broker.SubmitAsync(TestJobs.Infer()).Within());

        Assert.Equal("no-worker", error.Reason);
        Assert.Contains("no worker is connected", error.Message);
        Assert.Empty(cluster.Broker.Workers);
        // A refused worker backs off between attempts (100 ms doubling to 400 ms here) instead of retrying on every
        // timer tick: at most a handful of refusals in the time the job waited.
        int refusals = cluster.BrokerLog.Count(l => l.Contains("did not present the access token"));
        double bound = 4 + clock.Elapsed / TestJobs.Heartbeat.ReconnectMax;
        Assert.True(refusals <= bound, $"{refusals} refusals in {clock.Elapsed}: the worker does not back off (bound {bound:F0})");
    }

    [Fact]
    public async Task A_worker_without_the_servers_key_never_joins_a_curve_broker()
    {
        using var dir = new TestDir();
        var keys = BrokerKeys.LoadOrCreate(dir.File("workers.key"));
        var other = BrokerKeys.LoadOrCreate(dir.File("other.key"));
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Keys = keys, NoWorkerTimeout = TimeSpan.FromSeconds(1) });
        // Right token, wrong server key: the CurveZMQ handshake fails, so not even READY gets through.
        cluster.AddWorker("wrong-key", new EchoHandler(), cluster.Broker.RemoteEndpoint, other.WorkerCredentials with { Token = keys.Token });
        // And one with no keys at all, speaking plain ZMTP to a CurveZMQ socket.
        cluster.AddWorker("plain", new EchoHandler(), cluster.Broker.RemoteEndpoint);

        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => cluster.Broker.SubmitAsync(TestJobs.Infer()).Within());

        Assert.Equal("no-worker", error.Reason);
        Assert.Empty(cluster.Broker.Workers);
    }
}
