namespace CtSegLabel.Training;

/// <summary>How to train (thesis §3.6). Defaults are the thesis's training from scratch; <see cref="FineTune"/> its
/// fine-tuning numbers.</summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs in all, resumed ones included: a resumed run stops at this epoch, not this many more.</summary>
    public int MaxEpochs { get; init; } = 50;

    /// <summary>AdamW's learning rate (thesis: 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Blocks whose gradients are summed before one optimizer step (batch size 1; thesis: 32). The last step
    /// of an epoch takes whatever is left.</summary>
    public int Accumulation { get; init; } = 32;

    /// <summary>AdamW's decoupled weight decay; 0.01 is PyTorch's default, which the thesis did not change.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Share of the cases held out for validation, rounded, at least one when there are two cases or more and
    /// always leaving one to train on. With a single case it is both trained and validated on (the outcome's
    /// validation ids say so). 0 = no validation: no best checkpoint.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Validate every this many epochs (and always after the last one).</summary>
    public int ValidateEvery { get; init; } = 1;

    /// <summary>Stop after this many epochs without a better validation Dice; null = never.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Seeds the split, the epoch order, the blocks, the augmentation and the network's dropout.</summary>
    public int Seed { get; init; }

    /// <summary>Blocks prepared ahead of the network (the bounded prefetch queue).</summary>
    public int PrefetchDepth { get; init; } = 2;

    /// <summary>Continue a run found in the run directory for the same plan; false starts over.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>The version written into the checkpoints; null = the initial checkpoint's version with "+train.eN".</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The thesis's fine-tuning numbers: learning rate 2e-4, accumulation 72.</summary>
    public static TrainingOptions FineTune => new() { LearningRate = 2e-4, Accumulation = 72 };

    /// <summary>Everything wrong with these options; empty when they can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (MaxEpochs < 1) p.Add($"MaxEpochs must be at least 1, got {MaxEpochs}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) p.Add($"LearningRate must be a positive number, got {LearningRate}");
        if (Accumulation < 1) p.Add($"Accumulation must be at least 1, got {Accumulation}");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) p.Add($"WeightDecay must be 0 or positive, got {WeightDecay}");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) p.Add($"ValidationFraction must be in [0, 1), got {ValidationFraction}");
        if (ValidateEvery < 1) p.Add($"ValidateEvery must be at least 1, got {ValidateEvery}");
        if (EarlyStoppingPatience is < 1) p.Add($"EarlyStoppingPatience must be at least 1, got {EarlyStoppingPatience}");
        if (PrefetchDepth < 1) p.Add($"PrefetchDepth must be at least 1, got {PrefetchDepth}");
        return p;
    }
}
