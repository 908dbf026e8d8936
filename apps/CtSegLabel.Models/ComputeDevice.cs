using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>Numeric precision the networks run in.</summary>
public enum Precision
{
    /// <summary>Weights, activations and arithmetic in fp32.</summary>
    Float32,

    /// <summary>Everything in bf16. Fast only where libtorch has bf16 kernels: GPUs, and CPUs with
    /// AVX-512 (BW/DQ/VL) or AVX-NE-CONVERT, or ARM bf16.</summary>
    BFloat16,

    /// <summary>bf16 activations, norms and element-wise ops; convolutions, linear layers and attention in
    /// fp32 with fp32 weights (<see cref="MixedPrecision"/>). Outputs are bf16.</summary>
    Mixed,
}

/// <summary>THE one place that decides where the networks run and in which precision. Everything else
/// asks this type, so a GPU build (-p:TorchDevice=cuda) and a CPU build behave the same apart from here.</summary>
public sealed record ComputeDevice(Device Device, Precision Precision)
{
    /// <summary>Environment variable overriding the device: "cpu", "cuda" or "cuda:N".</summary>
    public const string DeviceVariable = "CTSEG_DEVICE";

    /// <summary>Environment variable overriding the precision: "fp32", "bf16" or "mixed".</summary>
    public const string PrecisionVariable = "CTSEG_PRECISION";

    /// <summary>The dtype of the network's input, activations and outputs (bf16 for bf16 and mixed).</summary>
    public ScalarType DType => Precision == Precision.Float32 ? ScalarType.Float32 : ScalarType.BFloat16;

    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>CUDA when the build carries CUDA libtorch and a GPU is present, else CPU. fp32 by default
    /// everywhere: on this project's CPUs neither bf16 nor mixed precision is faster than fp32, and the
    /// argmax agreement with fp32 has not been shown above 99 % on trained weights (docs/benchmarks.md,
    /// "Networks").</summary>
    public static ComputeDevice Default => Choose(Environment.GetEnvironmentVariable(DeviceVariable),
                                                  Environment.GetEnvironmentVariable(PrecisionVariable));

    /// <summary>Parses explicit choices; null or "auto" picks the default for that part. bf16 on a CPU
    /// without bf16 kernels is refused: libtorch would run its convolutions through a reference GEMM,
    /// hours per block instead of seconds.</summary>
    public static ComputeDevice Choose(string? device, string? precision)
    {
        Device chosen = device is null or "" or "auto"
            ? (cuda.is_available() ? CUDA : CPU)
            : ParseDevice(device);
        return new ComputeDevice(chosen, Precision.Float32).WithPrecision(ParsePrecision(precision));
    }

    /// <summary>The same device in another precision; refuses bf16 on a CPU without bf16 kernels (see
    /// <see cref="Choose"/>), so a per-request precision cannot start an hours-long forward either.</summary>
    public ComputeDevice WithPrecision(Precision precision)
    {
        if (precision == Precision.BFloat16 && Device.type == DeviceType.CPU && !CpuFeatures.HasBFloat16Kernels)
            throw new ArgumentException(
                "precision 'bf16' asked for on a CPU without bf16 support in libtorch (it needs AVX-512 BW/DQ/VL, AVX-NE-CONVERT " +
                "or ARM bf16): its bf16 convolutions would fall back to a reference GEMM 100–300× slower than fp32. " +
                "Use 'fp32' (fastest here) or 'mixed' (bf16 activations, fp32 convolutions and attention)");
        return this with { Precision = precision };
    }

    public static Precision ParsePrecision(string? precision) => precision?.ToLowerInvariant() switch
    {
        null or "" or "auto" or "fp32" or "float32" => Precision.Float32,
        "bf16" or "bfloat16" => Precision.BFloat16,
        "mixed" => Precision.Mixed,
        _ => throw new ArgumentException($"precision '{precision}' is not one of fp32, bf16, mixed"),
    };

    private static Device ParseDevice(string device)
    {
        string d = device.ToLowerInvariant();
        if (d == "cpu") return CPU;
        if (d == "cuda" || d.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException($"device '{device}' asked for, but this build has no usable CUDA (build with -p:TorchDevice=cuda on a machine with an NVIDIA GPU)");
            return torch.device(d);
        }
        throw new ArgumentException($"device '{device}' is not one of cpu, cuda, cuda:N");
    }

    /// <summary>Moves a network's weights to this device and precision. Mixed converts only the leaf
    /// layers that are not compute-bound (the norms) to bf16; the compute-bound layers and the parameters
    /// that container modules hold themselves (position tables) stay fp32 and are cast where they are used.
    /// Integer buffers (relative-position indices) keep their type in every precision.</summary>
    public T Place<T>(T module) where T : nn.Module
    {
        module.to(Device);
        if (Precision == Precision.Mixed)
        {
            foreach (var layer in module.modules().Where(m => !m.children().Any() && !MixedPrecision.ComputesInFloat32(m)))
                layer.to(DType);
        }
        else module.to(DType);
        return module;
    }

    /// <summary>An input tensor on this device in this precision.</summary>
    public Tensor Place(Tensor input) => input.to(DType, Device);

    public override string ToString() => $"{Device.type.ToString().ToLowerInvariant()}{(IsCuda ? ":" + Device.index : "")} {Name(Precision)}";

    public static string Name(Precision precision) => precision switch
    {
        Precision.BFloat16 => "bf16",
        Precision.Mixed => "mixed",
        _ => "fp32",
    };
}
