using System.Globalization;
using CollabVlm.Bench.Chaos;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// Samples one edge process through its phases: the veth counter every <see cref="LinkShapedOptions.CounterEvery"/>
/// and the estimate every <see cref="LinkShapedOptions.EstimateEvery"/>, side by side, so that a slow curl on a busy
/// machine does not leave holes in the counter series.
/// </summary>
public sealed class PhaseSampler(EdgeLinkProbe probe, NodeProcess edge, LinkShapedOptions options, Action<string> progress)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);
    private readonly List<EstimateReading> _estimates = [];
    private readonly List<CounterReading> _counters = [];

    public IReadOnlyList<EstimateReading> Estimates => _estimates;

    public IReadOnlyList<CounterReading> Counters => _counters;

    /// <summary>Samples until <paramref name="untilMs"/> (Unix ms); fails when the edge process exits meanwhile.</summary>
    public async Task SampleAsync(long shapedBitsPerSecond, long untilMs, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, untilMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        var counting = Every(options.CounterEvery, () =>
        {
            if (edge.Pid is { } pid && probe.ReadCounter(pid) is { } reading) _counters.Add(reading);
            return Task.CompletedTask;
        }, stop.Token);
        var lastProgress = 0L;
        var estimating = Every(options.EstimateEvery, async () =>
        {
            var reading = await probe.ReadEstimateAsync(stop.Token);
            _estimates.Add(reading);
            if (reading.AtMs - lastProgress < ProgressEvery.TotalMilliseconds) return;
            lastProgress = reading.AtMs;
            progress(Describe(reading, shapedBitsPerSecond));
        }, stop.Token);
        await Task.WhenAll(counting, estimating);
        cancellationToken.ThrowIfCancellationRequested();
        if (!edge.IsRunning) throw new InvalidOperationException($"{edge.Name} exited (code {edge.ExitCode}) during the run; see {edge.Name}.log");
    }

    public LinkPhase Analyse(int step, bool afterDrop, long shapedBitsPerSecond, long startMs, long endMs, IReadOnlyList<OutcomeLine> outcomes) =>
        LinkPhaseAnalysis.Analyse(step, afterDrop, shapedBitsPerSecond, startMs, endMs, _estimates, _counters, outcomes, options.MaxError);

    private static async Task Every(TimeSpan period, Func<Task> action, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            do await action();
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The phase is over.
        }
    }

    private static string Describe(EstimateReading reading, long shapedBitsPerSecond)
    {
        var shaped = LinkShapedOptions.RateName(shapedBitsPerSecond);
        if (reading.BytesPerSecond is not { } bytes || reading.Confidence is not > 0) return $"  link {shaped}: no estimate yet";
        var error = (bytes * 8 - shapedBitsPerSecond) / shapedBitsPerSecond;
        return string.Create(CultureInfo.InvariantCulture, $"  link {shaped}: estimate {bytes * 8 / 1e6:0.000} Mbit/s ({error:+0%;-0%}), confidence {reading.Confidence:0.00}");
    }
}
