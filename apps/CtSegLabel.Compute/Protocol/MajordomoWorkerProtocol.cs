using NetMQ;

namespace CtSegLabel.Compute.Protocol;

/// <summary>
/// The worker side of the Majordomo Protocol, version 0.1 (ZeroMQ RFC 7/MDP, "MDPW01"): every message between
/// broker and worker is [empty][MDPW01][command][...]. READY carries the service name, REQUEST and REPLY carry the
/// client address, an empty frame and the body. We follow it as written and add, where the RFC has nothing, three
/// things a long GPU job needs; they are documented in docs/workers.md:
/// <list type="bullet">
/// <item>READY has one more frame after the service name: the worker's capabilities as JSON (device, memory, the
/// jobs and models it serves, an access token when the broker asks for one).</item>
/// <item>PROGRESS (0x10, worker → broker): [client address][empty][JSON], any number of times before the REPLY.</item>
/// <item>CANCEL (0x11, broker → worker): [client address]; the worker stops that job and still sends its REPLY.</item>
/// </list>
/// The "client address" is our job id: the broker lives in the server, so its clients are in-process callers.
/// </summary>
public static class MajordomoWorkerProtocol
{
    public const string Header = "MDPW01";

    /// <summary>The one service every CtSegLabel worker registers; what it can run is in its capabilities.</summary>
    public const string Service = "ctseg.compute";

    public static NetMQMessage Command(WorkerCommand command, params ReadOnlySpan<byte[]> rest)
    {
        var message = new NetMQMessage();
        message.AppendEmptyFrame();
        message.Append(Header);
        message.Append([(byte)command]);
        foreach (byte[] frame in rest) message.Append(frame);
        return message;
    }

    /// <summary>Reads [empty][MDPW01][command] from the front of <paramref name="message"/>, leaving the rest.
    /// A message that is not MDPW01 is an error of the peer, not ours: the caller drops it.</summary>
    public static bool TryReadCommand(NetMQMessage message, out WorkerCommand command)
    {
        command = default;
        if (message.FrameCount < 3 || !message[0].IsEmpty || message[1].ConvertToString() != Header || message[2].BufferSize != 1)
            return false;
        command = (WorkerCommand)message[2].Buffer[0];
        message.Pop();
        message.Pop();
        message.Pop();
        return Enum.IsDefined(command);
    }
}

/// <summary>MDP/Worker commands (RFC 7) and our two extensions.</summary>
public enum WorkerCommand : byte
{
    Ready = 0x01,
    Request = 0x02,
    Reply = 0x03,
    Heartbeat = 0x04,
    Disconnect = 0x05,
    Progress = 0x10,
    Cancel = 0x11,
}
