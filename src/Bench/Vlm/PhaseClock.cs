using System.Diagnostics;

namespace CollabVlm.Bench.Vlm;

/// <summary>Wall time and this process's CPU time (all threads) since the previous lap, in milliseconds.</summary>
public sealed class PhaseClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

    public static PhaseClock Start() => new();

    public (double Wall, double Cpu) Lap()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var lap = (_wall.Elapsed.TotalMilliseconds, (cpu - _cpu).TotalMilliseconds);
        _wall.Restart();
        _cpu = cpu;
        return lap;
    }
}
