using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Phantoms;

/// <summary>One small whole-body phantom shared by the anatomy tests (96² at 4 mm: the field of view
/// holds the whole trunk, so no instance is cut by the image's edge; 3 mm slices, finer than the
/// thinnest disc, so a disc gap always shows).</summary>
public sealed class WholeBodyPhantomFixture
{
    public const long Seed = 20240611;

    public WholeBodyPhantomFixture()
    {
        Options = new PhantomOptions { Size = 96, Spacing = new Vec3(4, 4, 3), Range = RangeKind.WholeBody };
        Phantom = PhantomGenerator.Generate(Seed, 0, Options);
    }

    public PhantomOptions Options { get; }
    public Phantom Phantom { get; }
}
