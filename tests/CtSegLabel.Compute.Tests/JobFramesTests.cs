using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;
using NetMQ;

namespace CtSegLabel.Compute.Tests;

/// <summary>The body of a REQUEST or REPLY: a JSON header, then the payload in frames of bounded size.</summary>
public sealed class JobFramesTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(JobFrames.MaxFrameBytes, 1)]
    [InlineData(JobFrames.MaxFrameBytes + 1, 2)]
    [InlineData(3 * JobFrames.MaxFrameBytes, 3)]
    public void A_payload_is_cut_into_bounded_frames_and_read_back_whole(int bytes, int frames)
    {
        byte[] payload = RandomNumberGenerator.GetBytes(bytes);
        var message = new NetMQMessage();
        message.Append("before");
        JobFrames.Append(message, new JsonObject { ["file_name"] = "ct.nii.gz" }, payload);

        Assert.Equal(2 + frames, message.FrameCount);
        Assert.All(Enumerable.Range(2, frames), i => Assert.InRange(message[i].MessageSize, 1, JobFrames.MaxFrameBytes));
        var (header, read) = JobFrames.Read(message, 1);
        Assert.Equal("ct.nii.gz", header["file_name"]!.GetValue<string>());
        Assert.Equal(payload, read);
    }

    [Fact]
    public void A_body_that_breaks_the_rules_is_invalid_data()
    {
        var noBody = new NetMQMessage();
        noBody.Append("x");
        Assert.Throws<InvalidDataException>(() => JobFrames.Read(noBody, 1));

        var notObject = new NetMQMessage();
        notObject.Append("[1, 2]");
        Assert.Throws<InvalidDataException>(() => JobFrames.Read(notObject, 0));

        var oversized = new NetMQMessage();
        oversized.Append("{}");
        oversized.Append(new byte[JobFrames.MaxFrameBytes + 1]);
        Assert.Contains("exceeds", Assert.Throws<InvalidDataException>(() => JobFrames.Read(oversized, 0)).Message);
    }
}
