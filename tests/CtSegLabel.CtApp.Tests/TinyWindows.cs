using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;
using static TorchSharp.torch;

namespace CtSegLabel.CtApp.Tests;

/// <summary>The tiny SwinUNETR-V2 with the thesis's 37 channels, and windows of preprocessed-looking values.</summary>
internal static class TinyWindows
{
    public static readonly Shape3 Shape = new(64, 64, 32);

    public static SegmentationNetwork Network(int seed = 3)
    {
        manual_seed(seed);
        var network = NetworkArchitecture.Create("swinunetr-v2", "tiny", 37).Build();
        network.eval();
        return network;
    }

    /// <summary>A window whose values vary along every axis differently, so a transposed layout would show.</summary>
    public static Volume<float> Window(int seed) => Window(seed, Shape);

    public static Volume<float> Window(int seed, Shape3 shape)
    {
        var random = new Random(seed);
        var geometry = new ImageGeometry(shape, new Vec3(1, 1, 1), new Vec3(0, 0, 0), Mat3.Identity);
        var volume = new Volume<float>(geometry);
        for (int k = 0; k < shape.Z; k++)
            for (int j = 0; j < shape.Y; j++)
                for (int i = 0; i < shape.X; i++)
                    volume[i, j, k] = (float)(0.4 * i / shape.X + 0.3 * Math.Sin(j * 0.3) - 0.2 * k / shape.Z + 0.1 * random.NextDouble());
        return volume;
    }
}
