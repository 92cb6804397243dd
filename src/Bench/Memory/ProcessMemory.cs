using System.Globalization;

namespace CollabVlm.Bench.Memory;

/// <summary>
/// A process's resident memory from /proc (Linux): now (VmRSS) and the kernel's own peak so far (VmHWM), in bytes;
/// this process unless a process id is given; 0 when /proc does not say.
/// </summary>
public static class ProcessMemory
{
    public static long Resident(int? pid = null) => Read(pid, "VmRSS:");

    public static long PeakResident(int? pid = null) => Read(pid, "VmHWM:");

    private static long Read(int? pid, string field)
    {
        var status = $"/proc/{pid?.ToString(CultureInfo.InvariantCulture) ?? "self"}/status";
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
