using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Actors.Server;
using CollabVlm.Bench.Demo;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Hosting;
using CollabVlm.Simulation.Uplink;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Bench.Latency;

/// <summary>
/// Runs one strategy over the frames on one shaped link. Every strategy but full-frame goes edge →
/// server through a fresh loopback cluster (TCP, actors, the edge node's token-bucket shaper).
/// Full-frame upload is the frame's bytes through the same shaper, then the reader on the whole
/// frame in-process: the protocol has no "send everything" path, and none is needed to time it.
/// </summary>
public sealed class LatencyRunner(ReaderOptions reader, ServerSettings server, BenchModels models, LogLevel nodeLogLevel)
{
    public const string Question = "What does the sign say?";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The samples, and for cluster strategies the device's link estimate at the end.</summary>
    public async Task<(IReadOnlyList<LatencySample> Samples, LinkView? Estimate)> RunAsync(ShapedLink link, LatencyStrategy strategy,
        IReadOnlyList<DemoFrame> frames, Action onQuery, CancellationToken cancellationToken)
    {
        if (strategy == LatencyStrategy.FullFrame)
            return (await FullFrameAsync(link, frames, onQuery, cancellationToken), null);

        var edge = strategy == LatencyStrategy.Always ? new EdgeSettings { LocalMaxLayers = 1 } : new EdgeSettings();
        await using var cluster = await LoopbackCluster.StartAsync(server, _ => new PpOcrReader(reader), edge, edgeNodes: 1,
            logLevel: nodeLogLevel, uplink: link.Uplink, cancellationToken: cancellationToken);
        var device = cluster.Devices[0];
        var options = strategy switch
        {
            LatencyStrategy.GlobalOnly => new QueryOptions(Deadline, RetransmitPolicy.Never),
            LatencyStrategy.Always => new QueryOptions(Deadline, RetransmitPolicy.Always, RefineOn: RefineOn.Last),
            LatencyStrategy.GatedProgressive => new QueryOptions(Deadline, RetransmitPolicy.Gated, RefineOn: RefineOn.Last),
            _ => new QueryOptions(Deadline, RetransmitPolicy.Gated, RefineOn: RefineOn.EachLayer),
        };

        var samples = new List<LatencySample>();
        foreach (var frame in frames)
        {
            var outcome = await device.Ask<QueryOutcome>(new AskQuestion(frame.Jpeg, Question, options), Deadline * 4, cancellationToken);
            samples.Add(outcome.Answered?.Answer is { } a
                ? new LatencySample(outcome.Elapsed.TotalMilliseconds, a.BytesGlobal + a.BytesLocal, AnswerScoring.ExactMatch(a.Text, [frame.Text]), a.BytesLocal, outcome.LocalUpload,
                    Degraded: a.Stage == AnswerStage.Degraded)
                : new LatencySample(outcome.Elapsed.TotalMilliseconds, 0, false, Failure: $"{outcome.Failed?.Reason}: {outcome.Failed?.Message}"));
            onQuery();
        }

        var edgeSystem = (ActorSystem)cluster.Edges[0].Services.GetService(typeof(ActorSystem))!;
        var estimate = await edgeSystem.ActorSelection(device.Path).Ask<LinkView>(GetLinkView.Instance, TimeSpan.FromSeconds(10), cancellationToken);
        return (samples, estimate);
    }

    private async Task<IReadOnlyList<LatencySample>> FullFrameAsync(ShapedLink link, IReadOnlyList<DemoFrame> frames, Action onQuery, CancellationToken cancellationToken)
    {
        var shaper = UplinkShaper.Create(link.Uplink)!;
        var evaluator = new DirectEvaluator(models.Direct, new EdgeSettings(), server, models.FullFrame);
        var samples = new List<LatencySample>();
        foreach (var frame in frames)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await shaper.WaitToSendAsync(frame.Jpeg.Length, cancellationToken);
            var pass = (await evaluator.FullFrameAsync(frame.Jpeg, frame.Width, frame.Height, Question, cancellationToken))!;
            samples.Add(new LatencySample(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, frame.Jpeg.Length,
                AnswerScoring.ExactMatch(pass.Answer ?? "", [frame.Text])));
            onQuery();
        }
        return samples;
    }
}
