using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using CtSegLabel.Training.Data;
using CtSegLabel.Training.Losses;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Loop;

/// <summary>
/// One call of <see cref="Trainer.RunAsync"/>, on its own thread from start to end (TorchSharp's dispose scopes and
/// libtorch's grad mode are per thread): resume or start, prepare the sample cache, then per epoch train on one block
/// per training case, validate, and write last.ctseg, the optimizer state and state.json.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly TrainingPlan _plan;
    private readonly TrainingOptions _options;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly CancellationToken _cancellation;
    private readonly RunFiles _files;
    private readonly CheckpointMetadata _initial;
    private readonly ChannelMap _channels;
    private readonly int[] _instanceChannels;
    private readonly SoftDiceLoss _dice = new();
    private readonly DiscriminativeLoss _discriminative = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    /// <summary>Runs from the first epoch of this call on: the ETA's epoch time leaves the cache preparation out.</summary>
    private readonly Stopwatch _epochClock = new();
    private TimeSpan _epochClockAtFinish;
    private readonly string _fingerprint;
    private SegmentationNetwork? _network;
    private AdamW? _optimizer;

    private IReadOnlyList<CachedCase> _training = [];
    private IReadOnlyList<CachedCase> _validation = [];
    private IReadOnlyList<ClassVolumeStatistics> _classVolumes = [];
    private readonly List<EpochRecord> _history = [];
    private int _completed, _bestEpoch, _epochsThisCall;
    private long _step;
    private double? _bestDice, _lastDice;
    private double _priorSeconds, _epochLossSum;
    private int _epochBlocks;

    public TrainingSession(TrainingPlan plan, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        _plan = plan;
        _options = plan.Options;
        _progress = progress;
        _cancellation = cancellation;
        _files = new RunFiles(plan.RunDirectory);
        _fingerprint = TrainingState.FingerprintOf(plan);
        _initial = ModelCheckpoint.ReadMetadata(plan.InitialCheckpoint);
        try { _channels = ChannelMap.FromNames(_initial.Labels.Select(l => l.Name).ToList()); }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(plan.InitialCheckpoint, "labels", $"not the channels of a CT network, which training needs to map labels to ({e.Message})");
        }
        _instanceChannels = _channels.Channels.Where(c => c.Group != Imaging.Anatomy.InstanceGroup.None).Select(c => c.Channel).ToArray();
    }

    private PreprocessingParameters Preprocessing => _initial.Preprocessing;
    private SegmentationNetwork Network => _network!;

    public TrainingOutcome Run()
    {
        Directory.CreateDirectory(_files.Directory);
        Start();
        bool stopped = !Prepare();
        bool earlyStop = false;
        for (int epoch = _completed + 1; !stopped && !earlyStop && epoch <= _options.MaxEpochs; epoch++)
        {
            if (!TrainEpoch(epoch)) { stopped = true; break; }
            double? dice = null;
            if (_validation.Count > 0 && (epoch % _options.ValidateEvery == 0 || epoch == _options.MaxEpochs))
            {
                try { dice = new ValidationDice(Network, _plan.Device, Preprocessing).Score(_validation, _cancellation); }
                catch (OperationCanceledException) { stopped = true; break; }
                _lastDice = dice;
            }
            FinishEpoch(epoch, dice);
            earlyStop = ShouldStopEarly(epoch);
        }
        if (stopped)
        {
            Network.zero_grad();
            SaveLastAndState();
            Report(_completed, "stopped: last.ctseg and state.json hold epoch " + _completed.ToString(CultureInfo.InvariantCulture) + "; the run resumes from there");
        }
        else if (!File.Exists(_files.Last)) SaveLastAndState();
        WriteCurve();
        return new TrainingOutcome(_bestDice is not null && File.Exists(_files.Best) ? _files.Best : null, _files.Last, _bestDice, _bestEpoch,
            _completed, _step, stopped, _history.ToList(), _training.Select(c => c.Case.Id).ToList(), _validation.Select(c => c.Case.Id).ToList());
    }

    /// <summary>Loads the network and optimizer: from last.ctseg and the optimizer state when the run directory holds a
    /// state of this plan (and resuming is asked for), else from the initial checkpoint.</summary>
    private void Start()
    {
        if (_files.RemoveInterruptedWrites() is > 0 and var removed)
            Report(0, $"removed {removed} checkpoint temporar{(removed == 1 ? "y" : "ies")} left by an interrupted write");
        var state = _options.Resume ? TrainingState.TryRead(_files.State) : null;
        bool resume = state is not null && File.Exists(_files.Last) && File.Exists(_files.Optimizer);
        if (state is not null && state.Fingerprint != _fingerprint)
        {
            Report(0, $"{_files.State} belongs to another plan (other cases, checkpoint or optimizer settings): starting over");
            resume = false;
        }
        // Starting over: a best.ctseg left by an earlier run would be reported as this one's.
        if (!resume) File.Delete(_files.Best);
        var (network, _) = ModelCheckpoint.Load(resume ? _files.Last : _plan.InitialCheckpoint, _initial.Architecture);
        _network = _plan.Device.Place(network);
        if (Network.CheckInput([1, _initial.Architecture.InChannels, Preprocessing.BlockSlices, Preprocessing.InPlaneSize, Preprocessing.InPlaneSize]) is { } problem)
            throw new ModelFormatException(_plan.InitialCheckpoint, "preprocessing", $"blocks of {Preprocessing.BlockSlices}×{Preprocessing.InPlaneSize}×{Preprocessing.InPlaneSize} do not fit the network: {problem}");
        _optimizer = optim.AdamW(Network.parameters(), _options.LearningRate, weight_decay: _options.WeightDecay);
        if (resume)
        {
            if (state!.OptimizerSha256 is { } expected && TrainingState.FileSha256(_files.Optimizer) != expected)
            {
                // A save cut off after the optimizer state was written (it is written first): the optimizer is an epoch
                // ahead of the weights state.json vouches for. Fresh moments are sound with any weights; a mismatched
                // pair is not.
                Report(state.CompletedEpochs, $"{_files.Optimizer} does not belong to {_files.State} (a save was interrupted): resuming with a fresh optimizer");
            }
            else
            {
                using var reader = new BinaryReader(File.OpenRead(_files.Optimizer));
                _optimizer.load_state_dict(reader);
            }
            _completed = state.CompletedEpochs;
            _step = state.Step;
            _bestDice = state.BestDice;
            _bestEpoch = state.BestEpoch;
            _priorSeconds = state.ElapsedSeconds;
            _history.AddRange(state.History);
            _lastDice = state.History.LastOrDefault(h => h.ValidationDice is not null)?.ValidationDice;
            Report(_completed, $"resuming after epoch {_completed}, step {_step}");
        }
    }

    /// <summary>Splits the cases and brings every sample into the cache; false when cancelled.</summary>
    private bool Prepare()
    {
        var (training, validation) = DataSplit.Split(_plan.Cases, _options.ValidationFraction, _options.Seed);
        var cache = new SampleCache(_files.Cache, Preprocessing, _channels);
        var ready = new Dictionary<string, CachedCase?>(StringComparer.Ordinal);
        int n = 0;
        foreach (var c in training.Concat(validation).DistinctBy(c => c.Id))
        {
            if (_cancellation.IsCancellationRequested) return false;
            var cached = cache.Get(c);
            ready[c.Id] = cached;
            Report(_completed, cached is null ? $"case {c.Id}: no body in the image (nothing above the body threshold), left out"
                                              : $"case {++n}: {c.Id} ready ({cached.Header.Z} slices)");
        }
        _training = training.Select(c => ready[c.Id]).OfType<CachedCase>().ToList();
        _validation = validation.Select(c => ready[c.Id]).OfType<CachedCase>().ToList();
        if (_training.Count == 0) throw new ArgumentException("no training case holds a body to train on");
        if (validation.Count == 1 && training.Count == 1 && training[0] == validation[0])
            Report(_completed, $"one case: training and validating on {training[0].Id} (the Dice measures fit, not generalisation)");
        _classVolumes = ClassVolumes.Measure(_training, _channels, _initial.ClassVolumes);
        return !_cancellation.IsCancellationRequested;
    }

    /// <summary>One block per training case, in a seeded order; false when cancelled (the partial epoch's
    /// accumulated gradients are dropped, its optimizer steps kept).</summary>
    private bool TrainEpoch(int epoch)
    {
        _epochClock.Start();
        manual_seed(unchecked(_options.Seed * 7919 + epoch));
        var order = _training.ToArray();
        new Random(unchecked(_options.Seed * 104729 + epoch)).Shuffle(order);
        var random = new Random(unchecked(_options.Seed * 15485863 + epoch * 31 + 1));
        var sampler = new BlockSampler(Preprocessing);
        var augment = _plan.Augment;
        var makers = order.Select(c => (Func<TrainingBlock>)(() =>
        {
            var block = sampler.Random(c, random);
            if (augment is not null) block.Replace(augment(block.Image, block.Semantic, block.Instances, random));
            return block;
        })).ToList();

        _epochLossSum = 0;
        _epochBlocks = 0;
        int pending = 0;
        using var queue = new PrefetchQueue(makers, _options.PrefetchDepth, _cancellation);
        try
        {
            foreach (var block in queue.Take(_cancellation))
            {
                using (block) _epochLossSum += TrainBlock(block);
                _epochBlocks++;
                if (++pending == _options.Accumulation)
                {
                    OptimizerStep(epoch);
                    pending = 0;
                }
                else Report(epoch, string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch}/{_options.MaxEpochs} block {_epochBlocks}/{_training.Count}: loss {CurrentLoss:F4}"));
                if (_cancellation.IsCancellationRequested) return false;
            }
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested) { return false; }
        if (pending > 0) OptimizerStep(epoch);
        return true;
    }

    /// <summary>Forward, loss (soft Dice + discriminative, thesis weights) over the block's real slices, backward of
    /// loss / accumulation; the full loss is returned for the log.</summary>
    private double TrainBlock(TrainingBlock block)
    {
        using var scope = NewDisposeScope();
        Network.train();
        var device = _plan.Device;
        bool embeddings = Network.Architecture.EmbeddingDim > 0 && _instanceChannels.Any(c => block.Annotated[c]);
        var output = Network.forward(device.Place(block.Image), embeddings);
        int real = block.RealSlices;
        var semantic = block.Semantic.to(device.Device).narrow(1, 0, real);
        var annotated = tensor(block.Annotated, [1, block.Annotated.Length]).to(device.Device);
        var loss = _dice.Compute(output.Semantic.narrow(2, 0, real), semantic, annotated);
        if (embeddings && output.Embedding is { } embedding)
            loss = loss + _discriminative.Compute(embedding.narrow(2, 0, real), block.Instances.to(device.Device).narrow(1, 0, real));
        using var accumulation = ((double)_options.Accumulation).ToScalar();
        (loss / accumulation).backward();
        return loss.item<float>();
    }

    private void OptimizerStep(int epoch)
    {
        _optimizer!.step()?.Dispose();
        _optimizer.zero_grad();
        _step++;
        Report(epoch, string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch}/{_options.MaxEpochs} step {_step}: loss {CurrentLoss:F4} ({_epochBlocks}/{_training.Count} blocks)"));
    }

    private double CurrentLoss => _epochBlocks == 0 ? double.NaN : _epochLossSum / _epochBlocks;

    private void FinishEpoch(int epoch, double? dice)
    {
        bool better = dice is double d && (_bestDice is null || d > _bestDice);
        _completed = epoch;
        _epochsThisCall++;
        _epochClockAtFinish = _epochClock.Elapsed;
        _history.Add(new EpochRecord(epoch, _step, CurrentLoss, dice, Elapsed));
        if (better)
        {
            _bestDice = dice;
            _bestEpoch = epoch;
            CheckpointWriter.Save(_files.Best, Network, _plan.Device, Metadata(epoch));
        }
        SaveLastAndState();
        string diceText = dice is double v ? string.Create(CultureInfo.InvariantCulture, $", validation Dice {v:F4}{(better ? " (best: best.ctseg)" : "")}") : "";
        Report(epoch, string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{_options.MaxEpochs} done: loss {CurrentLoss:F4}{diceText}"));
    }

    private bool ShouldStopEarly(int epoch)
    {
        if (_options.EarlyStoppingPatience is not int patience || _bestDice is null || epoch - _bestEpoch < patience) return false;
        Report(epoch, FormattableString.Invariant($"early stopping: no better validation Dice for {epoch - _bestEpoch} epochs (best {_bestDice:F4} at epoch {_bestEpoch})"));
        return true;
    }

    /// <summary>Optimizer state, then last.ctseg, then state.json: a state never names weights not yet on disk.</summary>
    private void SaveLastAndState()
    {
        string? optimizerSha256 = null;
        AtomicFile.Write(_files.Optimizer, stream =>
        {
            // Hashed as it is written (state.json records it): reading the state back, about twice the weights, only
            // to hash it would double the save's I/O.
            using var sha = SHA256.Create();
            using (var hashing = new CryptoStream(stream, sha, CryptoStreamMode.Write, leaveOpen: true))
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                _optimizer!.save_state_dict(writer);
                writer.Flush();
                hashing.FlushFinalBlock();
            }
            optimizerSha256 = Convert.ToHexStringLower(sha.Hash!);
        });
        CheckpointWriter.Save(_files.Last, Network, _plan.Device, Metadata(_completed));
        new TrainingState
        {
            Fingerprint = _fingerprint,
            CompletedEpochs = _completed,
            Step = _step,
            BestDice = _bestDice,
            BestEpoch = _bestEpoch,
            ElapsedSeconds = Elapsed.TotalSeconds,
            History = _history.ToList(),
            TrainingIds = _training.Select(c => c.Case.Id).ToList(),
            ValidationIds = _validation.Select(c => c.Case.Id).ToList(),
            OptimizerSha256 = optimizerSha256,
        }.Write(_files.State);
    }

    private CheckpointMetadata Metadata(int epochs)
    {
        // "0.0.0-untrained" + training would read as untrained weights; the build suffix says how far they were trained.
        string baseVersion = _initial.ModelVersion.Split('+')[0].Replace("-untrained", "", StringComparison.Ordinal);
        var ids = _training.Select(c => c.Case.Id).ToList();
        string dataset = $"{ids.Count} training case{(ids.Count == 1 ? "" : "s")}: {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? $" and {ids.Count - 20} more" : "")}";
        string best = _bestDice is double b ? FormattableString.Invariant($"; best Dice {b:F4} at epoch {_bestEpoch}") : "";
        string notes = FormattableString.Invariant(
            $"trained from {Path.GetFileName(_plan.InitialCheckpoint)} ({_initial.ModelVersion}); lr {_options.LearningRate}, accumulation {_options.Accumulation}, ") +
            $"{_step} optimizer steps; validation on {string.Join(", ", _validation.Select(c => c.Case.Id))}{best}";
        return _initial with
        {
            ModelVersion = _options.ModelVersion ?? $"{baseVersion}+train.e{epochs}",
            ClassVolumes = _classVolumes,
            CreatedUtc = DateTimeOffset.UtcNow,
            Provenance = new TrainingProvenance
            {
                Trained = _step > 0 || _initial.Provenance.Trained,
                Source = "training",
                Seed = _options.Seed,
                Epochs = epochs,
                Dataset = dataset,
                Notes = notes,
            },
        };
    }

    private void WriteCurve()
    {
        TrainingCurve.WriteCsv(_files.CurveCsv, _history);
        if (_history.Count > 0) TrainingCurve.WritePng(_files.CurvePng, _history);
    }

    private TimeSpan Elapsed => TimeSpan.FromSeconds(_priorSeconds) + _clock.Elapsed;

    private void Report(int epoch, string message)
    {
        if (_progress is null) return;
        TimeSpan? eta = null;
        if (_epochsThisCall > 0)
        {
            var left = _epochClockAtFinish / _epochsThisCall * Math.Max(0, _options.MaxEpochs - _completed) - (_epochClock.Elapsed - _epochClockAtFinish);
            eta = left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
        _progress.Report(new TrainingProgress(epoch, _options.MaxEpochs, _step, _epochBlocks > 0 ? CurrentLoss : double.NaN,
            _lastDice, _bestDice, Elapsed, eta, message));
    }

    public void Dispose()
    {
        _optimizer?.Dispose();
        _network?.Dispose();
    }
}
