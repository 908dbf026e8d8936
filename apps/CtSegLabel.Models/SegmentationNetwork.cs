using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>A network of the method: a 5-D block in, semantic logits and optional embeddings out.</summary>
public abstract class SegmentationNetwork : nn.Module<Tensor, NetworkOutput>
{
    protected SegmentationNetwork(string name) : base(name) { }

    /// <summary>The architecture and sizes this instance was built from.</summary>
    public abstract NetworkArchitecture Architecture { get; }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Switches only the dropout layers (dropout and stochastic depth) on or off, leaving every
    /// other layer as it is: the epistemic active-learning strategy samples a network in eval mode with
    /// dropout on (Monte Carlo dropout).</summary>
    public void SetDropoutActive(bool active)
    {
        foreach (var m in modules())
            if (m is TorchSharp.Modules.Dropout or Swin.DropPath) m.train(active);
    }

    /// <summary>Runs the network with both decoders (training and everything that needs the embeddings).</summary>
    public sealed override NetworkOutput forward(Tensor input) => forward(input, withEmbeddings: true);

    /// <summary>Runs the network; without <paramref name="withEmbeddings"/> the instance decoder is skipped
    /// (a third of the work at inference, for windows holding no rib or vertebra) and the output's
    /// embedding is null.</summary>
    public abstract NetworkOutput forward(Tensor input, bool withEmbeddings);

    /// <summary>Why this input cannot go through the network, or null when it can.</summary>
    public abstract string? CheckInput(long[] shape);

    protected void RequireValidInput(Tensor input)
    {
        string? problem = CheckInput(input.shape);
        if (problem is not null) throw new ArgumentException(problem, nameof(input));
    }
}
