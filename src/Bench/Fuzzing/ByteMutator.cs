using System.Buffers.Binary;
using System.Text;

namespace CollabVlm.Bench.Fuzzing;

/// <summary>
/// Turns a valid input into a damaged one: one to four stacked edits out of bit flips, random and
/// "interesting" bytes and integers (0, −1, sign and width boundaries, both byte orders), inserted,
/// deleted and duplicated ranges, truncation and splicing with another seed. For protocol frames
/// (<c>[int32 length][JSON][payload]</c>) half the inputs are edited inside the JSON and re-framed
/// with the right length, so the edits reach the JSON reader and the records' checks instead of
/// all stopping at the length check.
/// </summary>
public sealed class ByteMutator(IReadOnlyList<byte[]> seeds, bool protocolFrames)
{
    private static readonly long[] InterestingIntegers =
        [0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue];

    private static readonly string[] InterestingJson =
    [
        "null", "0", "-1", "2147483648", "-2147483649", "9223372036854775808", "1e308", "-1e308", "1e400", "4.9e-324", "-0",
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"\"", "[]", "{}", "true", "false", "\"x\"",
        "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-guid\"", "\"10675199.02:48:05.4775808\"", "\"-00:00:01\"", "\"99:99:99\"",
        "\"\\ud800\"", "\"\\u0000\"", "\"" + new string('a', 5000) + "\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "\"refined\"", "\"busy\"", "\"always\"", "\"never\"", "\"AAAA\"", "123456789012345678901234567890",
    ];

    public byte[] Mutate(Random random)
    {
        var input = seeds[random.Next(seeds.Count)];
        if (protocolFrames && input.Length >= 4 && random.Next(2) == 0 && MutateJson(input, random) is { } reframed)
            return reframed;
        var edits = 1 + random.Next(4);
        for (var i = 0; i < edits; i++) input = MutateOnce(input, random);
        return input;
    }

    private byte[] MutateOnce(byte[] input, Random random)
    {
        if (input.Length == 0) return [(byte)random.Next(256)];
        var data = (byte[])input.Clone();
        var at = random.Next(data.Length);
        switch (random.Next(11))
        {
            case 0:
                data[at] ^= (byte)(1 << random.Next(8));
                return data;
            case 1:
                data[at] = (byte)random.Next(256);
                return data;
            case 2:
                data[at] = (byte)InterestingIntegers[random.Next(InterestingIntegers.Length)];
                return data;
            case 3:
                WriteInteger(data, at, random);
                return data;
            case 4:
                return Insert(data, at, RandomBytes(random, 1 + random.Next(random.Next(2) == 0 ? 8 : 256)));
            case 5:
                return Delete(data, at, 1 + random.Next(Math.Min(data.Length - at, random.Next(2) == 0 ? 8 : 1024)));
            case 6:
                return data[..at];
            case 7:
                var other = seeds[random.Next(seeds.Count)];
                return [.. data.AsSpan(0, at), .. other.AsSpan(random.Next(other.Length + 1))];
            case 8:
                var length = 1 + random.Next(Math.Min(data.Length - at, 512));
                return Insert(data, random.Next(data.Length + 1), data.AsSpan(at, length).ToArray());
            case 9:
                // A JPEG marker or PNG chunk boundary in the middle of data.
                return Insert(data, at, random.Next(2) == 0 ? [0xFF, (byte)(0xC0 + random.Next(64))] : "IEND"u8.ToArray());
            default:
                for (var i = random.Next(1, 9); i > 0; i--) data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
        }
    }

    private static void WriteInteger(byte[] data, int at, Random random)
    {
        var value = InterestingIntegers[random.Next(InterestingIntegers.Length)];
        var width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
        if (at + width > data.Length) return;
        Span<byte> buffer = stackalloc byte[8];
        if (random.Next(2) == 0) BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        else { BinaryPrimitives.WriteInt64BigEndian(buffer, value); buffer = buffer[(8 - width)..]; }
        buffer[..width].CopyTo(data.AsSpan(at));
    }

    /// <summary>Replaces one JSON value (after a ':' or '[') with an interesting one, or edits the JSON's bytes; keeps the frame's length right.</summary>
    private byte[]? MutateJson(byte[] frame, Random random)
    {
        var declared = BinaryPrimitives.ReadInt32LittleEndian(frame);
        if (declared < 0 || declared > frame.Length - 4) return null;
        var json = Encoding.UTF8.GetString(frame, 4, declared);
        var payload = frame.AsSpan(4 + declared).ToArray();
        var edits = 1 + random.Next(3);
        for (var i = 0; i < edits; i++)
        {
            if (random.Next(3) == 0)
            {
                json = Encoding.UTF8.GetString(MutateOnce(Encoding.UTF8.GetBytes(json), random));
                continue;
            }
            var starts = Enumerable.Range(0, json.Length).Where(p => json[p] is ':' or '[').ToList();
            if (starts.Count == 0) break;
            var start = starts[random.Next(starts.Count)] + 1;
            var end = ValueEnd(json, start);
            json = json[..start] + InterestingJson[random.Next(InterestingJson.Length)] + json[end..];
        }
        var body = Encoding.UTF8.GetBytes(json);
        var result = new byte[4 + body.Length + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, body.Length);
        body.CopyTo(result, 4);
        payload.CopyTo(result, 4 + body.Length);
        return result;
    }

    /// <summary>End of the value that starts at <paramref name="start"/>: a string, or up to the next ',', '}' or ']' at the same depth.</summary>
    private static int ValueEnd(string json, int start)
    {
        int depth = 0, p = start;
        var inString = false;
        for (; p < json.Length; p++)
        {
            var c = json[p];
            if (inString)
            {
                if (c == '\\') p++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c is '{' or '[') depth++;
            else if (c is '}' or ']' or ',')
            {
                if (depth == 0) return p;
                if (c != ',') depth--;
            }
        }
        return Math.Min(p, json.Length);
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Insert(byte[] data, int at, byte[] inserted) => [.. data.AsSpan(0, at), .. inserted, .. data.AsSpan(at)];

    private static byte[] Delete(byte[] data, int at, int count) => [.. data.AsSpan(0, at), .. data.AsSpan(at + count)];
}
