using System.Threading.Channels;

namespace CtSegLabel.Training.Data;

/// <summary>
/// Overlaps data loading with compute: a producer task reads one epoch's blocks in order (read from the sample cache,
/// cut, augmented, on the CPU) into a bounded channel of <c>depth</c> blocks, while the trainer takes them out. The
/// producer starts a block only while fewer than depth + 1 are built and not yet taken (the full channel plus the one
/// it is finishing) — counted by a semaphore the consumer releases, so the bound holds however the threads are
/// scheduled. Memory holds those and the block being trained on. Disposing it stops the producer and frees every
/// block not taken.
/// </summary>
internal sealed class PrefetchQueue : IDisposable
{
    private readonly Channel<TrainingBlock> _channel;
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;
    private readonly SemaphoreSlim _slots;
    private long _produced, _consumed, _maxAhead;

    public PrefetchQueue(IReadOnlyList<Func<TrainingBlock>> blocks, int depth, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _channel = Channel.CreateBounded<TrainingBlock>(new BoundedChannelOptions(depth)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _slots = new SemaphoreSlim(depth + 1, depth + 1);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _producer = Task.Run(() => Produce(blocks, _stop.Token));
    }

    /// <summary>The most blocks ever built but not yet taken (tests: never above depth + 1).</summary>
    public long MaxAhead => Interlocked.Read(ref _maxAhead);

    /// <summary>The blocks in order, as they are ready; ends after the last, or rethrows the producer's failure.
    /// Blocking: the trainer's loop stays on its own thread, where its TorchSharp dispose scopes live.</summary>
    public IEnumerable<TrainingBlock> Take(CancellationToken cancellation)
    {
        foreach (var block in _channel.Reader.ReadAllAsync(cancellation).ToBlockingEnumerable(cancellation))
        {
            Interlocked.Increment(ref _consumed);
            _slots.Release();
            yield return block;
        }
    }

    private async Task Produce(IReadOnlyList<Func<TrainingBlock>> blocks, CancellationToken cancellation)
    {
        Exception? failure = null;
        try
        {
            foreach (var make in blocks)
            {
                await _slots.WaitAsync(cancellation).ConfigureAwait(false);
                var block = make();
                long ahead = Interlocked.Increment(ref _produced) - Interlocked.Read(ref _consumed);
                InterlockedMax(ref _maxAhead, ahead);
                try { await _channel.Writer.WriteAsync(block, cancellation).ConfigureAwait(false); }
                catch { block.Dispose(); throw; }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { }
        catch (Exception e) { failure = e; }
        _channel.Writer.TryComplete(failure);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { }
        while (_channel.Reader.TryRead(out var left)) left.Dispose();
        _stop.Dispose();
        _slots.Dispose();
    }
}
