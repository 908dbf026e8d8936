using System.Text.Json.Nodes;
using CtSegLabel.AppContract;

namespace CtSegLabel.CtApp;

/// <summary>
/// The epistemic scoring's parameters — the keys of its <c>config</c> in <c>/info/</c>, overlaid by the request.
/// <c>simulation_size</c> and <c>max_samples</c> are MONAI Label's names and defaults (5 passes, 0 = every image).
/// </summary>
public sealed record EpistemicOptions
{
    public const string ModelKey = "model";
    public const string PassesKey = "simulation_size";
    public const string MaxSamplesKey = "max_samples";
    public const string DropoutKey = "dropout";
    public const string MaxWindowsKey = "max_windows";

    /// <summary>MONAI Label's default number of stochastic passes per image.</summary>
    public const int DefaultPasses = 5;

    /// <summary>Windows scored per image on a CPU by default: a thesis-size window takes ~20 s per pass there, so a
    /// whole body's ~10 windows × 5 passes would take a quarter of an hour per image.</summary>
    public const int CpuMaxWindows = 4;

    public required string Model { get; init; }

    /// <summary>Stochastic forward passes per window (at least 2: one pass has no spread).</summary>
    public int Passes { get; init; } = DefaultPasses;

    /// <summary>Unlabeled images scored per run (those not scored before with this checkpoint and these settings); 0: all.</summary>
    public int MaxSamples { get; init; }

    /// <summary>0: the network's own dropout rates (those it was trained with); else every dropout layer gets this rate.</summary>
    public double Dropout { get; init; }

    /// <summary>Windows per image, spread evenly from the top to the bottom of the body; 0: every window inference runs.</summary>
    public int MaxWindows { get; init; }

    /// <summary>The published config: the models to choose from (first is the default) and the defaults for this device.</summary>
    public static JsonObject Config(IReadOnlyList<string> models, bool cuda) => new()
    {
        [ModelKey] = new JsonArray(models.Select(m => (JsonNode?)m).ToArray()),
        [PassesKey] = DefaultPasses,
        [MaxSamplesKey] = 0,
        [DropoutKey] = 0.0,
        [MaxWindowsKey] = cuda ? 0 : CpuMaxWindows,
    };

    /// <summary>Reads a scoring request; a value of the wrong kind or out of range raises <see cref="InferParameterException"/> naming the key.</summary>
    public static EpistemicOptions FromRequest(JsonObject request, IReadOnlyList<string> models, bool cuda)
    {
        var defaults = Config(models, cuda);
        string model = request[ModelKey] is JsonValue v && v.TryGetValue(out string? m) && m.Length > 0 ? m : models[0];
        if (!models.Contains(model)) throw new InferParameterException(ModelKey, $"must be one of {string.Join(", ", models)} (got '{model}')");
        var options = new EpistemicOptions
        {
            Model = model,
            Passes = RequestValues.Integer(request, PassesKey) ?? DefaultPasses,
            MaxSamples = RequestValues.Integer(request, MaxSamplesKey) ?? 0,
            Dropout = RequestValues.Number(request, DropoutKey) ?? 0,
            MaxWindows = RequestValues.Integer(request, MaxWindowsKey) ?? defaults[MaxWindowsKey]!.GetValue<int>(),
        };
        if (options.Passes < 2) throw new InferParameterException(PassesKey, $"must be at least 2: one pass has no spread (got {options.Passes})");
        if (options.MaxSamples < 0) throw new InferParameterException(MaxSamplesKey, $"must be 0 (all) or positive (got {options.MaxSamples})");
        if (options.MaxWindows < 0) throw new InferParameterException(MaxWindowsKey, $"must be 0 (all) or positive (got {options.MaxWindows})");
        if (!(options.Dropout >= 0 && options.Dropout < 1))
            throw new InferParameterException(DropoutKey, $"must be in [0, 1): 0 keeps the network's own rates (got {options.Dropout})");
        return options;
    }

    /// <summary>The windows to score among <paramref name="total"/>: all, or <see cref="MaxWindows"/> spread evenly,
    /// first and last included (the top and the bottom of the body are both seen).</summary>
    public int[] WindowIndices(int total)
    {
        if (MaxWindows == 0 || MaxWindows >= total) return Enumerable.Range(0, total).ToArray();
        if (MaxWindows == 1) return [total / 2];
        return Enumerable.Range(0, MaxWindows)
            .Select(n => (int)Math.Round((double)n * (total - 1) / (MaxWindows - 1), MidpointRounding.AwayFromZero))
            .Distinct().ToArray();
    }
}
