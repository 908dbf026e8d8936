using System.Buffers.Binary;
using System.Text;

namespace CtSegLabel.Fuzz.Mutation;

/// <summary>
/// Makes a mutant from a corpus input: one to three stacked mutations chosen at random from bit flips,
/// "interesting" integers and floats (at the target's header fields or anywhere), text-key value
/// replacement, line deletion/duplication/swapping, truncation, chunk duplication/deletion/insertion,
/// splicing with another corpus input, and mutation of the bytes inside a gzip member (re-compressed).
/// Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class Mutator(Random rng, MutationHints hints)
{
    /// <summary>Mutants past this size are cut: findings must stay small enough to keep.</summary>
    public const int MaxInputBytes = 1 << 20;

    private static readonly long[] InterestingIntegers =
    [
        0, 1, -1, 2, 3, 4, 7, 8, 16, 32, 64, 127, 128, 255, 256, 348, 351, 352, 353, 512, 540, 768, 1024,
        short.MaxValue, short.MinValue, ushort.MaxValue, 65536, int.MaxValue, int.MinValue, uint.MaxValue,
    ];

    private static readonly float[] InterestingFloats =
    [
        0, -0f, 1, -1, 0.5f, 352, 352.5f, 353, 1e-30f, 1e30f, -1e30f, float.MaxValue, float.Epsilon,
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 2147483648f, 4294967296f,
    ];

    private static readonly byte[][] Tokens =
    [
        "\r\n"u8.ToArray(), "\n"u8.ToArray(), "\r\n\r\n"u8.ToArray(), "--"u8.ToArray(), "\""u8.ToArray(), ":"u8.ToArray(),
        ":="u8.ToArray(), "="u8.ToArray(), ";"u8.ToArray(), "\0"u8.ToArray(), " "u8.ToArray(), "%"u8.ToArray(),
        "("u8.ToArray(), ")"u8.ToArray(), ","u8.ToArray(), "nan"u8.ToArray(), "\\"u8.ToArray(), "\xff\xfe"u8.ToArray(),
    ];

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        byte[] current = input;
        int count = 1 + rng.Next(3);
        for (int n = 0; n < count; n++) current = MutateOnce(current, corpus);
        return current.Length > MaxInputBytes ? current[..MaxInputBytes] : current;
    }

    private byte[] MutateOnce(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        if (input.Length == 0) return Insert(input);
        return rng.Next(14) switch
        {
            0 or 1 => FlipBits(input),
            2 => InterestingByte(input),
            3 or 4 => InterestingField(input),
            5 or 6 => ReplaceTextValue(input) ?? FlipBits(input),
            7 => LineOperation(input) ?? Truncate(input),
            8 => Truncate(input),
            9 => DuplicateChunk(input),
            10 => DeleteChunk(input),
            11 => Insert(input),
            12 => Splice(input, corpus[rng.Next(corpus.Count)]),
            _ => MutateInsideGzip(input, corpus) ?? FlipBits(input),
        };
    }

    private byte[] FlipBits(byte[] input)
    {
        var copy = (byte[])input.Clone();
        int flips = 1 + rng.Next(8);
        // Headers decide everything: favour the first KB.
        int span = rng.Next(2) == 0 ? Math.Min(copy.Length, 1024) : copy.Length;
        for (int n = 0; n < flips; n++) copy[rng.Next(span)] ^= (byte)(1 << rng.Next(8));
        return copy;
    }

    private byte[] InterestingByte(byte[] input)
    {
        var copy = (byte[])input.Clone();
        copy[rng.Next(Math.Min(copy.Length, 1024))] = (byte)InterestingIntegers[rng.Next(InterestingIntegers.Length)];
        return copy;
    }

    /// <summary>An interesting integer or float written at a hinted header field (either byte order, as
    /// readers that detect the order must cope with both), or at a random offset.</summary>
    private byte[] InterestingField(byte[] input)
    {
        var copy = (byte[])input.Clone();
        var field = hints.Fields.Count > 0 && rng.Next(4) != 0
            ? hints.Fields[rng.Next(hints.Fields.Count)]
            : new BinaryField("random", rng.Next(Math.Min(copy.Length, 1024)), new[] { 1, 2, 4 }[rng.Next(3)], rng.Next(4) == 0);
        if (field.Offset + field.Width > copy.Length) return FlipBits(input);
        var target = copy.AsSpan(field.Offset, field.Width);
        bool big = rng.Next(4) == 0;
        if (field.IsFloat && field.Width == 4)
        {
            float f = InterestingFloats[rng.Next(InterestingFloats.Length)];
            if (big) BinaryPrimitives.WriteSingleBigEndian(target, f); else BinaryPrimitives.WriteSingleLittleEndian(target, f);
            return copy;
        }
        long v = InterestingIntegers[rng.Next(InterestingIntegers.Length)];
        if (rng.Next(3) == 0) v += rng.Next(-2, 3);
        switch (field.Width)
        {
            case 1: target[0] = (byte)v; break;
            case 2: if (big) BinaryPrimitives.WriteInt16BigEndian(target, (short)v); else BinaryPrimitives.WriteInt16LittleEndian(target, (short)v); break;
            default: if (big) BinaryPrimitives.WriteInt32BigEndian(target, (int)v); else BinaryPrimitives.WriteInt32LittleEndian(target, (int)v); break;
        }
        return copy;
    }

    /// <summary>Replaces the value after a hinted key ("sizes: ", "Segment0_LabelValue:=", "boundary=")
    /// with one of its interesting values, or with a random other one's, or with nothing.</summary>
    private byte[]? ReplaceTextValue(byte[] input)
    {
        if (hints.TextKeys.Count == 0) return null;
        string text = Encoding.Latin1.GetString(input, 0, Math.Min(input.Length, 64 * 1024));
        var present = hints.TextKeys.Keys.Where(k => text.Contains(k, StringComparison.Ordinal)).ToList();
        if (present.Count == 0) return null;
        string key = present[rng.Next(present.Count)];
        var positions = new List<int>();
        for (int at = text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(key, at + 1, StringComparison.Ordinal)) positions.Add(at);
        int start = positions[rng.Next(positions.Count)] + key.Length;
        int end = start;
        // Header parameters (boundary=, name=") end at ';'; NRRD fields and keys at the line's end.
        bool parameter = key.EndsWith('=') && !key.EndsWith(":=", StringComparison.Ordinal) || key.EndsWith('"');
        while (end < text.Length && text[end] is not ('\n' or '\r') && !(parameter && text[end] is ';' or '"')) end++;
        string[] values = hints.TextKeys[key];
        string value = rng.Next(5) switch
        {
            0 => "",
            1 => text[start..end] + text[start..end],
            _ => values[rng.Next(values.Length)],
        };
        var result = new List<byte>(input.Length + value.Length);
        result.AddRange(input.AsSpan(0, start).ToArray());
        result.AddRange(Encoding.Latin1.GetBytes(value));
        result.AddRange(input.AsSpan(end).ToArray());
        return result.ToArray();
    }

    /// <summary>Deletes, duplicates or swaps lines of the text at the start of the input (a NRRD header,
    /// multipart headers), where line structure is what the parser reads.</summary>
    private byte[]? LineOperation(byte[] input)
    {
        int textEnd = Math.Min(input.Length, 8 * 1024);
        var starts = new List<int> { 0 };
        for (int n = 0; n < textEnd; n++) if (input[n] == '\n') starts.Add(n + 1);
        if (starts.Count < 3) return null;
        int a = rng.Next(starts.Count - 1), b = rng.Next(starts.Count - 1);
        var lineA = input.AsSpan(starts[a], starts[a + 1] - starts[a]).ToArray();
        var lineB = input.AsSpan(starts[b], starts[b + 1] - starts[b]).ToArray();
        var result = new List<byte>(input.Length + lineA.Length);
        for (int n = 0; n < starts.Count - 1; n++)
        {
            var line = input.AsSpan(starts[n], starts[n + 1] - starts[n]).ToArray();
            switch (rng.Next(3))
            {
                case 0 when n == a: break; // delete
                case 1 when n == a: result.AddRange(line); result.AddRange(line); break; // duplicate
                default: result.AddRange(n == a ? lineB : n == b ? lineA : line); break; // swap
            }
        }
        result.AddRange(input.AsSpan(starts[^1]).ToArray());
        return result.ToArray();
    }

    private byte[] Truncate(byte[] input) => input[..rng.Next(input.Length)];

    private byte[] DuplicateChunk(byte[] input)
    {
        int start = rng.Next(input.Length), length = 1 + rng.Next(Math.Min(input.Length - start, 4096));
        int at = rng.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. input.AsSpan(start, length), .. input.AsSpan(at)];
    }

    private byte[] DeleteChunk(byte[] input)
    {
        int start = rng.Next(input.Length), length = 1 + rng.Next(Math.Min(input.Length - start, 256));
        return [.. input.AsSpan(0, start), .. input.AsSpan(start + length)];
    }

    private byte[] Insert(byte[] input)
    {
        byte[] insert = rng.Next(2) == 0 ? Tokens[rng.Next(Tokens.Length)] : RandomBytes(1 + rng.Next(16));
        int at = rng.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. insert, .. input.AsSpan(at)];
    }

    private byte[] Splice(byte[] a, byte[] b)
    {
        if (b.Length == 0) return Truncate(a);
        int cutA = rng.Next(a.Length + 1), cutB = rng.Next(b.Length);
        return [.. a.AsSpan(0, cutA), .. b.AsSpan(cutB)];
    }

    /// <summary>Inflates the gzip member in the input, mutates the inflated bytes, and deflates them back
    /// in place, so the parser behind gunzip sees the mutation.</summary>
    private byte[]? MutateInsideGzip(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        int start = GzipPayload.Find(input);
        if (start < 0) return null;
        int end = GzipPayload.EndOf(input, start);
        var inflated = GzipPayload.Inflate(input, start, end);
        if (inflated is null || inflated.Length == 0) return null;
        var inner = MutateOnce(inflated, corpus);
        return [.. input.AsSpan(0, start), .. GzipPayload.Deflate(inner), .. input.AsSpan(end)];
    }

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
