using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Simulation.Hosting;

/// <summary>
/// Makes every device of this edge node ask about generated frames (see <see cref="SimulationSettings"/>).
/// Each device has at most one question outstanding, so the load is bounded by the device count. The devices start
/// spread evenly over one interval, so a node does not open with a burst of one question per device.
/// </summary>
public sealed class SimulatedCameras(EdgeDeviceSet devices, EdgeSettings edge, SimulationSettings simulation, ILogger<SimulatedCameras> log) : BackgroundService
{
    private IReadOnlyList<byte[]> _frames = [];
    private OutcomeLogWriter? _outcomes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!simulation.Enabled) return;
        // Devices exist once the ActorSystem started; the host starts hosted services in order, so wait briefly.
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            waiting.CancelAfter(TimeSpan.FromSeconds(60));
            while (devices.Devices.Count == 0) await Task.Delay(100, waiting.Token);
        }
        _frames = LoadFrames(simulation.FrameFolder);
        using var outcomes = new OutcomeLogWriter(simulation.OutcomeLog);
        _outcomes = outcomes;
        log.LogInformation("simulating {Count} camera(s): one question every {Interval} each{Limit}{Frames}", devices.Devices.Count, simulation.AskInterval,
            simulation.QuestionsPerDevice > 0 ? $", {simulation.QuestionsPerDevice} question(s) per camera" : "",
            _frames.Count > 0 ? $", {_frames.Count} frame(s) from {simulation.FrameFolder}" : "");
        await Task.WhenAll(devices.Devices.Select((device, i) => AskRepeatedlyAsync(device, i, devices.Devices.Count, stoppingToken)));
        if (simulation.QuestionsPerDevice > 0) log.LogInformation("every camera asked its {Count} question(s)", simulation.QuestionsPerDevice);
    }

    private async Task AskRepeatedlyAsync(IActorRef device, int index, int count, CancellationToken stoppingToken)
    {
        var rng = new Random(simulation.Seed + index);
        // Bounded like the CLI's ask: every attempt may take the deadline plus grace.
        var patience = (edge.DefaultDeadline + edge.AnswerGrace + edge.AcceptTimeout) * edge.MaxAttempts;
        try
        {
            await Task.Delay(simulation.AskInterval * index / count, stoppingToken);
            for (var n = 0; simulation.QuestionsPerDevice == 0 || n < simulation.QuestionsPerDevice; n++)
            {
                await AskOnceAsync(device, index, n, Frame(rng, index + n), patience, stoppingToken);
                await Task.Delay(simulation.AskInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a question still out has an "asked" line and no "ended" line, which is what happened to it.
        }
    }

    private async Task AskOnceAsync(IActorRef device, int index, int n, byte[] frame, TimeSpan patience, CancellationToken stoppingToken)
    {
        // The process id keeps the names of a restarted node's questions apart from its previous life's.
        var question = $"{Environment.ProcessId}/c{index}-{n}";
        var queryId = QueryId.New();
        var asked = DateTimeOffset.UtcNow;
        _outcomes!.Write(new OutcomeLine(OutcomeLine.Asked, question, index, queryId.Value.ToString("N"), asked.ToUnixTimeMilliseconds()));
        try
        {
            var outcome = await device.Ask<QueryOutcome>(new AskQuestion(frame, simulation.Question, QueryId: queryId), patience, stoppingToken);
            log.LogDebug("device {Index}: {Outcome}", index, outcome.IsAnswered ? outcome.Answered!.Answer.Stage.ToString() : outcome.Failed!.Reason.ToString());
            _outcomes.Write(new OutcomeLine(OutcomeLine.Ended, question, index, queryId.Value.ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                outcome.IsAnswered ? OutcomeLine.Answered : OutcomeLine.Failed, outcome.Answered?.Answer.Stage.ToString(), outcome.Failed?.Reason.ToString(),
                outcome.Elapsed.TotalMilliseconds, outcome.Attempts));
        }
        catch (Exception e) when (e is AskTimeoutException or TimeoutException)
        {
            log.LogWarning("device {Index}: no outcome within {Patience}", index, patience);
            var now = DateTimeOffset.UtcNow;
            _outcomes.Write(new OutcomeLine(OutcomeLine.Ended, question, index, queryId.Value.ToString("N"), now.ToUnixTimeMilliseconds(),
                OutcomeLine.NoOutcome, LatencyMs: (now - asked).TotalMilliseconds));
        }
    }

    private byte[] Frame(Random rng, int turn)
    {
        return _frames.Count > 0 ? _frames[turn % _frames.Count] : CameraFrames.Render(rng, simulation);
    }

    private static IReadOnlyList<byte[]> LoadFrames(string? folder)
    {
        if (folder is null) return [];
        var files = Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InvalidOperationException($"Simulation:FrameFolder {folder} holds no *.jpg frames");
        return files.Select(File.ReadAllBytes).ToList();
    }
}
