using Xunit.Abstractions;

namespace CtSegLabel.Server.Tests.Crash;

/// <summary>kill -9 of a real server process under load, restarted and checked (see <see cref="CrashHarness"/>); the
/// seed is in the output so a failure can be replayed. The long run is <c>CtSegLabel.Bench crash --rounds N</c>.</summary>
public class CrashTests(ITestOutputHelper output)
{
    private sealed class OutputWriter(ITestOutputHelper output) : StringWriter
    {
        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }

    [Fact]
    public async Task Kills_at_random_moments_under_label_and_info_load_lose_nothing_acknowledged()
    {
        using var dir = new TestDir();
        int seed = Environment.TickCount;
        var report = await new CrashHarness(new CrashOptions
        {
            Rounds = 4, Seed = seed, Training = false, TargetedShare = 0, MinKillMs = 100, MaxKillMs = 1500,
            Folder = dir.Path, Log = new OutputWriter(output),
        }).RunAsync();
        output.WriteLine($"seed {seed}: acknowledged {report.AcknowledgedLabels} labels, {report.AcknowledgedInfos} infos; phases {string.Join(", ", report.Phases)}");
        Assert.True(report.Problems.Count == 0, $"seed {seed}:\n" + string.Join("\n", report.Problems));
        Assert.True(report.AcknowledgedLabels > 0, "the load got no label acknowledged: the test proved nothing");
    }

    [Fact]
    public async Task Kills_in_a_label_save_a_json_write_and_a_checkpoint_write_lose_nothing_and_training_resumes()
    {
        using var dir = new TestDir();
        int seed = Environment.TickCount;
        var report = await new CrashHarness(new CrashOptions
        {
            Rounds = 3, Seed = seed, Training = true, Targets = ["checkpoint temporary", "label intent", "JSON temporary"], Clients = 1,
            Folder = dir.Path, Log = new OutputWriter(output),
        }).RunAsync();
        output.WriteLine($"seed {seed}: acknowledged {report.AcknowledgedLabels} labels, {report.AcknowledgedInfos} infos; phases {string.Join(", ", report.Phases)}; resumes {report.Resumes}");
        Assert.True(report.Problems.Count == 0, $"seed {seed}:\n" + string.Join("\n", report.Problems));
        Assert.True(report.Resumes >= 1, $"no restart resumed a training (skipped {report.ResumeChecksSkipped}): the resume was not tested");
    }
}
