using System.Text.Json;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// The class table as JSON, written beside a studies folder so every label value is named:
/// <code>{ "background": 0, "classes": [ { "value": 1, "name": "adrenal_gland_right",
///   "color": [249, 186, 150], "group": "None", "number": 0 }, … ] }</code>
/// group is an <see cref="InstanceGroup"/> name (None, RibLeft, RibRight, ThoracicVertebra,
/// LumbarVertebra) and number the rib or vertebra number within it (0 for semantic classes).
/// </summary>
public static class ClassTableJson
{
    public static void Write(string path, IReadOnlyList<CtClass> classes) => AtomicFile.Write(path, stream => Write(stream, classes));

    public static void Write(Stream stream, IReadOnlyList<CtClass> classes)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("background", 0);
        w.WriteStartArray("classes");
        foreach (var c in classes)
        {
            w.WriteStartObject();
            w.WriteNumber("value", c.Value);
            w.WriteString("name", c.Name);
            w.WriteStartArray("color");
            w.WriteNumberValue(c.Color.R);
            w.WriteNumberValue(c.Color.G);
            w.WriteNumberValue(c.Color.B);
            w.WriteEndArray();
            w.WriteString("group", c.Group.ToString());
            w.WriteNumber("number", c.Number);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a table written by <see cref="Write(string, IReadOnlyList{CtClass})"/>; any
    /// malformed entry raises <see cref="VolumeFormatException"/> naming the file and the field.</summary>
    public static IReadOnlyList<CtClass> Read(string path)
    {
        JsonDocument doc;
        try
        {
            using var stream = File.OpenRead(path);
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new VolumeFormatException(path, "JSON", e.Message);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("classes", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new VolumeFormatException(path, "classes", "expected an object with a \"classes\" array");
            var result = new List<CtClass>();
            var seen = new HashSet<int>();
            int n = 0;
            foreach (var e in list.EnumerateArray())
            {
                string field = $"classes[{n++}]";
                if (e.ValueKind != JsonValueKind.Object) throw new VolumeFormatException(path, field, "expected an object");
                int value = Int(path, e, field, "value", 1, 65535);
                if (!seen.Add(value)) throw new VolumeFormatException(path, $"{field}.value", $"value {value} appears twice");
                if (!e.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString()))
                    throw new VolumeFormatException(path, $"{field}.name", "expected a non-empty string");
                if (!e.TryGetProperty("color", out var color) || color.ValueKind != JsonValueKind.Array || color.GetArrayLength() != 3
                    || color.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out int v) || v < 0 || v > 255))
                    throw new VolumeFormatException(path, $"{field}.color", "expected three integers 0–255");
                var rgb = color.EnumerateArray().Select(x => (byte)x.GetInt32()).ToArray();
                var group = InstanceGroup.None;
                if (e.TryGetProperty("group", out var g) && (g.ValueKind != JsonValueKind.String || !Enum.TryParse(g.GetString(), false, out group) || !Enum.IsDefined(group)))
                    throw new VolumeFormatException(path, $"{field}.group", $"unknown group; expected one of {string.Join(", ", Enum.GetNames<InstanceGroup>())}");
                int number = e.TryGetProperty("number", out _) ? Int(path, e, field, "number", 0, 99) : 0;
                result.Add(new CtClass(value, name.GetString()!, new Rgb(rgb[0], rgb[1], rgb[2]), group, number));
            }
            return result;
        }
    }

    private static int Int(string path, JsonElement e, string field, string name, int min, int max)
    {
        if (!e.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out int v) || v < min || v > max)
            throw new VolumeFormatException(path, $"{field}.{name}", $"expected an integer in [{min}, {max}]");
        return v;
    }
}
