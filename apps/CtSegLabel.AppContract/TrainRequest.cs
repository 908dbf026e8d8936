using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>A training run's parameters: the trainer's config (lists collapsed to their first item)
/// overlaid with what the client sent.</summary>
public sealed record TrainRequest(string Trainer, JsonObject Params);
