using CtSegLabel.AppContract;
using CtSegLabel.AppContract.Builtin;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>
/// The CT app the server runs by default: the thesis's two networks as infer tasks, each serving the current
/// checkpoint of its subfolder of the models folder (<see cref="ModelStore"/>) and as trainers that fine-tune it into a
/// new version (<see cref="CtTrainTask"/>), plus the next-sample strategies
/// (random, first, epistemic) and scoring methods (dice, sum, epistemic). Networks run where
/// <see cref="ComputeDevice.Default"/> says (CTSEG_DEVICE, CTSEG_PRECISION).
/// </summary>
public sealed partial class CtSegmentationApp : ISegmentationApp, IDisposable
{
    public const string SwinUnetrV2Model = "swinunetr_v2";
    public const string SliceTransformerModel = "slice_transformer";

    /// <summary>The models this app serves: the name (also its subfolder of the models folder), the architecture of
    /// its checkpoints, and what /info/ says about it.</summary>
    public static IReadOnlyList<(string Name, string Architecture, string Description)> Models { get; } =
    [
        (SwinUnetrV2Model, SwinUnetrV2Architecture.ArchName,
            "SwinUNETR-V2 (thesis §3.4): organs, ribs and vertebrae as instances, on CTs of any axial range"),
        (SliceTransformerModel, SliceTransformerArchitecture.ArchName,
            "Slice transformer (thesis §3.3): organs, ribs and vertebrae as instances, on CTs of any axial range"),
    ];

    public CtSegmentationApp(AppEnvironment environment) : this(environment, ComputeDevice.Default) { }

    public CtSegmentationApp(AppEnvironment environment, ComputeDevice device)
    {
        Store = new ModelStore(environment.ModelsPath, device);
        InferTasks = Models.Select(m => (IInferTask)new CtInferTask(Store, m.Name, m.Architecture, m.Description)).ToList();
        TrainTasks = Models.Select(m => (ITrainTask)new CtTrainTask(Store, m.Name, m.Architecture, m.Description)).ToList();
        ScoringMethods = [new DiceScoring(), new SumScoring(), new EpistemicScoring(Store)];
    }

    public ModelStore Store { get; }

    public string Name => "CtSegLabel CT";

    public string Description => "Whole-CT segmentation of organs, ribs and vertebrae with vision transformers on 64-slice windows";

    public string Version => typeof(CtSegmentationApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public IReadOnlyList<string>? Labels => null;

    public IReadOnlyList<IInferTask> InferTasks { get; }

    public IReadOnlyList<ITrainTask> TrainTasks { get; }

    public IReadOnlyList<IStrategy> Strategies { get; } = [new RandomStrategy(), new FirstStrategy(), new EpistemicStrategy()];

    public IReadOnlyList<IScoringMethod> ScoringMethods { get; }

    public void Dispose() => Store.Dispose();
}
