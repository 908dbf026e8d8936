using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>How <see cref="Precision.Mixed"/> splits a network: the compute-bound layers (convolutions,
/// transposed convolutions, linear layers, window/self attention) keep fp32 weights and compute in fp32;
/// everything between them — activations, norms, element-wise ops, layout copies — is bf16.
///
/// Why that split (docs/benchmarks.md, "Networks"): on a CPU without bf16 instructions libtorch has no
/// fast bf16 kernel for the compute-bound ops (bf16 convolutions fall back to a reference GEMM 100–300×
/// slower than oneDNN's fp32 one), while the memory-bound ops are faster in bf16, which halves the bytes
/// they move. The rule each layer applies is local, so no network code is duplicated: a layer computes in
/// its weights' dtype and hands its result back in its input's dtype.</summary>
public static class MixedPrecision
{
    /// <summary>The layers <see cref="ComputeDevice.Place{T}"/> keeps in fp32 under mixed precision.</summary>
    public static bool ComputesInFloat32(nn.Module module) =>
        module is Conv3d or ConvTranspose3d or Linear or Swin.WindowAttention or Slice.SelfAttention;

    /// <summary><paramref name="layer"/> applied to <paramref name="x"/> in <paramref name="compute"/>
    /// precision, the result in <paramref name="x"/>'s dtype. Without a dtype difference it is a plain call;
    /// otherwise the widened input and the wide result are freed before returning.</summary>
    public static Tensor Run(ScalarType compute, Tensor x, Func<Tensor, Tensor> layer)
    {
        if (x.dtype == compute) return layer(x);
        using var wide = x.to(compute);
        using var result = layer(wide);
        return result.to(x.dtype);
    }

    /// <summary><see cref="Run"/> for a layer whose dtype is that of its weight.</summary>
    public static Tensor Run(Tensor weight, Tensor x, Func<Tensor, Tensor> layer) => Run(weight.dtype, x, layer);
}
