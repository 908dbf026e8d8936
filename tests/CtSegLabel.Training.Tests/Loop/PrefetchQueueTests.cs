using CtSegLabel.Training.Data;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Loop;

public class PrefetchQueueTests
{
    private static TrainingBlock Block(int n) =>
        new($"case{n}", full(new long[] { 1, 1, 2, 2, 2 }, (float)n), zeros(new long[] { 1, 2, 2, 2 }, ScalarType.Int64), zeros(new long[] { 1, 2, 2, 2 }, ScalarType.Int64), [true], 2);

    [Fact]
    public void A_slow_consumer_gets_every_block_in_order_while_the_producer_stays_at_most_depth_plus_one_ahead()
    {
        const int depth = 2;
        var makers = Enumerable.Range(0, 12).Select(n => (Func<TrainingBlock>)(() => Block(n))).ToList();
        using var queue = new PrefetchQueue(makers, depth, CancellationToken.None);
        // Before anything is taken the producer fills every slot it has; waiting for that (not for a time) keeps a
        // starved producer thread on a loaded machine from failing the test.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (queue.MaxAhead < depth + 1 && DateTime.UtcNow < until) Thread.Sleep(5);
        var seen = new List<string>();
        foreach (var block in queue.Take(CancellationToken.None))
        {
            using (block) seen.Add(block.CaseId);
            Thread.Sleep(15);
        }
        Assert.Equal(Enumerable.Range(0, 12).Select(n => $"case{n}"), seen);
        // The producer runs ahead as far as the queue lets it, and no further.
        Assert.Equal(depth + 1, queue.MaxAhead);
    }

    [Fact]
    public void A_failing_producer_surfaces_its_exception_to_the_consumer()
    {
        var makers = new List<Func<TrainingBlock>> { () => Block(0), () => throw new InvalidDataException("broken sample") };
        using var queue = new PrefetchQueue(makers, 1, CancellationToken.None);
        var e = Assert.Throws<InvalidDataException>(() => { foreach (var b in queue.Take(CancellationToken.None)) b.Dispose(); });
        Assert.Equal("broken sample", e.Message);
    }

    [Fact]
    public void Cancelling_ends_the_take_and_disposing_frees_the_blocks_not_taken()
    {
        var made = new List<TrainingBlock>();
        var makers = Enumerable.Range(0, 20).Select(n => (Func<TrainingBlock>)(() => { var b = Block(n); lock (made) made.Add(b); return b; })).ToList();
        using var stop = new CancellationTokenSource();
        var queue = new PrefetchQueue(makers, 3, stop.Token);
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var block in queue.Take(stop.Token)) { block.Dispose(); stop.Cancel(); }
        });
        queue.Dispose();
        Assert.InRange(made.Count, 1, 5);
        Assert.All(made, b => Assert.True(b.Image.IsInvalid));
    }
}
