using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Training.Tests;

public class TrainingTargetsTests
{
    private static readonly PreprocessingParameters Small = new() { InPlaneSize = 48 };

    private static Phantom Phantom(PhantomOrientation orientation) => PhantomGenerator.Generate(11, 0, new PhantomOptions
    {
        Size = 80, Slices = 70, Range = RangeKind.NeckToThigh, Orientation = orientation, Spacing = new Vec3(5.5, 5.5, 3.0),
    });

    [Theory]
    [InlineData(PhantomOrientation.Lps)]
    [InlineData(PhantomOrientation.Ras)]
    public void Targets_lie_where_the_truth_is_in_the_world(PhantomOrientation orientation)
    {
        // Independent of how the targets are computed: every model voxel's world position is looked up in the
        // ground truth directly. A flip, an off-by-one crop or a swapped axis would break the agreement.
        var phantom = Phantom(orientation);
        var sample = TrainingTargets.Build(phantom.Ct, phantom.Labels, Small, ChannelMap.Thesis)!;
        Assert.Equal(sample.Image.Shape, sample.Semantic.Shape);
        Assert.Equal("LPI", sample.Semantic.Geometry.OrientationCode);
        var truth = phantom.Labels;
        var g = sample.Semantic.Geometry;
        long same = 0, inside = 0;
        for (int k = 0; k < g.Shape.Z; k++)
        for (int j = 0; j < g.Shape.Y; j++)
        for (int i = 0; i < g.Shape.X; i++)
        {
            var t = truth.Geometry.WorldToIndex(g.IndexToWorld(i, j, k));
            int ti = (int)Math.Round(t.X), tj = (int)Math.Round(t.Y), tk = (int)Math.Round(t.Z);
            if (ti < 0 || tj < 0 || tk < 0 || ti >= truth.Shape.X || tj >= truth.Shape.Y || tk >= truth.Shape.Z) continue;
            inside++;
            if (sample.Semantic[i, j, k] == ChannelOf(truth[ti, tj, tk])) same++;
        }
        Assert.True(inside > g.Shape.VoxelCount / 2, $"only {inside} model voxels fall inside the truth's grid");
        // Nearest on both sides can disagree only where a boundary passes between the two lattices' centres.
        Assert.True(same > 0.97 * inside, $"{same} of {inside} targets agree with the truth at the same point");
    }

    [Fact]
    public void Ribs_and_vertebrae_keep_their_class_value_as_instance_id_inside_their_channel()
    {
        var phantom = Phantom(PhantomOrientation.Lps);
        var sample = TrainingTargets.Build(phantom.Ct, phantom.Labels, Small, ChannelMap.Thesis)!;
        var ids = new HashSet<int>();
        for (long n = 0; n < sample.Semantic.Data.LongLength; n++)
        {
            int id = sample.Instances.Data[n];
            var channel = ChannelMap.Thesis.Channels[sample.Semantic.Data[n]];
            if (id == 0) { Assert.Equal(InstanceGroup.None, channel.Group); continue; }
            var cls = CtClassTable.ByValue(id);
            Assert.Equal(cls.Group, channel.Group);
            ids.Add(id);
        }
        var truthIds = phantom.Labels.Data.Where(v => v != 0 && CtClassTable.ByValue(v).IsInstance).Select(v => (int)v).ToHashSet();
        Assert.True(ids.Count >= 10, $"only {ids.Count} instances on the model grid");
        Assert.Subset(truthIds, ids);
    }

    [Fact]
    public void Classes_missing_from_the_annotation_are_marked_so_but_background_never()
    {
        var phantom = Phantom(PhantomOrientation.Lps);
        // An annotation of the liver alone: every other organ is unknown, not background.
        var liver = CtClassTable.ByName("liver").Value;
        var labels = new Volume<byte>(phantom.Labels.Geometry);
        for (long n = 0; n < labels.Data.LongLength; n++) labels.Data[n] = phantom.Labels.Data[n] == liver ? (byte)liver : (byte)0;
        var sample = TrainingTargets.Build(phantom.Ct, labels, Small, ChannelMap.Thesis, TrainingTargets.AnnotatedClasses(labels))!;
        var annotated = ChannelMap.Thesis.Channels.Where(c => sample.Annotated[c.Channel]).Select(c => c.Name).ToList();
        Assert.Equal(["background", "liver"], annotated);

        // Named in the annotation's label list but absent from the view: still annotated (known to be absent).
        var withNames = TrainingTargets.AnnotatedClasses(labels, ["liver", "spleen", "rib_left_4", "not_a_class"]);
        Assert.Equal(new[] { liver, CtClassTable.ByName("spleen").Value, CtClassTable.ByName("rib_left_4").Value }.Order(), withNames.Order());
    }

    [Fact]
    public void A_label_map_of_another_shape_is_refused_and_an_all_air_image_gives_no_sample()
    {
        var phantom = Phantom(PhantomOrientation.Lps);
        var other = new Volume<byte>(new ImageGeometry(new Shape3(4, 4, 4), new Vec3(1, 1, 1)));
        var e = Assert.Throws<ArgumentException>(() => TrainingTargets.Build(phantom.Ct, other, Small, ChannelMap.Thesis));
        Assert.Contains("shape", e.Message);

        var air = new Volume<short>(new ImageGeometry(new Shape3(16, 16, 8), new Vec3(2, 2, 3)));
        Array.Fill(air.Data, (short)-1000);
        Assert.Null(TrainingTargets.Build(air, new Volume<byte>(air.Geometry), Small, ChannelMap.Thesis));
    }

    private static int ChannelOf(byte value)
    {
        if (value == 0) return 0;
        var cls = CtClassTable.ByValue(value);
        return cls.IsInstance ? ChannelMap.Thesis.ChannelOf(cls.Group) : ChannelMap.Thesis.Channels.Single(c => c.Organ == cls).Channel;
    }
}
