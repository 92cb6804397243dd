using Akka.Actor;
using Akka.Event;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge.Link;

/// <summary>
/// One per edge device (a child of <see cref="EdgeDevice"/>): learns the uplink from every upload
/// the device reports with <see cref="TransferObserved"/> and answers <see cref="GetLinkView"/> with
/// the current <see cref="CollabVlm.Primitives.LinkView"/>. The estimation itself is <see cref="LinkSampleWindow"/>.
/// </summary>
public sealed class LinkEstimator : ReceiveActor
{
    private readonly LinkSampleWindow _window;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LinkEstimator(LinkEstimatorSettings settings)
    {
        _window = new LinkSampleWindow(settings);

        Receive<TransferObserved>(OnTransfer);
        Receive<GetLinkView>(_ => Sender.Tell(_window.View));
    }

    public static Props Props(LinkEstimatorSettings settings)
    {
        if (settings.Validate() is { } problem) throw new ArgumentException(problem, nameof(settings));
        return Akka.Actor.Props.Create(() => new LinkEstimator(settings));
    }

    private void OnTransfer(TransferObserved observed)
    {
        var sample = new TransferSample(observed.Bytes, observed.Elapsed);
        if (sample.Validate() is { } problem)
        {
            // A bad measurement is the reporter's bug, not a reason to lose what was learned.
            _log.Warning("Ignoring transfer observation: {0}", problem);
            return;
        }
        var verdict = _window.Add(sample);
        if (verdict != SampleVerdict.Accepted)
            _log.Debug("Transfer of {0} B in {1:0} ms: {2}; link now {3}", sample.Bytes, sample.Elapsed.TotalMilliseconds, verdict, _window.View);
    }
}
