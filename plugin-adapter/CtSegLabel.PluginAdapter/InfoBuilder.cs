using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.PluginAdapter.Wire;

namespace CtSegLabel.PluginAdapter;

/// <summary>Turns an app (and the datastore summary) into the <c>/info/</c> answer Slicer expects.</summary>
public static class InfoBuilder
{
    public static InfoDto Build(ISegmentationApp app, DatastoreSummaryDto datastore) => new(
        app.Name,
        app.Description,
        app.Version,
        app.Labels ?? UnionOfModelLabels(app.InferTasks),
        app.InferTasks.ToDictionary(t => t.Name, ModelInfo, StringComparer.Ordinal),
        app.TrainTasks.ToDictionary(t => t.Name, t => new TrainerInfoDto(t.Description, WireConfig(t.Config)), StringComparer.Ordinal),
        app.Strategies.ToDictionary(s => s.Name, s => new NamedTaskInfoDto(s.Description, WireConfig(s.Config)), StringComparer.Ordinal),
        app.ScoringMethods.ToDictionary(s => s.Name, s => new NamedTaskInfoDto(s.Description, WireConfig(s.Config)), StringComparer.Ordinal),
        app.TrainTasks.ToDictionary(t => t.Name, t => t.Stats(), StringComparer.Ordinal),
        datastore);

    public static ModelInfoDto ModelInfo(IInferTask task) => new(
        task.Type.WireName(),
        new Dictionary<string, int>(task.Labels, StringComparer.Ordinal),
        task.Dimension,
        task.Description,
        WireConfig(task.Config));

    /// <summary>MONAI Label's rule: every model's labels by value, names in first-seen order, without background.</summary>
    public static IReadOnlyList<string> UnionOfModelLabels(IEnumerable<IInferTask> tasks)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
            foreach (var entry in Labels.LabelTable.FromNames(task.Labels).Entries)
                if (seen.Add(entry.Name)) names.Add(entry.Name);
        return names;
    }

    /// <summary>A copy of a config in which every list item is a string: Slicer shows list values in a
    /// combo box and sends the chosen text back, so numbers in lists are published as their text.</summary>
    public static JsonObject WireConfig(JsonObject config)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in config)
        {
            if (value is JsonArray list)
            {
                var strings = new JsonArray();
                foreach (var item in list)
                    strings.Add(item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                        ? v.GetValue<string>()
                        : item?.ToJsonString() ?? "null");
                copy[key] = strings;
            }
            else copy[key] = value?.DeepClone();
        }
        return copy;
    }
}
