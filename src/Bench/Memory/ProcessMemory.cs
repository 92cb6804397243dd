namespace CollabVlm.Bench.Memory;

/// <summary>This process's resident memory from /proc (Linux): now (VmRSS) and the peak so far (VmHWM), in bytes.</summary>
public static class ProcessMemory
{
    public static long Resident() => Read("VmRSS:");

    public static long PeakResident() => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
