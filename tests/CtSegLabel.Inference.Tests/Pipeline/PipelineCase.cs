using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>A phantom (or labelled CT) run through the real pipeline with the oracle, and how the result compares
/// with the truth on the input grid.</summary>
public sealed class PipelineCase
{
    public PipelineCase(Volume ct, Volume<byte> truth, PipelineSettings settings, OraclePredictor oracle)
    {
        Ct = ct;
        Truth = truth;
        Settings = settings;
        Oracle = oracle;
        Result = SegmentationPipeline.Run(ct, oracle, settings, Progress);
    }

    public Volume Ct { get; }
    public Volume<byte> Truth { get; }
    public PipelineSettings Settings { get; }
    public OraclePredictor Oracle { get; }
    public PipelineResult Result { get; }
    public List<PipelineProgress> Reports { get; } = [];
    private IProgress<PipelineProgress> Progress => new SyncProgress(Reports.Add);

    /// <summary>Small model grids keep the tests fast; the thesis's block depth and overlap are kept.</summary>
    public static PreprocessingParameters SmallModel(int inPlane = 48) => new() { InPlaneSize = inPlane };

    public static PipelineCase Phantom(long seed, int slices, RangeKind range, PhantomOrientation orientation = PhantomOrientation.Lps,
        int size = 80, double pixelMm = 5.5, PreprocessingParameters? preprocessing = null, RibMode ribs = RibMode.ConnectedComponents,
        Func<Volume<short>, Volume<byte>, (Volume Ct, Volume<byte> Truth)>? transform = null)
    {
        var phantom = PhantomGenerator.Generate(seed, 0, new PhantomOptions
        {
            Size = size, Slices = slices, Range = range, Orientation = orientation, Spacing = new Vec3(pixelMm, pixelMm, 3.0),
        });
        var (ct, truth) = transform is null ? (phantom.Ct, phantom.Labels) : transform(phantom.Ct, phantom.Labels);
        return Run(ct, truth, preprocessing ?? SmallModel(), ribs);
    }

    public static PipelineCase Run(Volume ct, Volume<byte> truth, PreprocessingParameters preprocessing, RibMode ribs = RibMode.ConnectedComponents,
        IReadOnlySet<string>? roi = null)
    {
        var settings = new PipelineSettings
        {
            Channels = ChannelMap.Thesis, Preprocessing = preprocessing, Ribs = ribs, RoiSubset = roi, InstanceThresholds = PhantomThresholds,
        };
        return new PipelineCase(ct, truth, settings, new OraclePredictor(truth, ChannelMap.Thesis, ct: ct, preprocessing: preprocessing));
    }

    /// <summary>
    /// Small-object thresholds for the phantoms on the small test grids. The thesis's (about one real vertebra: 1873
    /// voxels of 128² × 3 mm) are meant for a network whose spine is one component; the phantoms' vertebrae are
    /// cleanly separated by their discs, so each is its own component and, on a 48² grid, below the converted
    /// thesis value. These keep every true instance and still remove slivers.
    /// </summary>
    public static IReadOnlyDictionary<InstanceGroup, long> PhantomThresholds { get; } = new Dictionary<InstanceGroup, long>
    {
        [InstanceGroup.ThoracicVertebra] = 20, [InstanceGroup.LumbarVertebra] = 20, [InstanceGroup.RibLeft] = 3, [InstanceGroup.RibRight] = 3,
    };

    public NumberedLabelMap Labels => Result.Labels;

    /// <summary>Dice of one organ between the result and the truth.</summary>
    public double OrganDice(string organ)
    {
        int truthValue = CtClassTable.ByName(organ).Value;
        int value = Labels.Labels.Single(l => l.Name == organ).Value;
        long both = 0, predicted = 0, truth = 0;
        var map = Labels.Map.Data;
        for (int v = 0; v < map.Length; v++)
        {
            bool p = map[v] == value, t = Truth.Data[v] == truthValue;
            if (p) predicted++;
            if (t) truth++;
            if (p && t) both++;
        }
        return predicted + truth == 0 ? 1 : 2.0 * both / (predicted + truth);
    }

    public long TruthVoxels(int value) => Truth.Data.LongCount(v => v == value);

    /// <summary>The truth's instances of a group in view (their table values).</summary>
    public SortedSet<int> TruthInstances(InstanceGroup group)
    {
        var values = CtClassTable.GroundTruth.Where(c => c.Group == group).Select(c => c.Value).ToHashSet();
        var seen = new SortedSet<int>();
        foreach (byte v in Truth.Data) if (values.Contains(v)) seen.Add(v);
        return seen;
    }

    /// <summary>The result's labels of a group, by their names (anatomical or ordinal).</summary>
    public List<LabelEntry> ResultInstances(InstanceGroup group) => Labels.Labels.Where(l => GroupOfName(l.Name) == group).ToList();

    public static InstanceGroup GroupOfName(string name) => name switch
    {
        _ when name.StartsWith("vertebra_T", StringComparison.Ordinal) || name.StartsWith("thoracic_vertebra_", StringComparison.Ordinal) => InstanceGroup.ThoracicVertebra,
        _ when name.StartsWith("vertebra_L", StringComparison.Ordinal) || name.StartsWith("lumbar_vertebra_", StringComparison.Ordinal) => InstanceGroup.LumbarVertebra,
        _ when name.StartsWith("rib_left_", StringComparison.Ordinal) || name.StartsWith("left_rib_", StringComparison.Ordinal) => InstanceGroup.RibLeft,
        _ when name.StartsWith("rib_right_", StringComparison.Ordinal) || name.StartsWith("right_rib_", StringComparison.Ordinal) => InstanceGroup.RibRight,
        _ => InstanceGroup.None,
    };

    /// <summary>Result value → truth value it overlaps most, and how many result values cover each truth value.</summary>
    public Dictionary<int, HashSet<int>> ResultValuesPerTruthValue(InstanceGroup group)
    {
        var truthValues = CtClassTable.GroundTruth.Where(c => c.Group == group).Select(c => c.Value).ToHashSet();
        var resultValues = ResultInstances(group).Select(l => l.Value).ToHashSet();
        var cover = new Dictionary<int, HashSet<int>>();
        var map = Labels.Map.Data;
        for (int v = 0; v < map.Length; v++)
        {
            if (!truthValues.Contains(Truth.Data[v]) || !resultValues.Contains(map[v])) continue;
            if (!cover.TryGetValue(Truth.Data[v], out var set)) cover[Truth.Data[v]] = set = [];
            set.Add(map[v]);
        }
        return cover;
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
