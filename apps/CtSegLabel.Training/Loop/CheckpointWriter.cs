using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Loop;

/// <summary>Writes the network being trained as a checkpoint every reader can load: fp32 on the CPU. A network
/// trained on the CPU in fp32 is saved as it is; one on a GPU or in another precision is copied into a CPU fp32
/// network first — moving the trained one would hand the optimizer new parameter tensors.</summary>
internal static class CheckpointWriter
{
    public static void Save(string path, SegmentationNetwork network, ComputeDevice device, CheckpointMetadata metadata)
    {
        if (!device.IsCuda && device.Precision == Precision.Float32)
        {
            ModelCheckpoint.Save(path, network, metadata);
            return;
        }
        using var copy = network.Architecture.Build();
        using (no_grad())
        {
            var target = copy.state_dict();
            foreach (var (name, tensor) in network.state_dict())
            {
                var into = target[name];
                using var moved = tensor.to(into.dtype, CPU);
                into.copy_(moved);
            }
        }
        ModelCheckpoint.Save(path, copy, metadata);
    }
}
