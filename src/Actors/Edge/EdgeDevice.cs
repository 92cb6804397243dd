using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Imaging;
using CollabVlm.Messages;
using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// One camera. Keeps the full-resolution frame of every unanswered query (bounded by
/// <see cref="EdgeSettings.MaxPendingQueries"/>), sends the global image and the question to a
/// server, serves the server's region requests by streaming a crop of the frame into the
/// server's sink, and re-submits the same query to another server when its server does not
/// accept it in time, dies, or goes silent past the deadline. Replies one <see cref="QueryOutcome"/>.
/// </summary>
public sealed class EdgeDevice : ReceiveActor, IWithTimers
{
    private sealed class Pending(QueryId id, SKBitmap frame, SubmitQuery submission, IActorRef asker) : IDisposable
    {
        public QueryId Id { get; } = id;
        public SKBitmap Frame { get; } = frame;
        public SubmitQuery Submission { get; set; } = submission;
        public IActorRef Asker { get; } = asker;
        public long Started { get; } = Stopwatch.GetTimestamp();
        public IActorRef? Coordinator { get; set; }
        public void Dispose() => Frame.Dispose();
    }

    private sealed record Resubmit(QueryId Id, string Why);

    private readonly EdgeId _id;
    private readonly IActorRef _servers;
    private readonly EdgeSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly Dictionary<QueryId, Pending> _pending = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    public EdgeDevice(EdgeId id, IActorRef servers, EdgeSettings settings, IMaterializer materializer)
    {
        _id = id;
        _servers = servers;
        _settings = settings;
        _materializer = materializer;

        Receive<AskQuestion>(OnAsk);
        Receive<QueryAccepted>(OnAccepted);
        Receive<RoiRequest>(OnRoiRequest);
        Receive<QueryAnswered>(a => Complete(a.QueryId, a, null));
        Receive<QueryFailed>(f =>
        {
            // A busy server is no verdict on the query: try the next server while attempts last.
            if (f.Reason == FailureReason.Busy && _pending.TryGetValue(f.QueryId, out var p) && p.Submission.Attempt < _settings.MaxAttempts)
                Timers.StartSingleTimer(f.QueryId, new Resubmit(f.QueryId, $"server busy: {f.Message}"), _settings.RetryDelay);
            else
                Complete(f.QueryId, null, f);
        });
        Receive<Resubmit>(OnResubmit);
        Receive<Terminated>(t =>
        {
            var lost = _pending.Values.FirstOrDefault(p => Equals(p.Coordinator, t.ActorRef));
            if (lost is null) return;
            // The answer may still be on its way; give it a moment before trying another server.
            lost.Coordinator = null;
            Timers.StartSingleTimer(lost.Id, new Resubmit(lost.Id, "its server stopped before answering"), _settings.RetryDelay);
        });
    }

    public static Props Props(EdgeId id, IActorRef servers, EdgeSettings settings, IMaterializer materializer) =>
        Akka.Actor.Props.Create(() => new EdgeDevice(id, servers, settings, materializer));

    protected override void PostStop()
    {
        foreach (var p in _pending.Values) p.Dispose();
        _pending.Clear();
    }

    private void OnAsk(AskQuestion ask)
    {
        var id = ask.QueryId ?? QueryId.New();
        var options = ask.Options ?? QueryOptions.Default with { Deadline = _settings.DefaultDeadline };
        QueryOutcome Refuse(FailureReason reason, string message) =>
            new(id, null, new QueryFailed(id, reason, message), TimeSpan.Zero, 0, 0);

        if (string.IsNullOrWhiteSpace(ask.Question)) { Sender.Tell(Refuse(FailureReason.InvalidInput, "the question is empty")); return; }
        if (ask.Question.Length > _settings.MaxQuestionLength)
        {
            Sender.Tell(Refuse(FailureReason.InvalidInput, $"the question has {ask.Question.Length} characters; the limit is {_settings.MaxQuestionLength}"));
            return;
        }
        if (_pending.ContainsKey(id)) { Sender.Tell(Refuse(FailureReason.InvalidInput, $"query {id} is already pending on this device")); return; }
        if (_pending.Count >= _settings.MaxPendingQueries)
        {
            Sender.Tell(Refuse(FailureReason.Busy, $"edge device {_id} holds {_pending.Count} unanswered queries (limit {_settings.MaxPendingQueries})"));
            return;
        }

        SKBitmap frame;
        EncodedImage global;
        try
        {
            frame = SafeImageDecoder.Decode(ask.Frame, new ImageLimits(_settings.MaxImagePixels));
        }
        catch (ImageDecodeException e)
        {
            Sender.Tell(Refuse(FailureReason.InvalidImage, $"the frame is unusable: {e.Message}"));
            return;
        }
        try
        {
            global = GlobalImageMaker.MakeWithin(frame, _settings.GlobalLongSide, _settings.GlobalJpegQuality, _settings.MaxGlobalBytes);
        }
        catch (InvalidOperationException e)
        {
            frame.Dispose();
            Sender.Tell(Refuse(FailureReason.InvalidImage, e.Message));
            return;
        }

        var submission = new SubmitQuery(id, _id, ask.Question,
            new GlobalImage(global.Bytes, global.Width, global.Height, global.Quality, frame.Width, frame.Height), options);
        var pending = new Pending(id, frame, submission, Sender);
        _pending[id] = pending;
        Submit(pending);
    }

    private void Submit(Pending pending)
    {
        _servers.Tell(pending.Submission);
        Timers.StartSingleTimer(pending.Id, new Resubmit(pending.Id, $"no server accepted it within {_settings.AcceptTimeout.TotalSeconds:0.#} s"), _settings.AcceptTimeout);
    }

    private void OnAccepted(QueryAccepted accepted)
    {
        if (!_pending.TryGetValue(accepted.QueryId, out var pending)) return;
        if (pending.Coordinator is not null && !Equals(pending.Coordinator, Sender)) Context.Unwatch(pending.Coordinator);
        pending.Coordinator = Sender;
        Context.Watch(Sender);
        var silentAfter = pending.Submission.Options.Deadline + _settings.AnswerGrace;
        Timers.StartSingleTimer(pending.Id, new Resubmit(pending.Id, $"its server was silent for {silentAfter.TotalSeconds:0.#} s"), silentAfter);
    }

    private void OnResubmit(Resubmit resubmit)
    {
        if (!_pending.TryGetValue(resubmit.Id, out var pending)) return;
        var attempt = pending.Submission.Attempt;
        if (attempt >= _settings.MaxAttempts)
        {
            Complete(pending.Id, null, new QueryFailed(pending.Id, FailureReason.ServerUnavailable,
                $"no answer after {attempt} submission(s); last: {resubmit.Why}"));
            return;
        }
        _log.Info("re-submitting query {0} (attempt {1}): {2}", pending.Id, attempt + 1, resubmit.Why);
        if (pending.Coordinator is not null) Context.Unwatch(pending.Coordinator);
        pending.Coordinator = null;
        var left = pending.Submission.Options.Deadline - Stopwatch.GetElapsedTime(pending.Started);
        pending.Submission = pending.Submission with
        {
            Attempt = attempt + 1,
            Options = pending.Submission.Options with { Deadline = left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1) },
        };
        Submit(pending);
    }

    private void OnRoiRequest(RoiRequest request)
    {
        string? problem = null;
        if (!_pending.TryGetValue(request.QueryId, out var pending))
            problem = $"edge device {_id} holds no frame for query {request.QueryId} (unknown, or already answered)";
        else if (request.Box.Validate() is { } badBox)
            problem = badBox;
        else if (request.Quality is < 1 or > 100 || request.MaxLongSide < 16)
            problem = $"bad crop settings: quality {request.Quality}, max long side {request.MaxLongSide}";

        if (problem is not null)
        {
            _log.Warning("declining region request for {0}: {1}", request.QueryId, problem);
            Sender.Tell(new RoiDeclined(request.QueryId, problem));
            // Fail the sink too, so the server's stream ends now rather than at its subscription timeout.
            Source.Failed<LayerChunk>(new InvalidOperationException(problem)).RunWith(request.Sink.Sink, _materializer);
            return;
        }

        var crop = FrameCropper.CropToJpeg(pending!.Frame, request.Box, request.MaxLongSide, request.Quality);
        var chunks = ByteChunks.Split(crop.Bytes, LayerChunk.MaxBytes);
        // One layer in this version: the whole JPEG. Demand from the server paces the chunks.
        Source.From(chunks.Select((bytes, i) => new LayerChunk(0, i == chunks.Count - 1, bytes)))
            .RunWith(request.Sink.Sink, _materializer);
    }

    private void Complete(QueryId id, QueryAnswered? answered, QueryFailed? failed)
    {
        if (!_pending.Remove(id, out var pending)) return; // duplicate result: the first one won
        Timers.Cancel(id);
        if (pending.Coordinator is not null) Context.Unwatch(pending.Coordinator);
        pending.Asker.Tell(new QueryOutcome(id, answered, failed, Stopwatch.GetElapsedTime(pending.Started),
            pending.Submission.Attempt, pending.Submission.Global.Quality));
        pending.Dispose();
    }
}
