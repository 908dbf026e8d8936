using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Datastore;

/// <summary>Reads and writes <c>datastore_v2.json</c>. A malformed file is refused with an error naming
/// the field, never silently replaced: it holds the annotators' label metadata.</summary>
public static class DatastoreJson
{
    public const string FileName = "datastore_v2.json";

    public static DatastoreModel Read(string path)
    {
        JsonNode? root;
        try
        {
            using var stream = File.OpenRead(path);
            root = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DatastoreFormatException(path, "(file)", $"is not valid JSON: {e.Message}");
        }
        if (root is not JsonObject obj) throw new DatastoreFormatException(path, "(root)", "must be a JSON object");

        var model = new DatastoreModel { Extra = Rest(obj, "name", "description", "images_dir", "labels_dir", "objects", "base_path") };
        model.Name = StringOr(obj, "name", model.Name, path);
        model.Description = StringOr(obj, "description", model.Description, path);
        model.ImagesDir = StringOr(obj, "images_dir", model.ImagesDir, path);
        model.LabelsDir = StringOr(obj, "labels_dir", model.LabelsDir, path);
        if (obj["objects"] is JsonObject objects)
        {
            foreach (var (id, node) in objects)
            {
                string where = $"objects.{id}";
                if (node is not JsonObject o) throw new DatastoreFormatException(path, where, "must be an object");
                var image = Entry(o["image"], path, where + ".image");
                var dso = new DatastoreObject(image) { Extra = Rest(o, "image", "labels") };
                if (o["labels"] is JsonObject labels)
                    foreach (var (tag, lab) in labels)
                        dso.Labels[tag] = Entry(lab, path, $"{where}.labels.{tag}");
                else if (o["labels"] is not null)
                    throw new DatastoreFormatException(path, where + ".labels", "must be an object keyed by tag");
                model.Objects[id] = dso;
            }
        }
        else if (obj["objects"] is not null)
        {
            throw new DatastoreFormatException(path, "objects", "must be an object keyed by image id");
        }
        return model;
    }

    /// <summary>Writes the model as MONAI Label does (no <c>base_path</c>); indented for the file, compact for HTTP.</summary>
    public static void Write(Utf8JsonWriter w, DatastoreModel model)
    {
        w.WriteStartObject();
        w.WriteString("name", model.Name);
        w.WriteString("description", model.Description);
        w.WriteString("images_dir", model.ImagesDir);
        w.WriteString("labels_dir", model.LabelsDir);
        w.WriteStartObject("objects");
        foreach (var (id, o) in model.Objects)
        {
            w.WriteStartObject(id);
            WriteEntry(w, "image", o.Image);
            w.WriteStartObject("labels");
            foreach (var (tag, label) in o.Labels) WriteEntry(w, tag, label);
            w.WriteEndObject();
            WriteExtra(w, o.Extra);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        WriteExtra(w, model.Extra);
        w.WriteEndObject();
    }

    public static byte[] ToBytes(DatastoreModel model, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            Write(w, model);
        return buffer.ToArray();
    }

    private static void WriteEntry(Utf8JsonWriter w, string name, FileEntry entry)
    {
        w.WriteStartObject(name);
        w.WriteString("ext", entry.Ext);
        w.WritePropertyName("info");
        entry.Info.WriteTo(w);
        WriteExtra(w, entry.Extra);
        w.WriteEndObject();
    }

    private static void WriteExtra(Utf8JsonWriter w, JsonObject extra)
    {
        foreach (var (key, value) in extra)
        {
            w.WritePropertyName(key);
            if (value is null) w.WriteNullValue();
            else value.WriteTo(w);
        }
    }

    private static FileEntry Entry(JsonNode? node, string path, string where)
    {
        if (node is not JsonObject o) throw new DatastoreFormatException(path, where, "must be an object with 'ext' and 'info'");
        string ext = o["ext"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
        var info = o["info"] switch
        {
            JsonObject i => (JsonObject)i.DeepClone(),
            null => [],
            _ => throw new DatastoreFormatException(path, where + ".info", "must be an object"),
        };
        return new FileEntry(ext, info) { Extra = Rest(o, "ext", "info") };
    }

    private static string StringOr(JsonObject o, string key, string fallback, string path) => o[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new DatastoreFormatException(path, key, "must be a string"),
    };

    private static JsonObject Rest(JsonObject o, params string[] known)
    {
        var rest = new JsonObject();
        foreach (var (key, value) in o)
            if (!known.Contains(key, StringComparer.Ordinal)) rest[key] = value?.DeepClone();
        return rest;
    }
}

/// <summary>A datastore_v2.json the server cannot use; the message names the file and the field.</summary>
public sealed class DatastoreFormatException(string path, string field, string problem)
    : Exception($"{path}: {field}: {problem}");
