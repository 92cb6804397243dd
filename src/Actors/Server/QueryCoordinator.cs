using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Inference;
using CollabVlm.Messages;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// One query's two-stage state machine: global pass → gate → (RoI request → local image stream →
/// refined pass). Every state has a timeout. It always ends with exactly one
/// <see cref="QueryAnswered"/> or <see cref="QueryFailed"/>, sent to every edge that submitted the
/// query and to the gateway (its parent) in a <see cref="CoordinatorFinished"/>, then stops.
/// When the local stage fails the global answer is returned, marked <see cref="AnswerStage.Degraded"/>.
/// </summary>
public sealed class QueryCoordinator : ReceiveActor, IWithTimers
{
    private sealed record StageTimeout(string Stage);
    private sealed record SinkReady(ISinkRef<LayerChunk> Sink);
    private sealed record LocalReceived(LocalImageBuffer Buffer);
    private sealed record LocalStreamFailed(string Reason);

    private readonly SubmitQuery _query;
    private readonly IActorRef _scheduler;
    private readonly ServerSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly HashSet<IActorRef> _askers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DateTime _deadline;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly double _threshold;

    private ModelOutput? _global;
    private double _globalUncertainty;
    private double _globalInferenceMs;
    private NormalizedBox? _roi;
    private long _roiRequestedAt;
    private long _refinedStartedAt;
    private UniqueKillSwitch? _localStream;

    public ITimerScheduler Timers { get; set; } = null!;

    public QueryCoordinator(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer)
    {
        _query = query;
        _scheduler = scheduler;
        _settings = settings;
        _materializer = materializer;
        _askers.Add(edge);
        _deadline = DateTime.UtcNow + query.Options.Deadline;
        _threshold = query.Options.Threshold ?? settings.Threshold;
        AwaitingGlobal();
    }

    public static Props Props(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer) =>
        Akka.Actor.Props.Create(() => new QueryCoordinator(query, edge, scheduler, settings, materializer));

    protected override void PreStart()
    {
        foreach (var asker in _askers) asker.Tell(new QueryAccepted(_query.QueryId));
        _scheduler.Tell(new Run(_query.QueryId, new ModelInput(_query.Question, _query.Global.Jpeg), _deadline));
        StartTimer("global inference", Min(_settings.GlobalInferenceTimeout, Remaining()));
    }

    protected override void PostStop() => _localStream?.Abort(new OperationCanceledException("query coordinator stopped"));

    private void AwaitingGlobal()
    {
        ReceiveDuplicates();
        Receive<Completed>(c => c.QueryId == _query.QueryId, OnGlobalAnswer);
        Receive<Failed>(f => f.QueryId == _query.QueryId, f => Fail(f.Reason, $"global pass: {f.Message}"));
        Receive<StageTimeout>(t => Fail(FailureReason.Timeout, $"{t.Stage} took longer than its timeout"));
    }

    private void OnGlobalAnswer(Completed completed)
    {
        _global = completed.Output;
        _globalInferenceMs = ElapsedMs(_started);
        _globalUncertainty = UncertaintyScore.Score(_global.Tokens, _settings.Uncertainty, _global.VocabularySize);
        if (!RetransmitDecision.ShouldRetransmit(_query.Options.Policy, _globalUncertainty, _threshold))
        {
            Answer(AnswerStage.Global, _global, _globalUncertainty, bytesLocal: 0, layers: 0, degradedReason: null);
            return;
        }

        _roi = RoiSelector.Select(_global.Relevance,
            RoiSelector.BaseFraction(_settings.LocalBasePixels, _query.Global.OriginalWidth, _query.Global.OriginalHeight));
        _roiRequestedAt = Stopwatch.GetTimestamp();

        var ((sinkRef, killSwitch), received) = StreamRefs.SinkRef<LayerChunk>()
            .ViaMaterialized(KillSwitches.Single<LayerChunk>(), Keep.Both)
            .ToMaterialized(Sink.Aggregate<LayerChunk, LocalImageBuffer>(new LocalImageBuffer(_settings.MaxLocalBytes), (b, c) => b.Add(c)), Keep.Both)
            .Run(_materializer);
        _localStream = killSwitch;
        sinkRef.PipeTo(Self, success: s => new SinkReady(s), failure: e => new LocalStreamFailed($"could not open the local stream: {e.Message}"));
        received.PipeTo(Self, success: b => new LocalReceived(b), failure: e => new LocalStreamFailed(Describe(e)));

        Timers.Cancel("stage");
        StartTimer("local image", Min(_settings.LocalStageTimeout, Remaining()));
        Become(AwaitingLocal);
    }

    private void AwaitingLocal()
    {
        ReceiveDuplicates();
        Receive<SinkReady>(ready =>
        {
            var request = new RoiRequest(_query.QueryId, _roi!, Remaining(), _settings.LocalMaxLongSide, _settings.LocalJpegQuality, ready.Sink);
            foreach (var asker in _askers) asker.Tell(request);
        });
        Receive<RoiDeclined>(d => d.QueryId == _query.QueryId, d => Degrade($"the edge declined the region request: {d.Reason}"));
        Receive<LocalStreamFailed>(f => Degrade($"the local image stream failed: {f.Reason}"));
        Receive<StageTimeout>(t => Degrade($"the {t.Stage} did not arrive in time"));
        Receive<LocalReceived>(r =>
        {
            if (r.Buffer.Length == 0)
            {
                Degrade("the edge closed the local stream without sending an image");
                return;
            }
            _localStream = null;
            _refinedStartedAt = Stopwatch.GetTimestamp();
            _scheduler.Tell(new Run(_query.QueryId, new ModelInput(_query.Question, _query.Global.Jpeg, r.Buffer.ToArray(), _roi), _deadline.AddSeconds(_settings.RefinedInferenceTimeout.TotalSeconds)));
            Timers.Cancel("stage");
            StartTimer("refined inference", _settings.RefinedInferenceTimeout);
            Become(() => AwaitingRefined(r.Buffer));
        });
    }

    private void AwaitingRefined(LocalImageBuffer local)
    {
        ReceiveDuplicates();
        Receive<Completed>(c => c.QueryId == _query.QueryId, c =>
        {
            var uncertainty = UncertaintyScore.Score(c.Output.Tokens, _settings.Uncertainty, c.Output.VocabularySize);
            Answer(AnswerStage.Refined, c.Output, uncertainty, local.Length, local.Layers, null, local);
        });
        Receive<Failed>(f => f.QueryId == _query.QueryId, f => Degrade($"refined pass: {f.Message}", local));
        Receive<StageTimeout>(t => Degrade($"the {t.Stage} took longer than its timeout", local));
    }

    /// <summary>A re-submission of this query reached the gateway: accept it and answer it too.</summary>
    private void ReceiveDuplicates() => Receive<SubmitQuery>(q =>
    {
        _askers.Add(Sender);
        Sender.Tell(new QueryAccepted(_query.QueryId));
    });

    private void Degrade(string reason, LocalImageBuffer? local = null)
    {
        _log.Info("query {0} degraded: {1}", _query.QueryId, reason);
        Answer(AnswerStage.Degraded, _global!, _globalUncertainty, local?.Length ?? 0, 0, reason, local);
    }

    private void Answer(AnswerStage stage, ModelOutput output, double uncertainty, long bytesLocal, int layers, string? degradedReason, LocalImageBuffer? local = null)
    {
        var firstChunkMs = local is { FirstChunkTimestamp: > 0 } ? Ms(_roiRequestedAt, local.FirstChunkTimestamp) : 0;
        var transferMs = _refinedStartedAt > 0 && local is { FirstChunkTimestamp: > 0 } ? Ms(local.FirstChunkTimestamp, _refinedStartedAt) : 0;
        var refinedMs = stage == AnswerStage.Refined ? ElapsedMs(_refinedStartedAt) : 0;
        var timings = new StageTimings(_globalInferenceMs, firstChunkMs, transferMs, refinedMs, ElapsedMs(_started));
        var answer = new Answer(output.Answer, stage, uncertainty, _globalUncertainty, _threshold,
            _query.Global.Jpeg.Length, bytesLocal, layers, _roi, degradedReason, timings);
        Finish(new QueryAnswered(_query.QueryId, answer));
    }

    private void Fail(FailureReason reason, string message) => Finish(new QueryFailed(_query.QueryId, reason, message));

    private void Finish(IQueryMessage result)
    {
        foreach (var asker in _askers) asker.Tell(result);
        Context.Parent.Tell(new CoordinatorFinished(_query.QueryId, result));
        Become(() => { }); // exactly one result: ignore everything from now on
        Context.Stop(Self);
    }

    private void StartTimer(string stage, TimeSpan after) => Timers.StartSingleTimer("stage", new StageTimeout(stage), after);

    private TimeSpan Remaining() => _deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static double ElapsedMs(long since) => Stopwatch.GetElapsedTime(since).TotalMilliseconds;

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static string Describe(Exception e) => e is AggregateException a ? Describe(a.GetBaseException()) : $"{e.GetType().Name}: {e.Message}";
}
