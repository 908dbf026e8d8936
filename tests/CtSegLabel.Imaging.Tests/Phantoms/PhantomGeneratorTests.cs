using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Phantoms;

/// <summary>Determinism, the spread of patients and scan ranges, and the grid options.</summary>
public class PhantomGeneratorTests
{
    private static readonly PhantomOptions Small = new() { Size = 40, Spacing = new Vec3(9, 9, 8), Range = RangeKind.Thorax };

    [Fact]
    public void SameSeedGivesTheSameVoxelsAndOtherSeedsDiffer()
    {
        var a = PhantomGenerator.Generate(5, 2, Small);
        var b = PhantomGenerator.Generate(5, 2, Small);
        Assert.Equal(a.Ct.Data, b.Ct.Data);
        Assert.Equal(a.Labels.Data, b.Labels.Data);
        Assert.Equal(a.Ct.Geometry, b.Ct.Geometry);
        var otherSeed = PhantomGenerator.Generate(6, 2, Small);
        var otherIndex = PhantomGenerator.Generate(5, 3, Small);
        Assert.NotEqual(a.Ct.Data, otherSeed.Ct.Data);
        Assert.NotEqual(a.Labels.Data, otherSeed.Labels.Data);
        Assert.NotEqual(a.Labels.Data, otherIndex.Labels.Data);
    }

    [Fact]
    public void ParallelRenderingIsDeterministic()
    {
        // Slices are painted on whatever threads are free; the result must not depend on it.
        var plan = PhantomGenerator.Plan(9, 0, Small with { Spacing = new Vec3(9, 9, 4) });
        var first = PhantomGenerator.Render(plan);
        var results = new Phantom[3];
        Parallel.For(0, results.Length, n => results[n] = PhantomGenerator.Render(plan));
        foreach (var r in results)
        {
            Assert.Equal(first.Ct.Data, r.Ct.Data);
            Assert.Equal(first.Labels.Data, r.Labels.Data);
        }
    }

    [Fact]
    public void PatientsVaryAcrossSeeds()
    {
        var plans = Enumerable.Range(0, 300).Select(i => PhantomGenerator.Plan(77, i)).ToList();
        int l6 = plans.Count(p => p.Variation.HasL6);
        Assert.InRange(l6, 12, 60); // about 10 %
        Assert.All(Enum.GetValues<ContrastPhase>(), phase => Assert.Contains(plans, p => p.Variation.Contrast == phase));
        Assert.All(plans, p => Assert.InRange(p.Variation.NoiseSigma, 10, 25));
        var t1ToL5 = plans.Select(p => p.Body.Spine.Thoracic(1).ZTop - p.Body.Spine.Lumbar(5).ZBottom).ToList();
        Assert.All(t1ToL5, l => Assert.InRange(l, 440, 570));
        Assert.True(t1ToL5.Max() - t1ToL5.Min() > 40, "heights do not vary");
        var chestWidth = plans.Select(p => 2 * p.Body.SkinTrunk.Frame(p.Body.Spine.Thoracic(8).ZCentre).A).ToList();
        Assert.InRange(chestWidth.Average(), 300, 380);
        Assert.True(chestWidth.Max() - chestWidth.Min() > 50, "widths do not vary");
        // Vertebral bodies get taller downward and discs are a few millimetres.
        var spine = plans[0].Body.Spine;
        Assert.True(spine.Thoracic(1).Height < spine.Thoracic(12).Height && spine.Thoracic(12).Height < spine.Lumbar(3).Height);
        Assert.All(spine.Levels, v => Assert.InRange(v.Height, 10, 36));
        for (int n = 1; n < spine.Levels.Count; n++)
            Assert.InRange(spine.Levels[n].ZBottom - spine.Levels[n - 1].ZTop, 4, 10);
    }

    [Fact]
    public void ScanRangesVaryFromWholeBodyToShorterThanOneTrainingBlock()
    {
        var plans = Enumerable.Range(0, 200).Select(i => PhantomGenerator.Plan(3, i)).ToList();
        Assert.All(Enum.GetValues<RangeKind>(), kind => Assert.Contains(plans, p => p.Range.Kind == kind));
        Assert.Contains(plans, p => p.Range.Length < 192);
        Assert.Contains(plans, p => p.Range.Length > 900);
        var whole = plans.First(p => p.Range.Kind == RangeKind.WholeBody);
        Assert.True(whole.Range.ZTop > whole.Body.ZVertex && whole.Range.ZBottom < whole.Body.ZHip - 100);
        var thorax = plans.First(p => p.Range.Kind == RangeKind.Thorax);
        Assert.True(thorax.Range.ZTop < thorax.Body.Spine.Cervical(1).ZTop && thorax.Range.ZBottom > thorax.Body.ZHip);
    }

    [Fact]
    public void DrawnGridsHaveClinicalSpacing()
    {
        foreach (var p in Enumerable.Range(0, 200).Select(i => PhantomGenerator.Plan(4, i)))
        {
            var g = p.Geometry;
            Assert.Equal(new Shape3(512, 512, g.Shape.Z), g.Shape);
            Assert.InRange(g.Spacing.X, 0.7, 1.0);
            Assert.Equal(g.Spacing.X, g.Spacing.Y);
            Assert.Contains(g.Spacing.Z, PhantomGenerator.SliceSpacings);
            Assert.InRange(g.Shape.Z, 1, PhantomGenerator.MaxDrawnSlices + 1);
            Assert.Equal("LPS", g.OrientationCode);
            Assert.Equal(Mat3.Identity, g.Direction);
        }
    }

    [Fact]
    public void SlicesSizeAndSpacingOptionsAreHonoured()
    {
        var options = new PhantomOptions { Size = 40, Slices = 37, Spacing = new Vec3(9, 9.5, 4), Range = RangeKind.AbdomenPelvis };
        var phantom = PhantomGenerator.Generate(1, 0, options);
        Assert.Equal(new Shape3(40, 40, 37), phantom.Ct.Shape);
        Assert.Equal(new Vec3(9, 9.5, 4), phantom.Ct.Geometry.Spacing);
        Assert.Equal(phantom.Ct.Geometry, phantom.Labels.Geometry);
        Assert.Equal(VoxelType.Int16, phantom.Ct.VoxelType);
        Assert.Equal(VoxelType.UInt8, phantom.Labels.VoxelType);
        // Without a forced spacing, the in-plane field of view is the same whatever the size.
        var coarse = PhantomGenerator.Plan(1, 0, new PhantomOptions { Size = 96 });
        var fine = PhantomGenerator.Plan(1, 0, new PhantomOptions { Size = 512 });
        Assert.Equal(coarse.Geometry.Spacing.X * 96, fine.Geometry.Spacing.X * 512, 6);
    }

    [Fact]
    public void RasOrientationPutsTheSameAnatomyAtTheSameWorldPositions()
    {
        var lps = PhantomGenerator.Generate(8, 1, Small);
        var ras = PhantomGenerator.Generate(8, 1, Small with { Orientation = PhantomOrientation.Ras });
        Assert.Equal("RAS", ras.Ct.Geometry.OrientationCode);
        var s = lps.Labels.Shape;
        Assert.Equal(s, ras.Labels.Shape);
        int agree = 0, total = 0;
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                {
                    int ri = s.X - 1 - i, rj = s.Y - 1 - j;
                    Assert.True((lps.Labels.Geometry.IndexToWorld(i, j, k) - ras.Labels.Geometry.IndexToWorld(ri, rj, k)).MaxAbs < 1e-6);
                    total++;
                    if (lps.Labels[i, j, k] == ras.Labels[ri, rj, k]) agree++;
                }
        Assert.Equal(total, agree);
    }

    [Fact]
    public void ShortPhantomStillHasItsInstancesNumberedByTheTable()
    {
        var phantom = PhantomGenerator.Generate(2, 0, new PhantomOptions { Size = 64, Spacing = new Vec3(6, 6, 3), Range = RangeKind.Short });
        Assert.True(phantom.Plan.Range.Length < 192);
        var values = phantom.Labels.Data.Distinct().Where(v => v != 0).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.InRange((int)v, 1, CtClassTable.GroundTruth.Count));
    }
}
