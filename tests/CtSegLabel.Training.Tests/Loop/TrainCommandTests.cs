using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.Training.Tests.Loop;

public class TrainCommandTests(TrainingFixture fixture) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Train_runs_end_to_end_on_a_studies_folder_and_prints_where_its_files_are()
    {
        string run = fixture.RunDirectory();
        var (code, output, error) = Ctseg("train", "--studies", fixture.Studies, "--model", "swinunetr_v2", "--config", "tiny",
            "--in-plane", "64", "--block-slices", "32", "--epochs", "1", "--accumulation", "2", "--validation", "0.34", "--out", run);

        Assert.True(code == 0, error + output);
        Assert.Contains($"best:  {Path.Combine(run, "best.ctseg")}", output);
        Assert.Contains($"last:  {Path.Combine(run, "last.ctseg")} (epoch 1, step 1)", output);
        Assert.Contains("curve.png", output);
        Assert.Contains("epoch 1/1 done", output);
        var metadata = ModelCheckpoint.ReadMetadata(Path.Combine(run, "best.ctseg"));
        Assert.Equal("swinunetr-v2", metadata.Architecture.Name);
        Assert.Equal(37, metadata.Labels.Count);
        Assert.True(metadata.Provenance.Trained);
        Assert.True(File.Exists(Path.Combine(run, "init.ctseg")));
        Assert.True(File.Exists(Path.Combine(run, "curve.png")));

        // The same command again has nothing left to do: it resumes after epoch 1 and ends there.
        (code, output, _) = Ctseg("train", "--studies", fixture.Studies, "--model", "swinunetr_v2", "--config", "tiny",
            "--in-plane", "64", "--block-slices", "32", "--epochs", "1", "--accumulation", "2", "--validation", "0.34", "--out", run);
        Assert.Equal(0, code);
        Assert.Contains("resuming after epoch 1, step 1", output);
    }

    [Fact]
    public void Bad_input_is_named_with_exit_code_2()
    {
        var (code, _, error) = Ctseg("train", "--studies", Path.Combine(fixture.Studies, "missing"), "--model", "swinunetr_v2", "--config", "tiny", "--out", fixture.RunDirectory());
        Assert.Equal(2, code);
        Assert.Contains("missing", error);

        (code, _, error) = Ctseg("train", "--studies", fixture.Studies, "--model", "m", "--init", fixture.InitialCheckpoint, "--config", "tiny");
        Assert.Equal(2, code);
        Assert.Contains("--init fixes the architecture", error);

        (code, _, error) = Ctseg("train", "--studies", fixture.Studies, "--model", "m", "--init", fixture.InitialCheckpoint, "--lr", "fast");
        Assert.Equal(2, code);
        Assert.Contains("--lr", error);

        string notCheckpoint = Path.Combine(fixture.Studies, "classes.json");
        (code, _, error) = Ctseg("train", "--studies", fixture.Studies, "--model", "m", "--init", notCheckpoint, "--out", fixture.RunDirectory());
        Assert.Equal(2, code);
        Assert.Contains("classes.json", error);
    }
}
