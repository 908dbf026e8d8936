using System.Text;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract.Builtin;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Tests.ActiveLearning;

/// <summary>Dice and sum scoring on hand-made label files in a real datastore folder: the numbers they record, where
/// <c>/datastore/?output=all</c> shows them.</summary>
public class ScoringMethodTests
{
    private sealed class Lines : IProgress<string>
    {
        public List<string> All { get; } = [];

        public void Report(string value) => All.Add(value);
    }

    /// <summary>Label value <paramref name="value"/> at the listed linear voxel indices.</summary>
    private static Volume<byte> Label(params (int Index, byte Value)[] voxels)
    {
        var label = StudiesFolder.Empty();
        foreach (var (index, value) in voxels) label.Data[index] = value;
        return label;
    }

    [Fact]
    public async Task Dice_records_per_label_and_mean_dice_of_original_against_final()
    {
        int plane = StudiesFolder.Shape.X * StudiesFolder.Shape.Y;
        // Label 1: 4 voxels each, 2 shared → 2·2/8 = 0.5. Label 2: the same 3 voxels → 1. Label 3 only in the
        // prediction → 0. Mean over the labels present in either: 0.5.
        var final = Label((0, 1), (1, 1), (2, 1), (3, 1), (plane, 2), (plane + 1, 2), (plane + 2, 2));
        var original = Label((2, 1), (3, 1), (4, 1), (5, 1), (plane, 2), (plane + 1, 2), (plane + 2, 2), (3 * plane, 3));
        using var studies = new StudiesFolder().WithImages("a", "b", "c")
            .WithLabel("a", "final", final).WithLabel("a", "original", original)
            .WithLabel("b", "final", final); // no model output: not scored

        var result = await new DiceScoring().ScoreAsync([], studies.Datastore, new Lines(), CancellationToken.None);
        Assert.Equal(["a"], result.Select(r => r.Key));
        Assert.Equal(0.5, result["a"]!.GetValue<double>(), 6);

        var dice = studies.Datastore.ImageInfo("a")["dice"]!;
        Assert.Equal(0.5, dice["mean"]!.GetValue<double>(), 6);
        Assert.Equal(0.5, dice["labels"]!["1"]!.GetValue<double>(), 6);
        Assert.Equal(1.0, dice["labels"]!["2"]!.GetValue<double>(), 6);
        Assert.Equal(0.0, dice["labels"]!["3"]!.GetValue<double>(), 6);
        Assert.False(studies.Datastore.ImageInfo("b").ContainsKey("dice"));

        var all = JsonNode.Parse(Encoding.UTF8.GetString(studies.Datastore.AllJson()))!;
        Assert.Equal(0.5, all["objects"]!["a"]!["image"]!["info"]!["dice"]!["mean"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task Sum_records_the_sum_of_values_and_the_labeled_axial_slices_per_tag()
    {
        int plane = StudiesFolder.Shape.X * StudiesFolder.Shape.Y;
        // Slice 1: three voxels of 2; slice 3: two voxels of 1 → sum 8 (values, as MONAI Label sums), 2 slices.
        var final = Label((plane, 2), (plane + 5, 2), (plane + 11, 2), (3 * plane, 1), (3 * plane + 7, 1));
        var original = Label((4 * plane + 1, 9));
        using var studies = new StudiesFolder().WithImages("a", "b", "unlabeled")
            .WithLabel("a", "final", final).WithLabel("a", "original", original)
            .WithLabel("b", "original", StudiesFolder.Empty());

        var result = await new SumScoring().ScoreAsync([], studies.Datastore, new Lines(), CancellationToken.None);
        Assert.Equal(["a", "b"], result.Select(r => r.Key).Order(StringComparer.Ordinal));

        var sum = studies.Datastore.ImageInfo("a")["sum"]!;
        Assert.Equal(8, sum["final"]!["sum"]!.GetValue<long>());
        Assert.Equal(2, sum["final"]!["slices"]!.GetValue<int>());
        Assert.Equal(9, sum["original"]!["sum"]!.GetValue<long>());
        Assert.Equal(1, sum["original"]!["slices"]!.GetValue<int>());
        var empty = studies.Datastore.ImageInfo("b")["sum"]!;
        Assert.Equal(0, empty["original"]!["sum"]!.GetValue<long>());
        Assert.Equal(0, empty["original"]!["slices"]!.GetValue<int>());
        Assert.False(empty.AsObject().ContainsKey("final"));
        Assert.False(studies.Datastore.ImageInfo("unlabeled").ContainsKey("sum"));

        var all = JsonNode.Parse(Encoding.UTF8.GetString(studies.Datastore.AllJson()))!;
        Assert.Equal(8, all["objects"]!["a"]!["image"]!["info"]!["sum"]!["final"]!["sum"]!.GetValue<long>());

        // Only the tags asked for.
        var onlyFinal = await new SumScoring().ScoreAsync(new JsonObject { ["tags"] = "final" }, studies.Datastore, new Lines(), CancellationToken.None);
        Assert.Equal(["a"], onlyFinal.Select(r => r.Key));
        Assert.False(onlyFinal["a"]!.AsObject().ContainsKey("original"));
        Assert.Equal(9, studies.Datastore.ImageInfo("a")["sum"]!["original"]!["sum"]!.GetValue<long>()); // kept
    }

    [Fact]
    public async Task Sum_honours_cancellation()
    {
        using var studies = new StudiesFolder().WithImages("a").WithLabel("a", "final", StudiesFolder.Empty());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SumScoring().ScoreAsync([], studies.Datastore, new Lines(), cancelled.Token));
        Assert.False(studies.Datastore.ImageInfo("a").ContainsKey("sum"));
    }
}
