using System.Text.Json.Nodes;
using CtSegLabel.AppContract.Builtin;

namespace CtSegLabel.Server.Tests.ActiveLearning;

/// <summary>The next-sample strategies on a real datastore folder: which image each hands out, in what order.</summary>
public class StrategyOrderTests
{
    [Fact]
    public async Task First_hands_out_unlabeled_images_in_ordinal_id_order()
    {
        using var studies = new StudiesFolder().WithImages("b", "a10", "a2", "C")
            .WithLabel("a10", "final", StudiesFolder.Empty()).WithLabel("C", "original", StudiesFolder.Empty());
        var first = new FirstStrategy();
        Assert.Equal("C", first.Next(studies.Datastore, [])!.Id); // ordinal: upper case before lower case
        await studies.Datastore.RecordStrategyAsync("C", "first", "me");
        Assert.Equal("C", first.Next(studies.Datastore, [])!.Id); // handing out does not move "first" on; labeling does
        // Counting "original" labels as done: C is done, a10 (final only) is not, and "a10" < "a2" ordinally.
        Assert.Equal("a10", first.Next(studies.Datastore, new JsonObject { ["label_tag"] = "original" })!.Id);
    }

    [Fact]
    public async Task Random_chooses_a_long_untouched_image_far_more_often_than_recent_ones()
    {
        var clock = new ManualClock();
        using var studies = new StudiesFolder(clock).WithImages("old", "recent", "newest", "done").WithLabel("done", "final", StudiesFolder.Empty());
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        await studies.SetInfoAsync("old", Handed("random", now - 1000));
        await studies.SetInfoAsync("recent", Handed("random", now - 100));
        await studies.SetInfoAsync("newest", Handed("random", now - 10));
        await studies.SetInfoAsync("done", Handed("random", 0)); // labeled: never chosen, however long untouched

        var strategy = new RandomStrategy(new Random(1234), clock);
        var counts = new Dictionary<string, int>();
        const int draws = 4000;
        for (int n = 0; n < draws; n++)
        {
            var choice = strategy.Next(studies.Datastore, [])!;
            counts[choice.Id] = counts.GetValueOrDefault(choice.Id) + 1;
        }
        // Weights are the seconds since last handed out (+1): 1001 : 101 : 11, i.e. 89.98 %, 9.08 %, 0.99 %.
        Assert.False(counts.ContainsKey("done"));
        Assert.InRange(counts["old"] / (double)draws, 0.88, 0.92);
        Assert.InRange(counts["recent"] / (double)draws, 0.075, 0.105);
        Assert.InRange(counts.GetValueOrDefault("newest") / (double)draws, 0.004, 0.02);
    }

    [Fact]
    public async Task Random_weight_in_the_answer_is_the_seconds_since_the_image_was_handed_out()
    {
        var clock = new ManualClock();
        using var studies = new StudiesFolder(clock).WithImages("only");
        await studies.SetInfoAsync("only", Handed("random", clock.GetUtcNow().ToUnixTimeSeconds() - 42));
        var strategy = new RandomStrategy(new Random(1), clock);
        Assert.Equal(43, strategy.Next(studies.Datastore, [])!.Extra["weight"]!.GetValue<long>());
        // The server records each hand-out in memory (a long, not a parsed JSON element): it counts at once.
        await studies.Datastore.RecordStrategyAsync("only", strategy.Name, "me");
        Assert.Equal(1, strategy.Next(studies.Datastore, [])!.Extra["weight"]!.GetValue<long>());
    }

    [Fact]
    public async Task Epistemic_hands_out_the_most_uncertain_unlabeled_image_first_then_the_next_then_the_unscored()
    {
        var clock = new ManualClock();
        using var studies = new StudiesFolder(clock).WithImages("low", "high", "mid", "unscored", "labeled")
            .WithLabel("labeled", "final", StudiesFolder.Empty());
        await studies.SetInfoAsync("low", Score(0.3));
        await studies.SetInfoAsync("high", Score(0.9));
        await studies.SetInfoAsync("mid", Score(0.6));
        await studies.SetInfoAsync("labeled", Score(5.0)); // most uncertain, but labeled already

        var strategy = new EpistemicStrategy(clock);
        var order = new List<string>();
        for (int n = 0; n < 5; n++)
        {
            var choice = strategy.Next(studies.Datastore, [])!;
            order.Add(choice.Id);
            if (n == 0)
            {
                Assert.Equal(0.9, choice.Extra["epistemic_entropy"]!.GetValue<double>());
                Assert.Equal(1, choice.Extra["epistemic_rank"]!.GetValue<int>());
                Assert.Equal(3, choice.Extra["epistemic_ranked"]!.GetValue<int>());
            }
            if (choice.Id == "unscored")
            {
                Assert.False(choice.Extra["epistemic_scored"]!.GetValue<bool>());
                Assert.Null(choice.Extra["epistemic_entropy"]);
            }
            // What the server does on every answer: the hand-out is recorded, so the next call moves on.
            await studies.Datastore.RecordStrategyAsync(choice.Id, strategy.Name, "me");
            clock.Advance(TimeSpan.FromSeconds(10));
        }
        // Once every unlabeled image was handed out within the reset time, the one handed out longest ago comes back.
        Assert.Equal(["high", "mid", "low", "unscored", "high"], order);

        // After the reset time (a day) the scores alone decide again.
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal("high", strategy.Next(studies.Datastore, [])!.Id);
        await studies.Datastore.RecordStrategyAsync("high", "first", "me"); // another strategy's hand-out does not count
        Assert.Equal("high", strategy.Next(studies.Datastore, [])!.Id);
    }

    [Fact]
    public void Epistemic_without_any_score_answers_in_id_order_and_says_to_run_the_scoring()
    {
        using var studies = new StudiesFolder().WithImages("b", "a");
        var choice = new EpistemicStrategy().Next(studies.Datastore, [])!;
        Assert.Equal("a", choice.Id);
        Assert.Contains("/scoring/epistemic", choice.Extra["epistemic_note"]!.GetValue<string>());
    }

    [Fact]
    public void Epistemic_with_every_image_labeled_answers_nothing()
    {
        using var studies = new StudiesFolder().WithImages("a").WithLabel("a", "final", StudiesFolder.Empty());
        Assert.Null(new EpistemicStrategy().Next(studies.Datastore, []));
    }

    private static JsonObject Handed(string strategy, long ts) =>
        new() { ["strategy"] = new JsonObject { [strategy] = new JsonObject { ["ts"] = ts, ["client_id"] = "x" } } };

    private static JsonObject Score(double entropy) => new() { ["epistemic_entropy"] = entropy, ["epistemic_ts"] = 1 };
}
