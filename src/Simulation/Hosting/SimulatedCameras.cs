using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Imaging;
using CollabVlm.Simulation.Frames;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Simulation.Hosting;

/// <summary>
/// Makes every device of this edge node ask about generated frames (see <see cref="SimulationSettings"/>).
/// Each device has at most one question outstanding, so the load is bounded by the device count.
/// </summary>
public sealed class SimulatedCameras(EdgeDeviceSet devices, EdgeSettings edge, SimulationSettings simulation, ILogger<SimulatedCameras> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!simulation.Enabled) return;
        // Devices exist once the ActorSystem started; the host starts hosted services in order, so wait briefly.
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            waiting.CancelAfter(TimeSpan.FromSeconds(60));
            while (devices.Devices.Count == 0) await Task.Delay(100, waiting.Token);
        }
        log.LogInformation("simulating {Count} camera(s): one question every {Interval} each", devices.Devices.Count, simulation.AskInterval);
        await Task.WhenAll(devices.Devices.Select((device, i) => AskRepeatedlyAsync(device, i, stoppingToken)));
    }

    private async Task AskRepeatedlyAsync(IActorRef device, int index, CancellationToken stoppingToken)
    {
        var rng = new Random(simulation.Seed + index);
        // Bounded like the CLI's ask: every attempt may take the deadline plus grace.
        var patience = (edge.DefaultDeadline + edge.AnswerGrace + edge.AcceptTimeout) * edge.MaxAttempts;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var frame = Render(rng);
                var outcome = await device.Ask<QueryOutcome>(new AskQuestion(frame, simulation.Question), patience, stoppingToken);
                log.LogDebug("device {Index}: {Outcome}", index, outcome.IsAnswered ? outcome.Answered!.Answer.Stage.ToString() : outcome.Failed!.Reason.ToString());
                await Task.Delay(simulation.AskInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is AskTimeoutException or TimeoutException)
            {
                log.LogWarning("device {Index}: no outcome within {Patience}", index, patience);
            }
        }
    }

    private byte[] Render(Random rng)
    {
        var height = rng.Next(simulation.MinTextPixels, simulation.MaxTextPixels + 1);
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(simulation.FrameWidth, simulation.FrameHeight, SceneTextVocabulary.Pick(rng), height, rng.Next()));
        return JpegEncoder.Encode(frame.Bitmap, 92).Bytes;
    }
}
