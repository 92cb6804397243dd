using System.Diagnostics;
using CollabVlm.Imaging;

namespace CollabVlm.Bench.Fuzzing;

/// <summary>
/// Feeds mutated inputs to the targets in turn (input i goes to target i mod n) and sorts every
/// outcome into accepted, documented error, or crash. Input i is a pure function of the seed and i,
/// so <c>--from i --inputs 1</c> replays one. A watchdog thread ends the process (exit 3, the
/// input written out) when one input runs past the time bound: a hang cannot be interrupted
/// in-process, and a fuzzer that waits forever reports nothing.
/// </summary>
public sealed class FuzzRunner(IReadOnlyList<FuzzTarget> targets, int seed, TimeSpan perInputBound, string? reproducerDirectory)
{
    private const int ReproducersPerType = 3;
    private long _runningSince;
    private long _runningIndex = -1;
    private byte[] _runningInput = [];

    public IReadOnlyList<FuzzTargetReport> Run(long from, long inputs, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var reports = targets.Select(t => new FuzzTargetReport(t.Name)).ToList();
        var mutators = targets.Select(t => new ByteMutator(t.Seeds, t.ProtocolFrames)).ToList();
        using var stop = new CancellationTokenSource();
        var watchdog = new Thread(() => Watch(stop.Token)) { IsBackground = true, Name = "fuzz-watchdog" };
        watchdog.Start();
        try
        {
            for (var i = from; i < from + inputs && !cancellationToken.IsCancellationRequested; i++)
            {
                var t = (int)(i % targets.Count);
                var random = new Random(InputSeed(seed, i));
                var input = mutators[t].Mutate(random);
                Volatile.Write(ref _runningInput, input);
                Volatile.Write(ref _runningIndex, i);
                var started = Stopwatch.GetTimestamp();
                Volatile.Write(ref _runningSince, started);
                RunOne(targets[t], reports[t], i, input, random);
                Volatile.Write(ref _runningIndex, -1);
                reports[t].SlowestMs = Math.Max(reports[t].SlowestMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (progress is not null && (i - from + 1) % 100_000 == 0)
                    progress($"{i - from + 1} inputs, {reports.Sum(r => r.CrashCount)} crashes");
            }
        }
        finally
        {
            stop.Cancel();
        }
        return reports;
    }

    private void RunOne(FuzzTarget target, FuzzTargetReport report, long index, byte[] input, Random random)
    {
        report.Inputs++;
        try
        {
            target.Run(input, random);
            report.Accepted++;
        }
        catch (Exception e) when (target.IsDocumentedError(e))
        {
            var key = e is ImageDecodeException decode ? $"{e.GetType().Name}({decode.Kind})" : e.GetType().Name;
            report.Errors[key] = report.Errors.GetValueOrDefault(key) + 1;
        }
        catch (Exception e)
        {
            report.CrashCount++;
            var type = e.GetType().FullName ?? e.GetType().Name;
            if (report.Crashes.Count(c => c.ExceptionType == type) < ReproducersPerType)
                report.Crashes.Add(new FuzzCrash(target.Name, index, type, $"{e.Message} (thrown in {e.TargetSite?.DeclaringType?.Name}.{e.TargetSite?.Name})", Save(target.Name, index, input)));
        }
    }

    private void Watch(CancellationToken stop)
    {
        while (!stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200)))
        {
            var index = Volatile.Read(ref _runningIndex);
            if (index < 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref _runningSince)) < perInputBound) continue;
            var target = targets[(int)(index % targets.Count)].Name;
            var path = Save(target, index, Volatile.Read(ref _runningInput));
            Console.Error.WriteLine($"hang: {target} input {index} ran past {perInputBound.TotalSeconds:0.#} s{(path is null ? "" : $"; input written to {path}")}");
            Environment.Exit(3);
        }
    }

    private string? Save(string target, long index, byte[] input)
    {
        if (reproducerDirectory is null) return null;
        Directory.CreateDirectory(reproducerDirectory);
        var path = Path.Combine(reproducerDirectory, $"{string.Concat(target.Select(c => char.IsLetterOrDigit(c) ? c : '-'))}-{index}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>SplitMix64 of (seed, index): independent, reproducible streams per input.</summary>
    public static int InputSeed(int seed, long index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
