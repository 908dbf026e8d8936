using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;

namespace CtSegLabel.CtApp;

/// <summary>
/// Typed values of a task's request params (train, scoring): absent → null, otherwise the value checked against its
/// range, or <see cref="InferParameterException"/> naming the key. Numbers may come as text: Slicer's options table
/// sends what the user typed.
/// </summary>
public static class RequestValues
{
    public static double? Number(JsonObject parameters, string key, double min = double.MinValue, double max = double.MaxValue)
    {
        if (parameters[key] is not { } node) return null;
        double? value = node.GetValueKind() switch
        {
            // The JSON text, not GetValue<double>(): a value built from an int (a config default) refuses that.
            JsonValueKind.Number => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String when double.TryParse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => null,
        };
        if (value is not { } v || double.IsNaN(v)) throw new InferParameterException(key, $"must be a number (got {node.ToJsonString()})");
        if (v < min || v > max)
            throw new InferParameterException(key, string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max} (got {v})"));
        return v;
    }

    public static int? Integer(JsonObject parameters, string key, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Number(parameters, key, min, max) is not { } v) return null;
        if (v != Math.Floor(v)) throw new InferParameterException(key, string.Create(CultureInfo.InvariantCulture, $"must be a whole number (got {v})"));
        return (int)v;
    }

    public static bool? Boolean(JsonObject parameters, string key) => parameters[key] switch
    {
        null => null,
        var n when n.GetValueKind() == JsonValueKind.True => true,
        var n when n.GetValueKind() == JsonValueKind.False => false,
        var n when n.GetValueKind() == JsonValueKind.String && bool.TryParse(n.GetValue<string>(), out bool b) => b,
        var n => throw new InferParameterException(key, $"must be true or false (got {n.ToJsonString()})"),
    };
}
