using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Cli;
using CtSegLabel.Cli.Commands;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.TestApp;
using HeartbeatSettings = CtSegLabel.Compute.Protocol.HeartbeatSettings;

namespace CtSegLabel.CtApp.Tests.Workers;

public class WorkerCommandTests
{
    [Theory]
    [InlineData("--connect", "", "--models", "m")]
    [InlineData("--connect", "", "--connect", "http://127.0.0.1:5557")]
    [InlineData("--connect", "", "--connect", "tcp://127.0.0.1")]
    [InlineData("--connect", "", "--connect", "tcp://127.0.0.1:70000")]
    [InlineData("--key", "", "--connect", "tcp://10.20.30.40:5557")]
    [InlineData("--key", "/no/such/broker.key.worker", "--connect", "tcp://127.0.0.1:5557")]
    [InlineData("--device", "tpu", "--connect", "tcp://127.0.0.1:5557")]
    [InlineData("--heartbeat-ms", "0", "--connect", "tcp://127.0.0.1:5557")]
    [InlineData("--heartbeat-ms", "often", "--connect", "tcp://127.0.0.1:5557")]
    [InlineData("--name", "", "--connect", "tcp://127.0.0.1:5557")]
    [InlineData("--app", "/no/such/app.dll", "--connect", "tcp://127.0.0.1:5557")]
    [InlineData("--studies", "/data", "--connect", "tcp://127.0.0.1:5557")]
    public void A_wrong_command_line_exits_2_naming_the_option(string named, string value, params string[] rest)
    {
        string[] args = value.Length > 0 || named is "--name" ? ["worker", .. rest, named, value] : ["worker", .. rest];
        var (code, output, error) = Ctseg(args);
        Assert.True(code == 2, $"exit {code}: {output}{error}");
        Assert.Contains(named, error);
        Assert.Contains("usage: ctseg worker --connect tcp://HOST:PORT", error);
        Assert.DoesNotContain("connecting", output);
    }

    [Fact]
    public void A_key_file_that_is_not_a_worker_key_is_named()
    {
        using var dir = new TestDir();
        string key = dir.File("broker.key.worker");
        File.WriteAllText(key, """{"token": "t"}""");
        var (code, _, error) = Ctseg("worker", "--connect", "tcp://127.0.0.1:5557", "--key", key);
        Assert.Equal(2, code);
        Assert.Contains($"option --key: {key}: field 'server_public'", error);
    }

    [Fact]
    public async Task A_ctseg_worker_joins_a_broker_over_tcp_runs_an_infer_job_and_stops_when_told()
    {
        using var dir = new TestDir();
        string models = dir.Sub("models");
        // 1 s beats (3 s to count a peer dead): shorter ones lose the worker to a busy 2-core CI machine's scheduling.
        var heartbeat = new HeartbeatSettings { Interval = TimeSpan.FromMilliseconds(1000) };
        var brokerLog = new ConcurrentQueue<string>();
        using var broker = new ComputeBroker(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Heartbeat = heartbeat }, l => brokerLog.Enqueue($"{DateTime.Now:HH:mm:ss.fff} {l}"));
        broker.Start();
        string endpoint = broker.RemoteEndpoint!;

        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var command = Task.Run(() => CommandRunner.Run([new WorkerCommand(stop.Token)],
            ["worker", "--connect", endpoint, "--app", WorkerFixtures.TestAppDll, "--models", models, "--name", "test-worker", "--heartbeat-ms", "1000"],
            output, error));
        try
        {
            var parameters = new JsonObject();
            var reply = await broker.SubmitAsync(InferJob.Request(ThresholdBonesTask.TaskName, TestPaths.ExampleCt, "ct", parameters))
                .WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal("test-worker", reply.Worker);
            Assert.True(1 == reply.Attempts, $"the worker was lost during the job:\n{output}\n{string.Join("\n", brokerLog)}");
            var (result, shape) = InferJob.ResultOf(reply);
            var ct = VolumeFile.Read(TestPaths.ExampleCt);
            var local = new ThresholdApp(new AppEnvironment(dir.Sub("studies"), models)).InferTasks.Single();
            var expected = await local.InferAsync(new InferRequest(ThresholdBonesTask.TaskName, "ct", parameters), ct, CancellationToken.None);
            Assert.Equal(ct.Shape, shape);
            Assert.True(ct.Geometry.SameGrid(result.Labels.Geometry));
            Assert.Equal(((Volume<byte>)expected.Labels).Data, ((Volume<byte>)result.Labels).Data);

            var announced = Assert.Single(broker.Workers).Capabilities;
            Assert.Equal("cpu", announced.Device);
            Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, announced.MemoryBytes);
            Assert.Equal([JobKinds.Infer], announced.Jobs.Keys);
            Assert.Equal([ThresholdBonesTask.TaskName], announced.Jobs[JobKinds.Infer]);
            Assert.Equal(ThresholdParameters.FileName, announced.Versions[ThresholdBonesTask.TaskName]);
        }
        finally
        {
            stop.Cancel();
        }
        int code = await command.WaitAsync(TimeSpan.FromSeconds(30));
        string text = output.ToString();
        Assert.True(code == 0, $"exit {code}: {text}{error}");
        Assert.Contains($"connecting to {endpoint}", text);
        Assert.Contains($"connected to the broker at {endpoint}", text);
        Assert.Contains($"serves infer: {ThresholdBonesTask.TaskName} ({ThresholdParameters.FileName})", text);
        Assert.Contains("device cpu, ", text);
        Assert.Contains("stopping after 1 job(s)", text);
    }
}
