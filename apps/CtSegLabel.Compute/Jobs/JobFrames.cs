using System.Text;
using System.Text.Json.Nodes;
using NetMQ;

namespace CtSegLabel.Compute.Jobs;

/// <summary>
/// The body of a REQUEST or REPLY: one JSON frame, then the payload cut into frames of at most
/// <see cref="MaxFrameBytes"/>. Bounded frames keep every allocation on either side of the socket small and
/// let a 150 MB CT travel without one 150 MB buffer inside NetMQ's framing.
/// </summary>
public static class JobFrames
{
    public const int MaxFrameBytes = 1 << 20;

    /// <summary>The largest frame a TCP peer accepts at all (a JSON header with a big label table included); NetMQ
    /// disconnects a sender of a larger one before buffering it, so a peer cannot make the other allocate at will.</summary>
    public const long MaxWireFrameBytes = 16L << 20;

    public static void Append(NetMQMessage message, JsonObject header, ReadOnlySpan<byte> payload)
    {
        message.Append(Encoding.UTF8.GetBytes(header.ToJsonString()));
        for (int at = 0; at < payload.Length; at += MaxFrameBytes)
            message.Append(payload.Slice(at, Math.Min(MaxFrameBytes, payload.Length - at)).ToArray());
    }

    /// <summary>Reads a body from <paramref name="message"/> starting at frame <paramref name="first"/>.</summary>
    public static (JsonObject Header, byte[] Payload) Read(NetMQMessage message, int first)
    {
        if (message.FrameCount <= first) throw new InvalidDataException("the message has no body");
        var header = JsonNode.Parse(message[first].Buffer.AsSpan(0, message[first].MessageSize)) as JsonObject
            ?? throw new InvalidDataException("the body's first frame is not a JSON object");
        long total = 0;
        for (int i = first + 1; i < message.FrameCount; i++)
        {
            if (message[i].MessageSize > MaxFrameBytes)
                throw new InvalidDataException($"a payload frame of {message[i].MessageSize} bytes exceeds {MaxFrameBytes}");
            total += message[i].MessageSize;
        }
        byte[] payload = new byte[total];
        int offset = 0;
        for (int i = first + 1; i < message.FrameCount; i++)
        {
            message[i].Buffer.AsSpan(0, message[i].MessageSize).CopyTo(payload.AsSpan(offset));
            offset += message[i].MessageSize;
        }
        return (header, payload);
    }
}
