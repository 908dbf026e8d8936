using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Training;

namespace CtSegLabel.CtApp;

/// <summary>
/// The parameters of a CT fine-tune — the trainer's <c>config</c> in <c>/info/</c>, which Slicer shows and sends back
/// on <c>POST /train/{model}</c>. MONAI Label's own keys keep their meaning (<c>name</c>, <c>max_epochs</c>,
/// <c>val_split</c>, <c>early_stop_patience</c> with −1 = off, <c>pretrained</c>); the defaults are the thesis's
/// fine-tuning recipe (AdamW lr 2e-4, gradient accumulation 72).
/// </summary>
public sealed record CtTrainOptions
{
    public const string NameKey = "name";
    public const string MaxEpochsKey = "max_epochs";
    public const string ValidationKey = "val_split";
    public const string PatienceKey = "early_stop_patience";
    public const string PretrainedKey = "pretrained";
    public const string LearningRateKey = "learning_rate";
    public const string AccumulationKey = "gradient_accumulation";
    public const string AugmentKey = "augment";
    public const string SeedKey = "seed";

    /// <summary>The run's name: its folder under the model's <c>runs/</c>; a stopped run of the same name resumes.</summary>
    public string Name { get; init; } = "train_01";

    public bool Pretrained { get; init; } = true;

    public bool Augment { get; init; } = true;

    public TrainingOptions Training { get; init; } = TrainingOptions.FineTune;

    public static JsonObject Config()
    {
        var d = new CtTrainOptions();
        return new JsonObject
        {
            [NameKey] = d.Name,
            [MaxEpochsKey] = d.Training.MaxEpochs,
            [ValidationKey] = d.Training.ValidationFraction,
            [PatienceKey] = -1,
            [PretrainedKey] = d.Pretrained,
            [LearningRateKey] = d.Training.LearningRate,
            [AccumulationKey] = d.Training.Accumulation,
            [AugmentKey] = d.Augment,
            [SeedKey] = d.Training.Seed,
        };
    }

    /// <summary>Reads the keys it knows (others — Slicer's <c>device</c>, <c>train_batch_size</c>… — are ignored); a
    /// value of the wrong kind or out of range raises <see cref="InferParameterException"/> naming the key.</summary>
    public static CtTrainOptions FromParams(JsonObject parameters)
    {
        var options = new CtTrainOptions();
        var training = options.Training;
        if (parameters[NameKey] is { } nameNode)
        {
            string name = nameNode.GetValueKind() == JsonValueKind.String ? nameNode.GetValue<string>() : "";
            if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') || name.StartsWith('.'))
                throw new InferParameterException(NameKey, $"'{nameNode.ToJsonString()}' is not a run name (letters, digits, _ - ., at most 64, not starting with .)");
            options = options with { Name = name };
        }
        if (RequestValues.Integer(parameters, MaxEpochsKey, 1, 100_000) is { } epochs) training = training with { MaxEpochs = epochs };
        if (RequestValues.Number(parameters, ValidationKey, 0, 0.9) is { } split) training = training with { ValidationFraction = split };
        if (RequestValues.Integer(parameters, PatienceKey, -1, 100_000) is { } patience) training = training with { EarlyStoppingPatience = patience <= 0 ? null : patience };
        if (RequestValues.Number(parameters, LearningRateKey, 1e-8, 1) is { } lr) training = training with { LearningRate = lr };
        if (RequestValues.Integer(parameters, AccumulationKey, 1, 10_000) is { } accumulation) training = training with { Accumulation = accumulation };
        if (RequestValues.Integer(parameters, SeedKey, 0, int.MaxValue) is { } seed) training = training with { Seed = seed };
        if (RequestValues.Boolean(parameters, PretrainedKey) is { } pretrained) options = options with { Pretrained = pretrained };
        if (RequestValues.Boolean(parameters, AugmentKey) is { } augment) options = options with { Augment = augment };
        return options with { Training = training };
    }
}
