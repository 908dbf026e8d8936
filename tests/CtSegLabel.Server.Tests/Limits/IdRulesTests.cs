using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Server.Validation;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>The decisions behind <see cref="IdRules"/> and the trailing-data rule, value by value.</summary>
public class IdRulesTests
{
    [Theory]
    [InlineData("spleen_10")]
    [InlineData("Volume 1")]
    [InlineData("Müller-Lüdenscheidt_2024")]
    [InlineData("患者_01")]
    [InlineData("1.2.840.113619.2.55.3")]
    [InlineData("50%_dose")]
    public void Ordinary_names_of_any_script_are_ids(string id) => Assert.Null(IdRules.Problem(id));

    [Theory]
    [InlineData("a..b", "'..'")]
    [InlineData("a/b", "separator")]
    [InlineData("a\\b", "separator")]
    [InlineData(".hidden", "start with '.'")]
    [InlineData("a\0b", "control")]
    [InlineData("C:x", "':'")]
    [InlineData("*", "'*'")]
    [InlineData("a\u2215b", "looks like a path separator")]
    [InlineData("\uFF0E\uFF0Ex", "normalise")]
    [InlineData("\u2025x", "normalise")]
    [InlineData("a\uFF0Fb", "path separator")]
    [InlineData("%2e%2e%2fx", "percent-escape")]
    public void Names_that_could_leave_their_folder_are_refused_with_the_reason(string id, string reason) =>
        Assert.Contains(reason, IdRules.Problem(id));

    [Fact]
    public void A_lone_surrogate_is_refused() =>
        // Not an InlineData: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        Assert.Contains("surrogate", IdRules.Problem("a" + (char)0xD800 + "b"));

    [Fact]
    public void Trailing_gzip_data_is_read_past_by_default_and_refused_only_when_asked()
    {
        using var dir = new TestDir();
        string path = dir.File("bomb.nii.gz");
        GzipBomb.WriteNifti(path, new Shape3(4, 4, 2), VoxelType.Int16, 1);
        Assert.Equal(new Shape3(4, 4, 2), VolumeFile.Read(path).Shape);
        var e = Assert.Throws<VolumeFormatException>(() => VolumeFile.Read(path, new ReadOptions { RefuseTrailingData = true }));
        Assert.Equal("compressed data", e.Field);

        string nrrd = dir.File("bomb.nrrd");
        GzipBomb.WriteNrrd(nrrd, new Shape3(4, 4, 2), 1);
        Assert.Equal(new Shape3(4, 4, 2), VolumeFile.Read(nrrd).Shape);
        Assert.Throws<VolumeFormatException>(() => VolumeFile.Read(nrrd, new ReadOptions { RefuseTrailingData = true }));
        // The real CT has no trailing data.
        Assert.Equal(30, VolumeFile.Read(TestPaths.ExampleCt, new ReadOptions { RefuseTrailingData = true }).Shape.Z);
    }
}
