using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.CtApp.Tests;

/// <summary>A small synthetic thorax-abdomen CT (64×64 in-plane, 40 slices of 3 mm) written as a real NIfTI file
/// once for the test class: two windows of the tiny checkpoints' 32-slice size.</summary>
public sealed class PhantomCt : IDisposable
{
    private readonly TestDir _dir = new();

    public PhantomCt()
    {
        var phantom = PhantomGenerator.Generate(11, 0, new PhantomOptions
        {
            Size = 64, Slices = 40, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Ras, Spacing = new Vec3(7.5, 7.5, 3.0),
        });
        Ct = phantom.Ct;
        Path = System.IO.Path.Combine(_dir.Path, "phantom ct.nii.gz");
        NiftiFile.Write(Path, Ct);
    }

    public Volume<short> Ct { get; }

    public string Path { get; }

    public void Dispose() => _dir.Dispose();
}
