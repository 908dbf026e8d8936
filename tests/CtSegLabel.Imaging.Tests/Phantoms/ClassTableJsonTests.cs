using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;

namespace CtSegLabel.Imaging.Tests.Phantoms;

public class ClassTableJsonTests
{
    [Fact]
    public void GroundTruthTableRoundTrips()
    {
        using var dir = new TestDir();
        string path = dir.File("classes.json");
        ClassTableJson.Write(path, CtClassTable.GroundTruth);
        var back = ClassTableJson.Read(path);
        Assert.Equal(CtClassTable.GroundTruth, back);
        string text = File.ReadAllText(path);
        Assert.Contains("\"name\": \"rib_left_12\"", text);
        Assert.Contains("\"group\": \"LumbarVertebra\"", text);
    }

    [Theory]
    [InlineData("{ \"classes\": [ { \"value\": 1, \"name\": \"a\", \"color\": [1, 2] } ] }", "classes[0].color")]
    [InlineData("{ \"classes\": [ { \"value\": 0, \"name\": \"a\", \"color\": [1, 2, 3] } ] }", "classes[0].value")]
    [InlineData("{ \"classes\": [ { \"value\": 2, \"name\": \"a\", \"color\": [1, 2, 3] }, { \"value\": 2, \"name\": \"b\", \"color\": [1, 2, 3] } ] }", "classes[1].value")]
    [InlineData("{ \"classes\": [ { \"value\": 2, \"name\": \"\", \"color\": [1, 2, 3] } ] }", "classes[0].name")]
    [InlineData("{ \"classes\": [ { \"value\": 2, \"name\": \"a\", \"color\": [1, 2, 300] } ] }", "classes[0].color")]
    [InlineData("{ \"classes\": [ { \"value\": 2, \"name\": \"a\", \"color\": [1, 2, 3], \"group\": \"Femur\" } ] }", "classes[0].group")]
    [InlineData("{ \"classes\": 5 }", "classes")]
    [InlineData("{ \"classes\": [ ", "JSON")]
    public void BadTablesNameTheFileAndTheField(string json, string field)
    {
        using var dir = new TestDir();
        string path = dir.File("bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<VolumeFormatException>(() => ClassTableJson.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Contains("bad.json", e.Message);
    }
}
