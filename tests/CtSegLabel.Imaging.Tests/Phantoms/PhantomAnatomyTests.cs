using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Phantoms;

/// <summary>The label map of a whole-body phantom is usable as exact ground truth: every class is
/// present where anatomy puts it, every rib and vertebra is one separate instance, ribs meet their
/// own vertebra only, and tissues have plausible Hounsfield units.</summary>
public class PhantomAnatomyTests(WholeBodyPhantomFixture fixture) : IClassFixture<WholeBodyPhantomFixture>
{
    private readonly Volume<byte> _labels = fixture.Phantom.Labels;
    private readonly Volume<short> _ct = fixture.Phantom.Ct;

    private static byte V(string name) => (byte)CtClassTable.ByName(name).Value;

    [Fact]
    public void LabelValuesAreClassTableValuesAndEveryClassOfAWholeBodyIsPresent()
    {
        var present = _labels.Data.Distinct().Where(v => v != 0).Select(v => (int)v).ToHashSet();
        var known = CtClassTable.GroundTruth.Select(c => c.Value).ToHashSet();
        Assert.Subset(known, present);
        var expected = CtClassTable.GroundTruth.Where(c => c.Name != "vertebra_L6").Select(c => c.Value);
        var missing = expected.Where(v => !present.Contains(v)).Select(v => CtClassTable.ByValue(v).Name).ToList();
        Assert.Empty(missing);
        Assert.Equal(fixture.Phantom.Plan.Variation.HasL6, present.Contains(V("vertebra_L6")));
    }

    [Fact]
    public void EveryRibAndVertebraIsOneConnectedComponent()
    {
        var components = ConnectedComponents.Label(_labels, Connectivity.Full26, ComponentGrouping.PerValue);
        var perValue = components.Components.GroupBy(c => (int)c.Value).ToDictionary(g => g.Key, g => g.Count());
        foreach (var c in CtClassTable.GroundTruth.Where(c => c.IsInstance && perValue.ContainsKey(c.Value)))
            Assert.True(perValue[c.Value] == 1, $"{c.Name} has {perValue[c.Value]} connected components");
    }

    [Fact]
    public void RibNTouchesVertebraTnAndNoOtherRibOrVertebra()
    {
        var bones = CtClassTable.GroundTruth.Where(c => c.Group is InstanceGroup.ThoracicVertebra or InstanceGroup.LumbarVertebra or InstanceGroup.RibLeft or InstanceGroup.RibRight || c.Name == "vertebrae_cervical")
            .Select(c => (byte)c.Value).ToHashSet();
        var contacts = Contacts(_labels, bones);
        for (int n = 1; n <= 12; n++)
            foreach (bool left in new[] { true, false })
            {
                byte rib = (byte)CtClassTable.Rib(left, n).Value;
                byte own = (byte)CtClassTable.Thoracic(n).Value;
                Assert.True(contacts.GetValueOrDefault((rib, own)) > 0, $"rib {(left ? "left" : "right")} {n} does not reach T{n}");
                var others = contacts.Where(kv => kv.Key.A == rib && kv.Key.B != own).Select(kv => $"{CtClassTable.ByValue(kv.Key.B).Name} ({kv.Value} voxels)").ToList();
                Assert.True(others.Count == 0, $"rib {(left ? "left" : "right")} {n} touches {string.Join(", ", others)}");
            }
    }

    [Fact]
    public void VertebraeAreSeparatedByDiscGapsAndStackInOrder()
    {
        var levels = Enumerable.Range(1, 12).Select(n => CtClassTable.Thoracic(n))
            .Concat(Enumerable.Range(1, fixture.Phantom.Plan.Variation.HasL6 ? 6 : 5).Select(n => CtClassTable.Lumbar(n))).ToList();
        var ranges = SliceRanges(_labels);
        double dz = _labels.Geometry.Spacing.Z;
        for (int n = 0; n + 1 < levels.Count; n++)
        {
            var upper = ranges[(byte)levels[n].Value];
            var lower = ranges[(byte)levels[n + 1].Value];
            // k grows upward (LPS), so the lower vertebra's top slice is below the upper's bottom slice
            // with at least one empty slice (the disc) between.
            Assert.True(lower.Max + 1 < upper.Min, $"{levels[n + 1].Name} (slices {lower.Min}–{lower.Max}) and {levels[n].Name} (slices {upper.Min}–{upper.Max}) have no disc gap");
            double height = (upper.Max - upper.Min + 1) * dz;
            Assert.InRange(height, 12, 40);
        }
        double t1ToL5 = (ranges[V("vertebra_T1")].Max - ranges[V("vertebra_L5")].Min + 1) * dz;
        Assert.InRange(t1ToL5, 440, 570);
        // Head above the neck above the chest above the pelvis above the thighs.
        Assert.True(ranges[V("brain")].Min > ranges[V("vertebrae_cervical")].Max);
        Assert.True(ranges[V("vertebrae_cervical")].Min > ranges[V("vertebra_T1")].Max);
        Assert.True(ranges[V("vertebra_L5")].Min > ranges[V("sacrum_coccyx")].Min);
        Assert.True(ranges[V("femur_left")].Min < ranges[V("urinary_bladder")].Min);
        Assert.True(ranges[V("adrenal_gland_right")].Max > ranges[V("kidney_right")].Max);
    }

    [Fact]
    public void TissuesHavePlausibleHounsfieldUnits()
    {
        var sum = new double[256];
        var count = new long[256];
        for (long n = 0; n < _labels.Data.Length; n++)
        {
            sum[_labels.Data[n]] += _ct.Data[n];
            count[_labels.Data[n]]++;
        }
        double Mean(string name) => sum[V(name)] / count[V(name)];
        Assert.InRange(Mean("lung_left"), -1000, -700);
        Assert.InRange(Mean("lung_right"), -1000, -700);
        Assert.InRange(Mean("liver"), 40, 80);
        Assert.InRange(Mean("spleen"), 35, 130);
        Assert.InRange(Mean("brain"), 20, 50);
        Assert.InRange(Mean("urinary_bladder"), -10, 30);
        Assert.InRange(Mean("heart"), 30, 260);
        Assert.InRange(Mean("aorta_abdominal"), 30, 270);
        Assert.InRange(Mean("gluteus_maximus_left"), 20, 70);
        foreach (var bone in CtClassTable.GroundTruth.Where(c => c.IsInstance || c.Name is "skull" or "sternum" or "hip_left" or "sacrum_coccyx" or "vertebrae_cervical"))
            if (count[bone.Value] > 0) Assert.True(sum[bone.Value] / count[bone.Value] > 300, $"{bone.Name}: mean {sum[bone.Value] / count[bone.Value]:F0} HU");
        // Outside the body: air.
        Assert.InRange(_ct[0, 0, 0], -1024, -900);
    }

    [Fact]
    public void OrgansSitOnTheirAnatomicalSide()
    {
        // LPS: x grows toward the patient's left. Mean x of every label in one pass.
        var g = _labels.Geometry;
        var sumX = new double[256];
        var count = new long[256];
        int n = 0;
        for (int k = 0; k < g.Shape.Z; k++)
            for (int j = 0; j < g.Shape.Y; j++)
                for (int i = 0; i < g.Shape.X; i++, n++)
                {
                    byte v = _labels.Data[n];
                    sumX[v] += g.Origin.X + i * g.Spacing.X;
                    count[v]++;
                }
        double MeanX(string name) => sumX[V(name)] / count[V(name)];
        double centre = MeanX("vertebra_T8");
        Assert.True(MeanX("liver") < centre && MeanX("spleen") > centre && MeanX("heart") > centre);
        foreach (var pair in new[] { "lung", "kidney", "femur", "humerus", "hip", "clavicle", "scapula", "gluteus_maximus", "adrenal_gland" })
            Assert.True(MeanX($"{pair}_left") > centre && MeanX($"{pair}_right") < centre, pair);
        for (int r = 1; r <= 12; r++)
            Assert.True(MeanX($"rib_left_{r}") > centre && MeanX($"rib_right_{r}") < centre, $"rib {r}");
    }

    /// <summary>For each ordered pair of bone values, how many voxels of the first have a 26-neighbour of the second.</summary>
    private static Dictionary<(byte A, byte B), int> Contacts(Volume<byte> labels, HashSet<byte> values)
    {
        var s = labels.Shape;
        var isBone = new bool[256];
        foreach (byte v in values) isBone[v] = true;
        var counts = new int[256, 256];
        var d = labels.Data;
        Span<bool> seen = stackalloc bool[256];
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                {
                    byte a = d[s.Index(i, j, k)];
                    if (!isBone[a]) continue;
                    seen.Clear();
                    for (int dk = -1; dk <= 1; dk++)
                        for (int dj = -1; dj <= 1; dj++)
                            for (int di = -1; di <= 1; di++)
                            {
                                if (!s.Contains(i + di, j + dj, k + dk)) continue;
                                byte b = d[s.Index(i + di, j + dj, k + dk)];
                                if (b != a && isBone[b] && !seen[b]) { seen[b] = true; counts[a, b]++; }
                            }
                }
        var result = new Dictionary<(byte, byte), int>();
        foreach (byte a in values)
            foreach (byte b in values)
                if (counts[a, b] > 0) result[(a, b)] = counts[a, b];
        return result;
    }

    private static Dictionary<byte, (int Min, int Max)> SliceRanges(Volume<byte> labels)
    {
        var result = new Dictionary<byte, (int, int)>();
        for (int k = 0; k < labels.Shape.Z; k++)
            foreach (byte v in labels.Slice(k).ToArray().Distinct())
                result[v] = result.TryGetValue(v, out var r) ? (Math.Min(r.Item1, k), Math.Max(r.Item2, k)) : (k, k);
        return result;
    }
}
