using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.Training.Tests.Loop;

public class TrainerTests(TrainingFixture fixture) : IClassFixture<TrainingFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Optimizer_steps_on_one_fixed_block_reduce_the_loss()
    {
        // One case shorter than a block: the block is the same every epoch, one step per epoch (accumulation 1).
        var plan = fixture.Plan(fixture.RunDirectory(), new TrainingOptions { MaxEpochs = 4, Accumulation = 1, ValidationFraction = 0 }, [fixture.Cases[0]]);

        var outcome = await Trainer.RunAsync(plan, null, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(4, outcome.History.Count);
        Assert.Equal(4, outcome.Steps);
        Assert.True(outcome.History[^1].TrainLoss < outcome.History[0].TrainLoss - 0.01,
            $"loss went {string.Join(" → ", outcome.History.Select(h => h.TrainLoss.ToString("F4")))}");
        Assert.Null(outcome.BestCheckpoint);
        Assert.Empty(outcome.ValidationIds);
    }

    [Fact]
    public async Task A_run_writes_loadable_trained_checkpoints_state_and_curve_and_resumes_where_it_ended()
    {
        string run = fixture.RunDirectory();
        var options = new TrainingOptions { MaxEpochs = 1, Accumulation = 1, ValidationFraction = 0.34, Seed = 3 };
        var first = await Trainer.RunAsync(fixture.Plan(run, options), null, CancellationToken.None).WaitAsync(Limit);

        Assert.False(first.Stopped);
        Assert.Equal(1, first.EpochsRun);
        Assert.Equal(2, first.Steps);                         // two training cases, accumulation 1
        Assert.Equal(2, first.CaseIds.Count);
        var validation = Assert.Single(first.ValidationIds);
        Assert.DoesNotContain(validation, first.CaseIds);
        Assert.Equal(Path.Combine(run, "best.ctseg"), first.BestCheckpoint);
        Assert.InRange(first.BestDice!.Value, 0, 1);

        var (network, metadata) = ModelCheckpoint.Load(first.BestCheckpoint!);
        network.Dispose();
        Assert.True(metadata.Provenance.Trained);
        Assert.Equal("training", metadata.Provenance.Source);
        Assert.Equal(1, metadata.Provenance.Epochs);
        Assert.Equal("0.0.0+train.e1", metadata.ModelVersion);
        Assert.Contains(metadata.ClassVolumes, c => c.Name == "liver" && c.MeanVoxels > 0 && Math.Abs(c.RemovalThresholdVoxels - 0.2 * c.MeanVoxels) < 1e-9);
        Assert.Equal(["epoch,step,loss,dice,seconds", $"1,2,"], File.ReadAllLines(Path.Combine(run, "curve.csv")).Select((l, i) => i == 0 ? l : l[..4]));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(run, "curve.png"))[..4]);
        Assert.True(File.Exists(Path.Combine(run, "state.json")));
        Assert.True(Directory.GetFiles(Path.Combine(run, "cache"), "*.sample").Length == 3);

        // Same plan, more epochs: continues at epoch 2 with the step count and history kept.
        var second = await Trainer.RunAsync(fixture.Plan(run, options with { MaxEpochs = 2 }), null, CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(2, second.EpochsRun);
        Assert.Equal(4, second.Steps);
        Assert.Equal([1, 2], second.History.Select(h => h.Epoch));
        Assert.Equal(first.History[0], second.History[0]);
        Assert.Equal(first.ValidationIds, second.ValidationIds);

        // Resume = false starts over from the initial checkpoint.
        var fresh = await Trainer.RunAsync(fixture.Plan(run, options with { Resume = false }), null, CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(1, fresh.EpochsRun);
        Assert.Equal(2, fresh.Steps);
        Assert.Single(fresh.History);
    }

    [Fact]
    public async Task An_optimizer_state_from_an_interrupted_save_is_not_paired_with_older_weights()
    {
        string run = fixture.RunDirectory();
        var options = new TrainingOptions { MaxEpochs = 1, Accumulation = 1, ValidationFraction = 0.34, Seed = 3 };
        await Trainer.RunAsync(fixture.Plan(run, options), null, CancellationToken.None).WaitAsync(Limit);
        // What a kill between the optimizer-state write and the weights write leaves: another optimizer.bin beside the
        // weights and state.json of the last complete save (here bytes no optimizer could load).
        File.WriteAllBytes(Path.Combine(run, "optimizer.bin"), [1, 2, 3, 4]);

        var progress = new InlineProgress(_ => { });
        var second = await Trainer.RunAsync(fixture.Plan(run, options with { MaxEpochs = 2 }), progress, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(2, second.EpochsRun);
        Assert.Equal(4, second.Steps);
        Assert.Contains(progress.Seen, p => p.Message.Contains("resuming with a fresh optimizer", StringComparison.Ordinal));
        Assert.Contains(progress.Seen, p => p.Message.Contains("resuming after epoch 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_mid_epoch_returns_stopped_with_a_loadable_last_checkpoint()
    {
        string run = fixture.RunDirectory();
        using var stop = new CancellationTokenSource();
        // Cancel at the first optimizer step: the epoch's second block is abandoned.
        var progress = new InlineProgress(p => { if (p.Step == 1) stop.Cancel(); });
        var plan = fixture.Plan(run, new TrainingOptions { MaxEpochs = 3, Accumulation = 1, ValidationFraction = 0.34 });

        var outcome = await Trainer.RunAsync(plan, progress, stop.Token).WaitAsync(Limit);

        Assert.True(outcome.Stopped);
        Assert.Equal(0, outcome.EpochsRun);
        Assert.Equal(1, outcome.Steps);
        Assert.Empty(outcome.History);
        var (network, metadata) = ModelCheckpoint.Load(outcome.LastCheckpoint);
        network.Dispose();
        Assert.True(metadata.Provenance.Trained);               // one step was taken
        Assert.Contains(progress.Seen, p => p.Message.StartsWith("stopped", StringComparison.Ordinal));

        // The stopped run resumes: the interrupted epoch runs again, the step count goes on.
        var resumed = await Trainer.RunAsync(plan with { Options = plan.Options with { MaxEpochs = 1 } }, null, CancellationToken.None).WaitAsync(Limit);
        Assert.False(resumed.Stopped);
        Assert.Equal(1, resumed.EpochsRun);
        Assert.Equal(3, resumed.Steps);
    }

    [Fact]
    public async Task Bad_plans_are_refused_before_training()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Trainer.RunAsync(fixture.Plan(fixture.RunDirectory(), new TrainingOptions(), []), null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Trainer.RunAsync(fixture.Plan(fixture.RunDirectory(), new TrainingOptions { Accumulation = 0 }), null, CancellationToken.None));
        var missing = new TrainingCase("x", fixture.Cases[0].ImagePath, Path.Combine(fixture.Studies, "nope.nii.gz"));
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Trainer.RunAsync(fixture.Plan(fixture.RunDirectory(), new TrainingOptions(), [missing]), null, CancellationToken.None));
        Assert.Contains("nope.nii.gz", e.Message);
    }
}
