namespace CtSegLabel.Models.Tests;

/// <summary>Structural check against MONAI: its SwinUNETR (V1, feature size 48, 14 classes, one input
/// channel) has 62,187,296 parameters; V2 adds exactly the four residual blocks opening the stages.</summary>
public class ParameterCountTests
{
    [Fact]
    public void SwinUnetrV1MatchesMonai()
    {
        var v1 = SwinUnetrV2Architecture.Full with { Classes = 14, EmbeddingDim = 0, UseV2 = false };
        using var net = v1.Build();
        Assert.Equal(62_187_296, net.ParameterCount);
    }

    [Fact]
    public void SwinUnetrV2AddsTheStageResidualBlocks()
    {
        var v2 = SwinUnetrV2Architecture.Full with { Classes = 14, EmbeddingDim = 0 };
        using var net = v2.Build();
        // Each stage i opens with two bias-free 3×3×3 convolutions of C_i = 48·2^i channels (instance
        // norm without affine parameters).
        long added = Enumerable.Range(0, 4).Sum(i => 2L * 27 * (48L << i) * (48L << i));
        Assert.Equal(62_187_296 + added, net.ParameterCount);
        Assert.Equal(72_762_656, net.ParameterCount);
    }
}
