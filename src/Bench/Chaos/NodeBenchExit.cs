namespace CollabVlm.Bench.Chaos;

/// <summary>
/// The exit codes of the benches that run real node processes (<c>chaos</c>, <c>link-shaped</c>): the run's own code,
/// 2 when it could not be set up (a bad flag, a node that did not start, no namespaces), 130 when cancelled — each
/// with one line on stderr saying why.
/// </summary>
public static class NodeBenchExit
{
    public const int SetupFailed = 2;
    public const int Cancelled = 130;

    /// <param name="run">Builds the options, runs, reports; returns the run's exit code.</param>
    /// <param name="onCancel">What cancelling left behind, for the line on stderr.</param>
    public static async Task<int> RunAsync(Func<Task<int>> run, string onCancel)
    {
        try
        {
            return await run();
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"cancelled: {onCancel}");
            return Cancelled;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return SetupFailed;
        }
    }
}
