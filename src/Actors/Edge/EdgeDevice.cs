using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Imaging;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.GlobalImage;
using CollabVlm.TwoStage.LocalImage;
using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// One camera. Keeps the full-resolution frame of every unanswered query (bounded by
/// <see cref="EdgeSettings.MaxPendingQueries"/>), sends the global image and the question to a
/// server, serves the server's region requests by streaming progressive layers of a crop of the
/// frame into the server's sink, and re-submits the same query to another server when its server
/// does not accept it in time, dies, or goes silent past the deadline. Replies one
/// <see cref="QueryOutcome"/>.
/// <para>
/// Its child <see cref="LinkEstimator"/> learns the uplink from every upload (the global image until
/// the server accepts it; the local image until the server's receipt); the link view sizes the global
/// image's quality and the local image's layers. An optional <see cref="IUplink"/> (tests, demos,
/// benchmarks) emulates a slow link on everything this device sends.
/// </para>
/// </summary>
public sealed class EdgeDevice : ReceiveActor, IWithTimers
{
    private sealed class Pending(QueryId id, SKBitmap frame, SubmitQuery submission, IActorRef asker) : IDisposable
    {
        private bool _done;

        public QueryId Id { get; } = id;
        public SKBitmap Frame { get; } = frame;
        public SubmitQuery Submission { get; set; } = submission;
        public IActorRef Asker { get; } = asker;
        public long Started { get; } = Stopwatch.GetTimestamp();
        public IActorRef? Coordinator { get; set; }

        /// <summary>When the current attempt's global image was handed to the uplink; 0 once its acceptance was timed.</summary>
        public long GlobalSentAt { get; set; }

        /// <summary>When the local image's first chunk was handed to the uplink; 0 when none is streaming.</summary>
        public long UploadStartedAt { get; set; }

        /// <summary>First chunk handed to the uplink → server's receipt of the whole local image.</summary>
        public TimeSpan? LocalUpload { get; set; }

        /// <summary>Encodings of this frame running on the thread pool: the frame may not be freed under them.</summary>
        public int Encoding { get; set; }

        public void Dispose()
        {
            _done = true;
            if (Encoding == 0) Frame.Dispose();
        }

        /// <summary>An encoding finished; frees the frame if the query ended meanwhile.</summary>
        public void EncodingDone()
        {
            Encoding--;
            if (_done && Encoding == 0) Frame.Dispose();
        }
    }

    private sealed record Resubmit(QueryId Id, string Why);
    private sealed record GlobalDelivered(QueryId Id, int Attempt);
    private sealed record LocalEncoded(Pending Query, RoiRequest Request, IActorRef Coordinator, EncodedLocalImage Image);
    private sealed record LocalEncodingFailed(Pending Query, RoiRequest Request, IActorRef Coordinator, string Reason);

    private readonly EdgeId _id;
    private readonly IActorRef _servers;
    private readonly EdgeSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly IUplink? _uplink;
    private readonly IActorRef _link;
    private readonly Dictionary<QueryId, Pending> _pending = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LinkView _linkView = LinkView.Unknown;

    public ITimerScheduler Timers { get; set; } = null!;

    public EdgeDevice(EdgeId id, IActorRef servers, EdgeSettings settings, IMaterializer materializer, IUplink? uplink, LinkEstimatorSettings link,
        CollabVlmMetrics? metrics)
    {
        _id = id;
        _servers = servers;
        _settings = settings;
        _materializer = materializer;
        _uplink = uplink;
        _link = Context.ActorOf(LinkEstimator.Props(link), "link");

        Receive<AskQuestion>(OnAsk);
        Receive<GlobalDelivered>(OnGlobalDelivered);
        Receive<QueryAccepted>(OnAccepted);
        Receive<RoiRequest>(OnRoiRequest);
        Receive<LocalEncoded>(OnLocalEncoded);
        Receive<LocalEncodingFailed>(f =>
        {
            f.Query.EncodingDone();
            Decline(f.Request, f.Coordinator, f.Reason);
        });
        Receive<LocalImageReceived>(OnLocalReceived);
        Receive<LinkView>(view =>
        {
            _linkView = view;
            metrics?.RecordLinkView(_id, view);
        });
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
            if (lost is not null) ResubmitSoon(lost, "its server stopped before answering");
        });
        // A crashed server's coordinators are reported Terminated only once the cluster downs it
        // (Cluster:DownUnreachableAfter, 20 s); re-submit as soon as its node is unreachable instead. If it only
        // paused, whichever answer arrives first is taken and the other is ignored.
        Receive<ClusterEvent.UnreachableMember>(u =>
        {
            foreach (var lost in _pending.Values.Where(p => Equals(p.Coordinator?.Path.Address, u.Member.Address)).ToList())
                ResubmitSoon(lost, $"its server {u.Member.Address} became unreachable");
        });
    }

    protected override void PreStart()
    {
        if (InCluster)
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
    }

    // Only in a cluster: unit tests run devices in plain actor systems.
    private static bool InCluster => Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider };

    private void ResubmitSoon(Pending lost, string why)
    {
        _log.Warning("query {0} lost its server: {1}; re-submitting in {2:0.#} s", lost.Id, why, _settings.RetryDelay.TotalSeconds);
        if (lost.Coordinator is not null) Context.Unwatch(lost.Coordinator);
        lost.Coordinator = null;
        // The answer may still be on its way; give it a moment before trying another server.
        Timers.StartSingleTimer(lost.Id, new Resubmit(lost.Id, why), _settings.RetryDelay);
    }

    /// <param name="uplink">The node's emulated uplink, or null for the real network.</param>
    /// <param name="link">Settings of this device's link estimator; defaults when null.</param>
    /// <param name="metrics">Where the device's link estimate is published; none when null.</param>
    public static Props Props(EdgeId id, IActorRef servers, EdgeSettings settings, IMaterializer materializer,
        IUplink? uplink = null, LinkEstimatorSettings? link = null, CollabVlmMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new EdgeDevice(id, servers, settings, materializer, uplink, link ?? new LinkEstimatorSettings(), metrics));

    protected override void PostStop()
    {
        if (InCluster) Cluster.Get(Context.System).Unsubscribe(Self);
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
            global = GlobalImageBudget.Make(frame, _linkView, _settings);
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
        var bytes = pending.Submission.Global.Jpeg.Length;
        pending.GlobalSentAt = Stopwatch.GetTimestamp();
        // The accept timeout starts now, so it must cover the upload itself on a slow link.
        var acceptWithin = _settings.AcceptTimeout + _linkView.TimeToDeliver(bytes);
        Timers.StartSingleTimer(pending.Id, new Resubmit(pending.Id, $"no server accepted it within {acceptWithin.TotalSeconds:0.#} s"), acceptWithin);
        if (_uplink is null)
        {
            _servers.Tell(pending.Submission);
            return;
        }
        var delivered = new GlobalDelivered(pending.Id, pending.Submission.Attempt);
        // A failed wait (it cannot be cancelled here) must not lose the query: send anyway.
        _uplink.WaitToSendAsync(bytes, CancellationToken.None).PipeTo(Self, success: () => delivered, failure: _ => delivered);
    }

    private void OnGlobalDelivered(GlobalDelivered delivered)
    {
        if (_pending.TryGetValue(delivered.Id, out var pending) && pending.Submission.Attempt == delivered.Attempt)
            _servers.Tell(pending.Submission);
    }

    private void OnAccepted(QueryAccepted accepted)
    {
        if (!_pending.TryGetValue(accepted.QueryId, out var pending)) return;
        if (pending.GlobalSentAt != 0)
        {
            Observe(pending.Submission.Global.Jpeg.Length, Stopwatch.GetElapsedTime(pending.GlobalSentAt));
            pending.GlobalSentAt = 0;
        }
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
        else if (request.Quality is < 1 or > 100 || request.MaxLongSide < 16 || request.MaxBytes < 1)
            problem = $"bad crop settings: quality {request.Quality}, max long side {request.MaxLongSide}, max bytes {request.MaxBytes}";

        if (problem is not null)
        {
            Decline(request, Sender, problem);
            return;
        }

        // Cropping and progressive encoding take tens of milliseconds: off the actor thread.
        var coordinator = Sender;
        var (frame, link, plan, query) = (pending!.Frame, _linkView, _settings.LayerPlan, pending);
        pending.Encoding++;
        Task.Run(() => LocalImageEncoder.Encode(frame, request.ToLocalImageRequest(), link, plan)).PipeTo(Self,
            success: image => new LocalEncoded(query, request, coordinator, image),
            failure: e => new LocalEncodingFailed(query, request, coordinator, $"could not encode the region: {e.GetBaseException().Message}"));
    }

    private void OnLocalEncoded(LocalEncoded encoded)
    {
        var pending = encoded.Query;
        pending.EncodingDone();
        if (!_pending.TryGetValue(pending.Id, out var current) || !ReferenceEquals(current, pending))
        {
            Decline(encoded.Request, encoded.Coordinator, $"query {pending.Id} ended while its region was being encoded");
            return;
        }
        var image = encoded.Image;
        encoded.Coordinator.Tell(new LocalImagePlan(pending.Id, image.Layers.Count, image.TotalBytes, image.Plan.DroppedBytes,
            Math.Max(image.Width, image.Height), image.Quality));
        var chunks = Source.From(LayerChunks.From(image.Layers));
        var shaped = _uplink is null ? chunks : chunks.Via(_uplink.Shape<LayerChunk>(c => c.Bytes.Length));
        pending.UploadStartedAt = Stopwatch.GetTimestamp();
        // Demand from the server paces the chunks (back-pressure through the SinkRef).
        shaped.RunWith(encoded.Request.Sink.Sink, _materializer);
    }

    /// <summary>The server's receipt of a local image: a complete upload is a clean sample of the link.</summary>
    private void OnLocalReceived(LocalImageReceived receipt)
    {
        if (!_pending.TryGetValue(receipt.QueryId, out var pending) || pending.UploadStartedAt == 0) return;
        if (receipt.Complete)
        {
            pending.LocalUpload = Stopwatch.GetElapsedTime(pending.UploadStartedAt);
            Observe(receipt.Bytes, pending.LocalUpload.Value);
        }
        pending.UploadStartedAt = 0;
    }

    private void Observe(long bytes, TimeSpan elapsed)
    {
        _link.Tell(new TransferObserved(bytes, elapsed));
        _link.Tell(GetLinkView.Instance);
    }

    private void Decline(RoiRequest request, IActorRef coordinator, string problem)
    {
        _log.Warning("declining region request for {0}: {1}", request.QueryId, problem);
        coordinator.Tell(new RoiDeclined(request.QueryId, problem));
        // Fail the sink too, so the server's stream ends now rather than at its subscription timeout.
        Source.Failed<LayerChunk>(new InvalidOperationException(problem)).RunWith(request.Sink.Sink, _materializer);
    }

    private void Complete(QueryId id, QueryAnswered? answered, QueryFailed? failed)
    {
        if (!_pending.Remove(id, out var pending)) return; // duplicate result: the first one won
        Timers.Cancel(id);
        if (pending.Coordinator is not null) Context.Unwatch(pending.Coordinator);
        pending.Asker.Tell(new QueryOutcome(id, answered, failed, Stopwatch.GetElapsedTime(pending.Started),
            pending.Submission.Attempt, pending.Submission.Global.Quality, pending.LocalUpload));
        pending.Dispose();
    }
}
