using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Training.Loop;

/// <summary>
/// state.json: what a resumed run needs besides last.ctseg and the optimizer state — the plan's fingerprint (a run is
/// resumed only for the same plan), the epochs completed, the step count, the best Dice and the history. Written after
/// the checkpoint and the optimizer state, so a state on disk never names an epoch its weights have not reached.
/// </summary>
internal sealed record TrainingState
{
    public required string Fingerprint { get; init; }
    public int CompletedEpochs { get; init; }
    public long Step { get; init; }
    public double? BestDice { get; init; }
    public int BestEpoch { get; init; }
    public int EpochsSinceBest { get; init; }
    public double ElapsedSeconds { get; init; }
    public IReadOnlyList<EpochRecord> History { get; init; } = [];
    public IReadOnlyList<string> TrainingIds { get; init; } = [];
    public IReadOnlyList<string> ValidationIds { get; init; } = [];

    /// <summary>SHA-256 of the optimizer state saved with these weights. The optimizer state is written before the
    /// weights, so a kill between the two leaves a newer optimizer beside older weights; this names the one that
    /// belongs (null in states written before it was recorded).</summary>
    public string? OptimizerSha256 { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public void Write(string path) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, Json));

    /// <summary>The state, or null when there is none or it cannot be read (then the run starts over).</summary>
    public static TrainingState? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; }
    }

    /// <summary>A file's SHA-256 in lower-case hex, as <see cref="OptimizerSha256"/> records it.</summary>
    public static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>What makes two plans the same training: the cases (ids and files), the initial checkpoint, the
    /// optimizer's numbers, the split and the seed. Not the epoch count, validation cadence, patience or prefetch
    /// depth — a run may be continued for more epochs.</summary>
    public static string FingerprintOf(TrainingPlan plan)
    {
        var o = plan.Options;
        var text = new StringBuilder();
        foreach (var c in plan.Cases.OrderBy(c => c.Id, StringComparer.Ordinal))
            text.Append(c.Id).Append('|').Append(Path.GetFullPath(c.ImagePath)).Append('|').Append(Path.GetFullPath(c.LabelPath))
                .Append('|').Append(c.LabelNames is null ? "-" : string.Join(",", c.LabelNames)).Append('\n');
        var init = new FileInfo(plan.InitialCheckpoint);
        text.Append(init.FullName).Append('|').Append(init.Exists ? init.Length : -1).Append('\n');
        text.Append(FormattableString.Invariant($"{o.LearningRate}|{o.Accumulation}|{o.WeightDecay}|{o.ValidationFraction}|{o.Seed}|{plan.Augment is null}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
