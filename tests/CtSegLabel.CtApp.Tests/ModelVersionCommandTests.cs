using System.Text.Json.Nodes;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp.Tests;

/// <summary>`ctseg model versions` and `ctseg model rollback` on a real models folder.</summary>
public class ModelVersionCommandTests
{
    private const string Model = CtSegmentationApp.SwinUnetrV2Model;

    [Fact]
    public void Lists_versions_newest_first_with_the_current_marked_and_rolls_back()
    {
        using var dir = new TestDir();
        string models = dir.Sub("models");
        using (var store = new ModelStore(models, ComputeDevice.Choose("cpu", "fp32")))
        {
            store.Publish(Model, Checkpoints.InitTiny(dir.File("a.ctseg"), seed: 1), new VersionRecord { Source = VersionRecord.Import });
            store.Publish(Model, Checkpoints.InitTiny(dir.File("b.ctseg"), seed: 2), new VersionRecord
            {
                Source = VersionRecord.FineTune, Parent = "v1.ctseg", Metrics = new JsonObject { ["best_dice"] = 0.8125 },
            });
        }

        var (code, output, error) = Ctseg("model", "versions", "--models", models, "--model", Model);
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("best dice", lines[0]);
        Assert.Matches(@"^\* v2\.ctseg  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  fine-tune     0\.8125  0\.0\.0-untrained\+v2$", lines[1]);
        Assert.Matches(@"^  v1\.ctseg  .*  import  .*-  0\.0\.0-untrained\+v1$", lines[2]);

        (code, output, error) = Ctseg("model", "rollback", "--models", models, "--model", Model, "--version", "v1");
        Assert.True(code == 0, error);
        Assert.Contains("now serving v1.ctseg", output);
        Assert.Equal("v1.ctseg\n", File.ReadAllText(Path.Combine(models, Model, ModelStore.CurrentFileName)));
        Assert.StartsWith("* v1.ctseg", Ctseg("model", "versions", "--models", models, "--model", Model).Out.Split('\n')[2]);
    }

    [Fact]
    public void Mistakes_exit_2_naming_what_is_wrong()
    {
        using var dir = new TestDir();
        string models = dir.Sub("models");
        var (code, output, _) = Ctseg("model", "versions", "--models", models, "--model", Model);
        Assert.Equal(0, code);
        Assert.Contains("no versions in", output);

        Checkpoints.InitTiny(Path.Combine(models, Model, "v1.ctseg"));
        var unknown = Ctseg("model", "rollback", "--models", models, "--model", Model, "--version", "v5");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("'v5'", unknown.Err);
        Assert.Contains("v1.ctseg", unknown.Err);
        Assert.Equal(2, Ctseg("model", "rollback", "--models", models, "--model", "../x", "--version", "v1").Code);
        Assert.Equal(2, Ctseg("model", "rollback", "--models", models, "--model", Model).Code);
        Assert.False(File.Exists(Path.Combine(models, Model, ModelStore.CurrentFileName)));

        File.WriteAllText(Path.Combine(models, Model, "v1.json"), "{ broken");
        var broken = Ctseg("model", "versions", "--models", models, "--model", Model);
        Assert.Equal(2, broken.Code);
        Assert.Contains("v1.json", broken.Err);
    }
}
