using Akka.Actor;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using Xunit;

namespace CollabVlm.Actors.Tests.Link;

/// <summary>The estimator actor: reports, questions, and what it does with a bad report.</summary>
public sealed class LinkEstimatorSpecs : TestKit
{
    private static TransferObserved Transfer(long bytes, double bytesPerSecond) =>
        new(bytes, TimeSpan.FromMilliseconds(40) + TimeSpan.FromSeconds(bytes / bytesPerSecond));

    [Fact]
    public void Answers_unknown_until_it_has_seen_a_transfer()
    {
        var estimator = Sys.ActorOf(LinkEstimator.Props(new LinkEstimatorSettings()));
        estimator.Tell(GetLinkView.Instance);
        Assert.Equal(LinkView.Unknown, ExpectMsg<LinkView>());
    }

    [Fact]
    public void Learns_the_link_from_reported_transfers()
    {
        var estimator = Sys.ActorOf(LinkEstimator.Props(new LinkEstimatorSettings()));
        foreach (var bytes in new long[] { 30_000, 90_000, 60_000 }) estimator.Tell(Transfer(bytes, 125_000));

        estimator.Tell(GetLinkView.Instance);
        var view = ExpectMsg<LinkView>();
        Assert.InRange(view.BytesPerSecond, 125_000 * 0.98, 125_000 * 1.02);
        Assert.InRange(view.RoundTrip.TotalMilliseconds, 35, 45);
        Assert.InRange(view.Confidence, 0.5, 1);
    }

    [Fact]
    public void Ignores_and_logs_an_invalid_report_keeping_what_it_learned()
    {
        var estimator = Sys.ActorOf(LinkEstimator.Props(new LinkEstimatorSettings()));
        estimator.Tell(Transfer(60_000, 125_000));
        estimator.Tell(GetLinkView.Instance);
        var learned = ExpectMsg<LinkView>();

        EventFilter.Warning(contains: "at least one byte").ExpectOne(() => estimator.Tell(new TransferObserved(0, TimeSpan.FromSeconds(1))));
        EventFilter.Warning(contains: "positive time").ExpectOne(() => estimator.Tell(new TransferObserved(1_000, TimeSpan.FromSeconds(-1))));

        estimator.Tell(GetLinkView.Instance);
        Assert.Equal(learned, ExpectMsg<LinkView>());
    }

    [Fact]
    public void Refuses_invalid_settings_at_creation()
    {
        var error = Assert.Throws<ArgumentException>(() => LinkEstimator.Props(new LinkEstimatorSettings { WindowSize = 0 }));
        Assert.Contains("Link:WindowSize", error.Message);
    }
}
