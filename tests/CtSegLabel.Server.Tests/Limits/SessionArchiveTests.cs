using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>
/// Zips uploaded to <c>/session/?uncompress=true</c>: a member inflating past <c>Server:MaxVolumeBytes</c> (declared
/// honestly), a member declaring a few bytes and holding megabytes (.NET's reader stops at the declared length: the CRC
/// check refuses it instead of storing it truncated), more members than <c>Server:MaxArchiveMembers</c>,
/// and an extracted volume that is a gzip bomb are refused with a 422 naming the member, and no session folder remains
/// (nothing half-extracted). A good archive still becomes a session.
/// </summary>
public class SessionArchiveTests
{
    private const int LimitBytes = 1 << 20;

    private static Dictionary<string, string?> Settings => new()
    {
        ["Server:MaxVolumeBytes"] = LimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Server:MaxArchiveMembers"] = "5",
    };

    [Fact]
    public async Task A_member_inflating_past_MaxVolumeBytes_is_refused_naming_it_and_nothing_remains()
    {
        await using var server = new ServerHarness(settings: Settings);
        string zip = Zip(server.Scratch, "series.zip", ("a/first.txt", new byte[100]), ("a/zeros.raw", new byte[4 * LimitBytes]));

        string msg = await Upload(server, zip);
        Assert.Contains("member 'a/zeros.raw'", msg);
        Assert.Contains("declares", msg);
        Assert.Contains("Server:MaxVolumeBytes", msg);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Sessions));
    }

    [Fact]
    public async Task A_member_lying_about_its_length_is_refused_not_stored_truncated()
    {
        await using var server = new ServerHarness(settings: Settings);
        string zip = Zip(server.Scratch, "liar.zip", ("ok.txt", new byte[100]), ("liar.raw", new byte[4 * LimitBytes]));
        DeclareLength(zip, "liar.raw", 100);

        string msg = await Upload(server, zip);
        Assert.Contains("member 'liar.raw'", msg);
        Assert.Contains("CRC-32", msg);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Sessions));
    }

    [Fact]
    public async Task More_members_than_MaxArchiveMembers_are_refused_before_extracting()
    {
        await using var server = new ServerHarness(settings: Settings);
        string zip = Zip(server.Scratch, "many.zip", [.. Enumerable.Range(0, 6).Select(n => ($"slice{n}.dcm", new byte[10]))]);

        string msg = await Upload(server, zip);
        Assert.Contains("archive 'many.zip'", msg);
        Assert.Contains("6 members", msg);
        Assert.Contains("Server:MaxArchiveMembers", msg);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Sessions));
    }

    [Fact]
    public async Task An_extracted_volume_is_read_like_an_upload_and_a_gzip_bomb_inside_is_refused()
    {
        await using var server = new ServerHarness();
        string bomb = Path.Combine(server.Scratch, "inner.nii.gz");
        GzipBomb.WriteNifti(bomb, new Shape3(32, 32, 8), VoxelType.Int16, 1);
        string zip = Zip(server.Scratch, "bomb.zip", ("ct/inner.nii.gz", File.ReadAllBytes(bomb)));

        string msg = await Upload(server, zip);
        Assert.Contains("'inner.nii.gz'", msg);
        Assert.Contains("trailing data", msg);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Sessions));
    }

    [Fact]
    public async Task A_good_archive_becomes_a_session_with_its_volume()
    {
        await using var server = new ServerHarness(settings: Settings);
        string ct = TestVolumes.WriteCt(server.Scratch, "ct.nii.gz");
        string zip = Zip(server.Scratch, "good.zip", ("ct.nii.gz", File.ReadAllBytes(ct)));

        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(zip)), "files", "good.zip" } };
        var created = await (await server.Http.PutAsync("/session/?uncompress=true", form)).ObjectAsync();
        string image = created["session_info"]!["image"]!.GetValue<string>();
        Assert.Equal(File.ReadAllBytes(ct), File.ReadAllBytes(image));
    }

    private static async Task<string> Upload(ServerHarness server, string zip)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(zip)), "files", Path.GetFileName(zip) } };
        return await (await server.Http.PutAsync("/session/?uncompress=true", form)).AssertValidationErrorAsync("body", "files");
    }

    private static string Zip(string folder, string name, params (string Member, byte[] Bytes)[] members)
    {
        string path = Path.Combine(folder, name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (member, bytes) in members)
        {
            using var stream = archive.CreateEntry(member, CompressionLevel.Optimal).Open();
            stream.Write(bytes);
        }
        return path;
    }

    /// <summary>Rewrites the uncompressed size a member declares, in its local header and in the central directory
    /// (APPNOTE 4.3.7 and 4.3.12), as a hostile archive would.</summary>
    private static void DeclareLength(string zip, string member, uint length)
    {
        byte[] bytes = File.ReadAllBytes(zip);
        byte[] name = System.Text.Encoding.UTF8.GetBytes(member);
        int patched = 0;
        for (int at = 0; at + 46 < bytes.Length; at++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            (int sizeAt, int nameLengthAt, int nameAt) = signature switch
            {
                0x04034b50 => (22, 26, 30),
                0x02014b50 => (24, 28, 46),
                _ => (-1, -1, -1),
            };
            if (sizeAt < 0 || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + nameLengthAt)) != name.Length
                || !bytes.AsSpan(at + nameAt, name.Length).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + sizeAt), length);
            patched++;
        }
        Assert.Equal(2, patched);
        File.WriteAllBytes(zip, bytes);
    }
}
