using System.Text.Json;

namespace CollabVlm.Bench.Proposals;

/// <summary>
/// <see cref="FrameScan"/>s as JSON lines, one per question: written as each frame is scanned (an
/// interrupted scan keeps what it did), read back by <c>proposals --scans FILE</c> to replay the ranking.
/// </summary>
public static class FrameScanFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static async Task<Dictionary<string, FrameScan>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var scans = new Dictionary<string, FrameScan>();
        if (!File.Exists(path)) return scans;
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            FrameScan? scan;
            try
            {
                scan = JsonSerializer.Deserialize<FrameScan>(line, Json);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} line {number} is not a frame scan: {e.Message}", e);
            }
            if (scan is null) throw new InvalidDataException($"{path} line {number} is empty JSON");
            scans[scan.Id] = scan;
        }
        return scans;
    }

    public static Task AppendAsync(string path, FrameScan scan, CancellationToken cancellationToken) =>
        File.AppendAllTextAsync(path, JsonSerializer.Serialize(scan, Json) + "\n", cancellationToken);
}
