using System.Text.Json;
using System.Text.Json.Serialization;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.TestApp;

/// <summary>
/// The whole "model" of the test app: two Hounsfield thresholds (bone above one, lung below the other)
/// plus the fixed level that separates air from tissue when deciding what is inside the body. Stored as
/// JSON in the models folder, which is what <c>/model/threshold_bones</c> serves and training replaces.
/// </summary>
public sealed record ThresholdParameters(
    [property: JsonPropertyName("bone_min_hu")] double BoneMinHu = 300,
    [property: JsonPropertyName("lung_max_hu")] double LungMaxHu = -500,
    [property: JsonPropertyName("body_air_hu")] double BodyAirHu = -400,
    [property: JsonPropertyName("trained_epoch")] int TrainedEpoch = 0,
    [property: JsonPropertyName("best_metric")] double BestMetric = 0)
{
    public const string FileName = "threshold_bones.json";

    public static ThresholdParameters Load(string path)
    {
        if (!File.Exists(path)) return new ThresholdParameters();
        try
        {
            return JsonSerializer.Deserialize<ThresholdParameters>(File.ReadAllBytes(path)) ?? new ThresholdParameters();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a threshold model file: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(this, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, s => s.Write(json));
    }
}
