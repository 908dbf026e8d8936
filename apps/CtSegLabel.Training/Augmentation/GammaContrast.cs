using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// MONAI's RandAdjustContrast: the image rescaled to 0…1 between its own minimum and maximum, raised to γ, and scaled
/// back, so the minimum and maximum stay where they were and only the values between bend (γ &gt; 1 darkens the
/// middle, γ &lt; 1 brightens it).
/// </summary>
internal static class GammaContrast
{
    // MONAI's guard against a constant image (range 0); a flat block comes back unchanged.
    private const double Epsilon = 1e-7;

    public static Tensor Apply(Tensor image, double gamma)
    {
        using var scope = NewDisposeScope();
        var minimum = image.min();
        var range = image.max() - minimum;
        using var epsilon = Epsilon.ToScalar();
        using var exponent = gamma.ToScalar();
        var unit = (image - minimum) / (range + epsilon);
        return scope.MoveToOuter(unit.pow(exponent) * range + minimum);
    }
}
