using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Refinement;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// One query's selective retransmission, a child of its <see cref="QueryCoordinator"/>:
/// <see cref="ReservingBytes"/> from the node's budget → <see cref="Streaming"/> (the edge pushes
/// progressive layers into a SinkRef; refined passes may run on complete layers) →
/// <see cref="RefiningLast"/> (the stream is over; the last pass decides). The decisions are
/// <see cref="LocalStage"/>'s. Ends with one <see cref="RetransmissionOver"/> to the coordinator and
/// stops; every state has a timeout.
/// </summary>
public sealed class Retransmission : ReceiveActor, IWithTimers
{
    private sealed record StageTimeout(string Stage);
    private sealed record RetryBudget;
    private sealed record SinkReady(ISinkRef<LayerChunk> Sink);
    private sealed record SinkFailed(string Reason);
    private sealed record StreamStarted;
    private sealed record StreamAck;
    private sealed record StreamEnded;
    private sealed record StreamFailed(Exception Cause);

    private static readonly TimeSpan BudgetRetryInterval = TimeSpan.FromMilliseconds(25);
    private static readonly StreamAck Ack = new();

    private readonly RetransmissionRequest _request;
    private readonly IActorRef _scheduler;
    private readonly ServerSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly LocalByteBudget _budget;
    private readonly LocalStage _stage;
    private readonly LocalStageClock _clock = new();
    private UniqueKillSwitch? _stream;
    private LocalLayerCollector? _layers;
    private LocalImagePlan? _plan;
    private long _reserved;

    public ITimerScheduler Timers { get; set; } = null!;

    public Retransmission(RetransmissionRequest request, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget)
    {
        (_request, _scheduler, _settings, _materializer, _budget) = (request, scheduler, settings, materializer, budget);
        _stage = new LocalStage(request.Threshold, request.RefineOn);
        ReservingBytes();
    }

    public static Props Props(RetransmissionRequest request, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget) =>
        Akka.Actor.Props.Create(() => new Retransmission(request, scheduler, settings, materializer, budget));

    private QueryId Id => _request.Query.QueryId;

    protected override void PreStart()
    {
        StartTimer("local image", _request.TransferDeadline - DateTime.UtcNow);
        if (TryOpenStream()) return;
        // Other queries hold the node's local-image bytes: wait (bounded by the transfer time) for some to free up.
        Timers.StartPeriodicTimer("budget", new RetryBudget(), BudgetRetryInterval);
    }

    protected override void PostStop()
    {
        _stream?.Abort(new OperationCanceledException("the query's local stage stopped"));
        _budget.Release(_reserved, _layers?.BytesReceived ?? 0);
    }

    private void ReservingBytes()
    {
        Receive<RetryBudget>(_ => { if (TryOpenStream()) Timers.Cancel("budget"); });
        Receive<StageTimeout>(_ => End(new LocalStageStep.Degrade($"this server's {_budget.Capacity} bytes for local images stayed taken by other queries until the transfer time ran out")));
    }

    /// <summary>Reserves bytes for the local image and opens its stream; false when the node's budget has too little free.</summary>
    private bool TryOpenStream()
    {
        _reserved = _budget.TryReserve(_settings.MaxLocalBytes, _settings.MinLocalBytes);
        if (_reserved == 0) return false;
        _layers = new LocalLayerCollector(_reserved);
        _clock.RegionRequested();
        // Each chunk reaches this actor as a message and the next is demanded only when it is
        // acknowledged: back-pressure from here to the edge, with the SinkRef's small buffer between.
        var (sinkRef, killSwitch) = StreamRefs.SinkRef<LayerChunk>()
            .ViaMaterialized(KillSwitches.Single<LayerChunk>(), Keep.Both)
            .To(Sink.ActorRefWithAck<LayerChunk>(Self, new StreamStarted(), Ack, new StreamEnded(), e => new StreamFailed(e)))
            .Run(_materializer);
        _stream = killSwitch;
        sinkRef.PipeTo(Self, success: s => new SinkReady(s), failure: e => new SinkFailed($"could not open the local stream: {Describe(e)}"));
        Become(Streaming);
        return true;
    }

    private void Streaming()
    {
        Receive<SinkReady>(ready =>
        {
            var left = _request.TransferDeadline - DateTime.UtcNow;
            Context.Parent.Tell(new ToAskers(new RoiRequest(Id, _request.Region, left > TimeSpan.Zero ? left : TimeSpan.Zero,
                _settings.LocalMaxLongSide, _settings.LocalJpegQuality, _reserved, ready.Sink)));
        });
        Receive<SinkFailed>(f => End(new LocalStageStep.Degrade(f.Reason)));
        Receive<RoiDeclined>(d => d.QueryId == Id, d => Do(_stage.Declined(d.Reason)));
        Receive<LocalImagePlan>(p => p.QueryId == Id, p => _plan = p);
        Receive<StreamStarted>(_ => Sender.Tell(Ack));
        Receive<LayerChunk>(OnChunk);
        // Stopping the stream early ends it here first (EndStream), so a StreamEnded that gets through means every layer arrived.
        Receive<StreamEnded>(_ => EndStream(complete: true, problem: null));
        Receive<StreamFailed>(f => EndStream(complete: false, problem: $"the local image stream failed: {Describe(f.Cause)}"));
        ReceiveRefinedPasses();
        Receive<StageTimeout>(t =>
        {
            // The transfer's time is up: refine on the complete layers there are.
            _stream?.Shutdown();
            EndStream(complete: false, problem: _stage.CutAtDeadline(t.Stage));
        });
    }

    private void RefiningLast()
    {
        ReceiveRefinedPasses();
        Receive<StageTimeout>(t => Do(_stage.TimedOut(t.Stage)));
        // Late elements of a stream that was cut, and replies that no longer matter.
        Receive<object>(m => m is LayerChunk or StreamEnded or StreamFailed or SinkReady or RoiDeclined or LocalImagePlan, _ => { });
    }

    private void ReceiveRefinedPasses()
    {
        Receive<Completed>(c => c.QueryId == Id, c =>
        {
            _clock.RefinedPassDone();
            Do(_stage.Refined(c.Output, UncertaintyScore.Score(c.Output.Tokens, _settings.Uncertainty, c.Output.VocabularySize)));
        });
        Receive<Failed>(f => f.QueryId == Id, f => Do(_stage.RefineFailed(f.Message)));
    }

    private void OnChunk(LayerChunk chunk)
    {
        bool layerDone;
        try { layerDone = _layers!.Add(chunk); }
        catch (InvalidDataException e)
        {
            _stream?.Abort(e);
            EndStream(complete: false, problem: $"the edge broke the local stream: {e.Message}");
            return;
        }
        _budget.AddHeld(chunk.Bytes.Length);
        Sender.Tell(Ack);
        if (layerDone) Do(_stage.LayerArrived(_layers.Layers));
    }

    private void EndStream(bool complete, string? problem)
    {
        if (_stage.StreamOver) return;
        _stream = null;
        _clock.StreamEnded();
        Context.Parent.Tell(new ToAskers(new LocalImageReceived(Id, _layers!.BytesReceived, _layers.Layers, complete && problem is null)));
        Become(RefiningLast);
        StartTimer("refined inference", _settings.RefinedInferenceTimeout);
        Do(_stage.StreamEnded(problem));
    }

    /// <summary>Carries out what the local stage decided.</summary>
    private void Do(LocalStageStep step)
    {
        switch (step)
        {
            case LocalStageStep.Refine:
                _clock.RefinedPassStarted();
                var input = new ModelInput(_request.Query.Question, _request.Query.Global.Jpeg, _layers!.DecodableBytes(), _request.Region);
                _scheduler.Tell(new Run(Id, input, _request.Deadline + _settings.RefinedInferenceTimeout));
                break;
            case LocalStageStep.StopStream: // sure on a prefix: the layers not yet sent are saved
                _stream?.Shutdown();
                EndStream(complete: false, problem: null);
                break;
            case LocalStageStep.Answer or LocalStageStep.Degrade:
                End(step);
                break;
        }
    }

    private void End(LocalStageStep outcome)
    {
        _stream?.Shutdown();
        _stream = null;
        Context.Parent.Tell(new RetransmissionOver(outcome, _layers?.BytesReceived ?? 0, _plan, _clock.Timings(_layers?.FirstChunkTimestamp ?? 0)));
        Become(() => { }); // one outcome: ignore everything from now on
        Context.Stop(Self);
    }

    private void StartTimer(string stage, TimeSpan after) => Timers.StartSingleTimer("stage", new StageTimeout(stage), after);

    private static string Describe(Exception e) => e is AggregateException a ? Describe(a.GetBaseException()) : $"{e.GetType().Name}: {e.Message}";
}
