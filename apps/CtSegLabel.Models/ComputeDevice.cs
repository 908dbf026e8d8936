using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>Numeric precision the networks run in.</summary>
public enum Precision
{
    Float32,
    BFloat16,
}

/// <summary>THE one place that decides where the networks run and in which precision. Everything else
/// asks this type, so a GPU build (-p:TorchDevice=cuda) and a CPU build behave the same apart from here.</summary>
public sealed record ComputeDevice(Device Device, Precision Precision)
{
    /// <summary>Environment variable overriding the device: "cpu", "cuda" or "cuda:N".</summary>
    public const string DeviceVariable = "CTSEG_DEVICE";

    /// <summary>Environment variable overriding the precision: "fp32" or "bf16".</summary>
    public const string PrecisionVariable = "CTSEG_PRECISION";

    public ScalarType DType => Precision == Precision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>CUDA when the build carries CUDA libtorch and a GPU is present, else CPU. fp32 everywhere
    /// by default: bf16 is offered but stays opt-in until a measurement on trained weights shows argmax
    /// agreement above 99 % (docs/benchmarks.md, "Networks").</summary>
    public static ComputeDevice Default => Choose(Environment.GetEnvironmentVariable(DeviceVariable),
                                                  Environment.GetEnvironmentVariable(PrecisionVariable));

    /// <summary>Parses explicit choices; null or "auto" picks the default for that part.</summary>
    public static ComputeDevice Choose(string? device, string? precision)
    {
        Device chosen = device is null or "" or "auto"
            ? (cuda.is_available() ? CUDA : CPU)
            : ParseDevice(device);
        return new ComputeDevice(chosen, ParsePrecision(precision));
    }

    public static Precision ParsePrecision(string? precision) => precision?.ToLowerInvariant() switch
    {
        null or "" or "auto" or "fp32" or "float32" => Precision.Float32,
        "bf16" or "bfloat16" => Precision.BFloat16,
        _ => throw new ArgumentException($"precision '{precision}' is not one of fp32, bf16"),
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

    /// <summary>Moves a network's weights to this device and precision.</summary>
    public T Place<T>(T module) where T : nn.Module
    {
        module.to(Device);
        module.to(DType);
        return module;
    }

    /// <summary>An input tensor on this device in this precision.</summary>
    public Tensor Place(Tensor input) => input.to(DType, Device);

    public override string ToString() => $"{Device.type.ToString().ToLowerInvariant()}{(IsCuda ? ":" + Device.index : "")} {(Precision == Precision.BFloat16 ? "bf16" : "fp32")}";
}
