using Akka.Actor;
using Akka.Event;
using Akka.Streams;
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

    private static readonly TimeSpan BudgetRetryInterval = TimeSpan.FromMilliseconds(25);

    private readonly RetransmissionRequest _request;
    private readonly IActorRef _scheduler;
    private readonly ServerSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly LocalByteBudget _budget;
    private readonly LocalStage _stage;
    private readonly LocalStageClock _clock = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
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
        var left = _request.TransferDeadline - DateTime.UtcNow;
        StartTimer("local image", left > TimeSpan.Zero ? left : TimeSpan.Zero);
        // The first reservation runs as a message, not here: if opening the stream throws, PostStop still releases the bytes.
        Self.Tell(new RetryBudget());
    }

    protected override void PostStop()
    {
        _stream?.Abort(new OperationCanceledException("the query's local stage stopped"));
        _budget.Release(_reserved, _layers?.BytesReceived ?? 0);
    }

    private void ReservingBytes()
    {
        Receive<RetryBudget>(_ =>
        {
            if (TryOpenStream()) Timers.Cancel("budget");
            // Other queries hold the node's local-image bytes: wait (bounded by the transfer time) for some to free up.
            else if (!Timers.IsTimerActive("budget")) Timers.StartPeriodicTimer("budget", new RetryBudget(), BudgetRetryInterval);
        });
        Receive<StageTimeout>(_ => End(new LocalStageStep.Degrade($"this server's {_budget.Capacity} bytes for local images stayed taken by other queries until the transfer time ran out")));
    }

    /// <summary>Reserves bytes for the local image and opens its stream; false when the node's budget has too little free.</summary>
    private bool TryOpenStream()
    {
        _reserved = _budget.TryReserve(_settings.MaxLocalBytes, _settings.MinLocalBytes);
        if (_reserved == 0) return false;
        _layers = new LocalLayerCollector(_reserved);
        _clock.RegionRequested();
        var (sinkRef, killSwitch) = LocalImageSink.Open(Self, _materializer);
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
                _settings.LocalMaxLongSide, _settings.LocalJpegQuality, _reserved, ready.Sink, _request.Hint)));
        });
        Receive<SinkFailed>(f => End(new LocalStageStep.Degrade(f.Reason)));
        Receive<RoiDeclined>(d => d.QueryId == Id, d => Do(_stage.Declined(d.Reason)));
        Receive<LocalImagePlan>(p => p.QueryId == Id, p => _plan = p);
        Receive<LocalImageSink.Started>(_ => Sender.Tell(LocalImageSink.Ack));
        Receive<LayerChunk>(OnChunk);
        // Stopping the stream early ends it here first (EndStream), so an Ended that gets through means every layer arrived.
        Receive<LocalImageSink.Ended>(_ => EndStream(complete: true, problem: null));
        Receive<LocalImageSink.Failed>(f => EndStream(complete: false, problem: $"the local image stream failed: {Describe(f.Cause)}"));
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
        Receive<object>(m => m is LayerChunk or LocalImageSink.Started or LocalImageSink.Ended or LocalImageSink.Failed or SinkReady or SinkFailed or RoiDeclined or LocalImagePlan, _ => { });
    }

    private void ReceiveRefinedPasses()
    {
        Receive<Completed>(c => c.QueryId == Id, c =>
        {
            _clock.RefinedPassDone();
            Do(_stage.Refined(c.Output, UncertaintyScore.Score(c.Output.Tokens, _settings.Uncertainty, c.Output.VocabularySize)));
        });
        Receive<Failed>(f => f.QueryId == Id, f =>
        {
            _log.Info("query {0}: refined pass: {1}", Id, f.Message);
            Do(_stage.RefineFailed(f.Message));
        });
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
        Sender.Tell(LocalImageSink.Ack);
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
                var input = new ModelInput(_request.Query.Question, _request.Query.Global.Jpeg, _layers!.DecodableBytes(),
                    _plan?.CroppedOr(_request.Region) ?? _request.Region, _plan?.UsableTiles);
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
