using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// The edge's scan of one query's full-resolution frame for text (<see cref="TiledTextProposer"/>), a child of
/// its <see cref="EdgeQuery"/>, started as soon as the global image is out so it runs while the server does its
/// global pass. The scan runs on the thread pool and reports each tile back here; the query's answer never waits
/// for it. A region request forwarded here is snapped onto the text found, with its runners-up (<see cref="RegionChoice.Cut"/>, the
/// same code as the in-process loop), ranked by the server's relevance map the request carries and by the sign the
/// query's question names, and handed back as <see cref="Snapped"/>: at once when the scan is over,
/// else when it ends or after <see cref="EdgeSettings.ProposalWaitWithin"/>, with the tiles covered by then
/// (none: the server's region unchanged). Stopping this actor, or the query's end, cancels the scan; a failed
/// scan only means no proposals.
/// </summary>
internal sealed class ProposalScan : ReceiveActor, IWithTimers
{
    /// <summary>To the query: the region request with the box to cut and its runners-up, and the scan as it stood then (maybe no tile done).</summary>
    public sealed record Snapped(ServeRegion Region, ProposalSet Scan);

    private sealed record TileDone(ProposalSet SoFar);
    private sealed record ScanEnded(ProposalSet? Result, string? Problem);
    private sealed record WaitOver(ServeRegion Region);

    private readonly SharedFrame _frame;
    private readonly TiledTextProposer _proposer;
    private readonly EdgeSettings _settings;
    private readonly int _width;
    private readonly int _height;
    private readonly SignQuery _question;
    // Not disposed: the scan may still read its token after this actor stopped; it holds no unmanaged resource.
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ServeRegion> _waiting = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _clock = new();
    private ProposalSet? _latest;
    private bool _ended;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="frame">The query's frame; the scan takes its own hold, released when the scan stops, whenever that is.</param>
    /// <param name="question">The query's question: where it names its sign, the text found is ranked by it.</param>
    public ProposalScan(SharedFrame frame, TiledTextProposer proposer, EdgeSettings settings, string question)
    {
        (_frame, _proposer, _settings, _question) = (frame, proposer, settings, SignQueryParser.Parse(question));
        (_width, _height) = (frame.Bitmap.Width, frame.Bitmap.Height);
        Receive<TileDone>(t => { if (!_ended) _latest = t.SoFar; });
        Receive<ScanEnded>(OnScanEnded);
        Receive<ServeRegion>(OnServeRegion);
        Receive<WaitOver>(w =>
        {
            if (!_waiting.Remove(w.Region)) return;
            // The crop will not wait longer, and this query asks for one region: the rest of the scan is of no use.
            _stop.Cancel();
            Reply(w.Region);
        });
    }

    public static Props Props(SharedFrame frame, TiledTextProposer proposer, EdgeSettings settings, string question) =>
        Akka.Actor.Props.Create(() => new ProposalScan(frame, proposer, settings, question));

    protected override void PreStart()
    {
        // Taken here, and so again on a restart: the query frees its own hold only after its children stopped.
        var (self, frame, proposer, token) = (Self, _frame.Hold(), _proposer, _stop.Token);
        // Bounds the whole scan, a wait for the node's one detector included, not only the tiles.
        _stop.CancelAfter(_settings.ProposalTimeBudget);
        _clock.Start();
        // Asynchronous: the devices of a node queue for its one detector without holding a pool thread each.
        Task.Run(async () =>
        {
            try { return await proposer.ProposeAsync(frame.Bitmap, token, soFar => self.Tell(new TileDone(soFar))); }
            finally { frame.Release(); }
        }, CancellationToken.None).PipeTo(Self,
            success: found => new ScanEnded(found, null),
            failure: e => new ScanEnded(null, e.GetBaseException() is OperationCanceledException ? null : e.GetBaseException().Message));
    }

    protected override void PostStop() => _stop.Cancel();

    private void OnScanEnded(ScanEnded ended)
    {
        _ended = true;
        if (ended.Problem is not null) _log.Warning("the text scan failed, the server's regions stand: {0}", ended.Problem);
        _latest = ended.Result ?? _latest;
        foreach (var region in _waiting) Reply(region);
        _waiting.Clear();
        Timers.CancelAll();
    }

    private void OnServeRegion(ServeRegion region)
    {
        var wait = _settings.ProposalWaitWithin(region.Request.Deadline);
        if (_ended || wait <= TimeSpan.Zero)
        {
            _stop.Cancel(); // the region is cut now: the rest of the scan would only take the camera's CPU
            Reply(region);
            return;
        }
        _waiting.Add(region);
        Timers.StartSingleTimer(region, new WaitOver(region), wait);
    }

    /// <summary>The scan before its first tile was done: no proposals, the time spent so far, the tiles it plans.</summary>
    private ProposalSet NothingYet()
    {
        var scale = TiledTextProposer.ScaleFor(_width, _height, _proposer.MaxPixels);
        return new ProposalSet([], _clock.Elapsed, 0, TiledTextProposer.Tiles(_width, _height, scale).Count, scale);
    }

    private void Reply(ServeRegion region)
    {
        var cut = RegionCut.Only(region.Request.Box);
        try
        {
            cut = RegionChoice.Cut(cut.Region, region.Request.Relevance, _latest, _width, _height, _question, _settings.GlobalLongSide, _settings.RegionRunnersUp,
                _settings.SnappedRegionPixels);
        }
        catch (ArgumentException e)
        {
            // The query must still get its region: the server's, as without a scan.
            _log.Warning("could not snap the region onto the text found, the server's stands: {0}", e.Message);
        }
        Context.Parent.Tell(new Snapped(region with { Request = region.Request with { Box = cut.Region }, Cut = cut }, _latest ?? NothingYet()));
    }
}
