using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// One question of an <see cref="EdgeDevice"/>, from its submission to its one <see cref="QueryOutcome"/>. Owns the
/// full-resolution frame; submits the global image, and again to the next server when its server does not accept
/// in time, dies, is busy or goes silent past the deadline; serves region requests by streaming progressive layers
/// of a crop into the server's sink, snapped onto text its <see cref="ProposalScan"/> child found in the frame when
/// the device proposes regions; reports both uploads to its device, which learns the link from them. States:
/// <see cref="Submitting"/> (again on every re-submission) → <see cref="Accepted"/> → <see cref="ServingRegion"/> → <see cref="Done"/>.
/// </summary>
internal sealed class EdgeQuery : ReceiveActor, IWithTimers
{
    private sealed record Resubmit(string Why);
    private sealed record GlobalDelivered(int Attempt);

    /// <summary>The one timer of the current attempt: accept timeout, silence timeout or retry delay.</summary>
    private const string AttemptTimer = "attempt";

    private readonly SharedFrame _frame;
    private readonly Submissions _submissions;
    private readonly IActorRef _asker;
    private readonly DeviceResources _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly UploadClock _uploads = new();
    private readonly RegionUploads _regions;
    private LinkView _link;
    private IActorRef? _coordinator;
    private IActorRef? _scan;
    private ProposalSet? _scanned;

    public ITimerScheduler Timers { get; set; } = null!;

    public EdgeQuery(SKBitmap frame, SubmitQuery submission, long askedAt, IActorRef asker, LinkView link, DeviceResources device)
    {
        (_frame, _asker, _link, _device) = (new SharedFrame(frame), asker, link, device);
        _submissions = new Submissions(submission, askedAt, device.Settings);
        _regions = new RegionUploads(Self, device, _log);
        Submitting();
    }

    private QueryId Id => _submissions.Current.QueryId;

    /// <param name="frame">Owned by the query from here on; freed when it ends.</param>
    /// <param name="askedAt">Stopwatch timestamp of the ask.</param>
    /// <param name="link">The device's link view now: the accept timeout allows for the upload over it.</param>
    public static Props Props(SKBitmap frame, SubmitQuery submission, long askedAt, IActorRef asker, LinkView link, DeviceResources device) =>
        Akka.Actor.Props.Create(() => new EdgeQuery(frame, submission, askedAt, asker, link, device));

    protected override void PreStart()
    {
        Submit();
        // It runs while the global image travels and the server's global pass runs.
        if (_device.ProposerFor(_submissions.Current.Options, _submissions.Current.Question) is { } proposer) _scan = Context.ActorOf(ProposalScan.Props(_frame, proposer, _device.Settings, _submissions.Current.Question), "scan");
    }

    protected override void PostStop()
    {
        // Safe with encodings still running (they read their own copy of the region, RegionUploads); a scan still
        // reading a tile holds the frame itself, and the last holder frees it.
        _frame.Release();
        _regions.DeclineEncoding($"query {Id} ended while its region was being encoded");
    }

    /// <summary>Waiting for a server to take the global image.</summary>
    private void Submitting()
    {
        Receive<QueryAccepted>(accepted => { Accept(accepted); Become(Accepted); });
        InFlight();
    }

    /// <summary>A server's coordinator holds the query: it answers from the global image or asks for a region.</summary>
    private void Accepted()
    {
        Receive<ServeRegion>(region => { if (Serve(region)) Become(ServingRegion); });
        InFlight();
    }

    /// <summary>Encoding the region, then streaming its layers until the server's receipt; the answer follows.</summary>
    private void ServingRegion() => InFlight();

    /// <summary>The outcome is out. The device stops this actor with a PoisonPill once it has freed the id, so
    /// region requests it forwarded before that are still declined here rather than lost.</summary>
    private void Done()
    {
        var noFrame = $"edge device {_submissions.Current.EdgeId} holds no frame for query {Id} (unknown, or already answered)";
        // Region work is declined; duplicate results, late acceptances and receipts are dropped: the first result won.
        ReceiveAny(message => _regions.DeclineAfterEnd(message, Sender, _link, noFrame));
    }

    /// <summary>What every state before the outcome handles; region work may come from any server that got the query.</summary>
    private void InFlight()
    {
        Receive<GlobalDelivered>(d => { if (d.Attempt == _submissions.Current.Attempt) _device.Servers.Tell(_submissions.Current, Context.Parent); });
        Receive<QueryAccepted>(Accept);
        // Straight from a server: through the device, which attaches its newest link view.
        Receive<RoiRequest>(request => Context.Parent.Forward(request));
        Receive<ServeRegion>(region => Serve(region));
        Receive<ProposalScan.Snapped>(snapped => { _scanned = snapped.Scan; _regions.Start(_frame.Bitmap, snapped.Region); });
        Receive<RegionUploads.Encoded>(encoded => { _uploads.LocalStarted(); _regions.Stream(encoded); });
        Receive<RegionUploads.EncodingFailed>(failed => _regions.Decline(failed.Region, failed.Reason));
        Receive<LocalImageReceived>(receipt => { if (_uploads.LocalReceived(receipt) is { } upload) Context.Parent.Tell(upload); });
        Receive<QueryAnswered>(answered => Finish(answered, null));
        Receive<QueryFailed>(failed =>
        {
            // A busy or leaving server is no verdict on the query: another server after a back-off, while the deadline allows.
            if (_submissions.AfterRefusal(failed) is { } delay)
                Timers.StartSingleTimer(AttemptTimer, new Resubmit($"server refused ({failed.Reason}): {failed.Message}"), delay);
            else
                Finish(null, _submissions.Final(failed));
        });
        Receive<Resubmit>(OnResubmit);
        Receive<Terminated>(t => { if (Equals(t.ActorRef, _coordinator)) ResubmitSoon("its server stopped before answering"); });
        // A crashed server's coordinator is reported Terminated only once the cluster downs its node (Cluster:DownUnreachableAfter,
        // 20 s): unreachable is enough to try another. If it only paused, the first answer to arrive is taken, the other ignored.
        Receive<ClusterEvent.UnreachableMember>(u =>
        {
            if (Equals(_coordinator?.Path.Address, u.Member.Address)) ResubmitSoon($"its server {u.Member.Address} became unreachable");
        });
    }

    /// <returns>Whether the region is on its way (false: declined). With a scan, it goes there first to be snapped.</returns>
    private bool Serve(ServeRegion region)
    {
        _link = region.Link;
        if (_scan is null) return _regions.Start(_frame.Bitmap, region);
        _scan.Tell(region);
        return true;
    }

    // Sent on the device's behalf: servers answer the device, which outlives this query and declines a late region
    // request at once (a stopped query would leave that server waiting out its transfer time).
    private void Submit()
    {
        var submission = _submissions.Current;
        _uploads.GlobalSent();
        var acceptWithin = _submissions.AcceptWithin(_link);
        Timers.StartSingleTimer(AttemptTimer, new Resubmit($"no server accepted it within {acceptWithin.TotalSeconds:0.#} s"), acceptWithin);
        Become(Submitting);
        if (_device.Uplink is null) { _device.Servers.Tell(submission, Context.Parent); return; }
        var delivered = new GlobalDelivered(submission.Attempt);
        // A failed wait (it cannot be cancelled here) must not lose the query: send anyway.
        _device.Uplink.WaitToSendAsync(submission.Global.Jpeg.Length, CancellationToken.None).PipeTo(Self, success: () => delivered, failure: _ => delivered);
    }

    private void Accept(QueryAccepted accepted)
    {
        if (_uploads.GlobalAccepted(_submissions.Current.Global.Jpeg.Length) is { } upload) Context.Parent.Tell(upload);
        if (!Equals(_coordinator, Sender)) ForgetCoordinator();
        _coordinator = Sender;
        Context.Watch(Sender);
        var silentAfter = _submissions.SilentAfter;
        Timers.StartSingleTimer(AttemptTimer, new Resubmit($"its server was silent for {silentAfter.TotalSeconds:0.#} s"), silentAfter);
    }

    private void ResubmitSoon(string why)
    {
        _log.Warning("query {0} lost its server: {1}; re-submitting in {2:0.#} s", Id, why, _device.Settings.RetryDelay.TotalSeconds);
        ForgetCoordinator();
        // The answer may still be on its way; give it a moment before trying another server.
        Timers.StartSingleTimer(AttemptTimer, new Resubmit(why), _device.Settings.RetryDelay);
    }

    private void OnResubmit(Resubmit resubmit)
    {
        if (_submissions.GiveUp(resubmit.Why) is { } failed) { Finish(null, failed); return; }
        _log.Info("re-submitting query {0} (attempt {1}): {2}", Id, _submissions.Current.Attempt + 1, resubmit.Why);
        ForgetCoordinator();
        _submissions.Next();
        Submit();
    }

    private void ForgetCoordinator()
    {
        if (_coordinator is not null) Context.Unwatch(_coordinator);
        _coordinator = null;
    }

    private void Finish(QueryAnswered? answered, QueryFailed? failed)
    {
        Timers.CancelAll();
        ForgetCoordinator();
        if (_scan is not null) Context.Stop(_scan); // a scan the answer made useless: its CPU goes back to the device
        // The device hears first: an asker who asks again with this id on hearing the outcome must find it free.
        Context.Parent.Tell(new QueryEnded(Id, answered?.Answer.Stage, failed?.Reason));
        var last = _submissions.Current;
        _asker.Tell(new QueryOutcome(Id, answered, failed, _submissions.Elapsed, last.Attempt, last.Global.Quality, _uploads.LocalUpload, _scanned));
        Become(Done);
    }
}
