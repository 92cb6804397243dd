using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Link;

/// <summary>The device's link estimate: reported transfers, its queries' uploads, questions, and what it does with a bad report.</summary>
public sealed class EdgeDeviceLinkSpecs : TestKit
{
    private readonly Akka.TestKit.TestProbe _servers;

    public EdgeDeviceLinkSpecs() => _servers = CreateTestProbe();

    private IActorRef Device(LinkEstimatorSettings? link = null) =>
        Sys.ActorOf(EdgeDevice.Props(new EdgeId("cam-1"), _servers.Ref, new EdgeSettings(), Sys.Materializer(), link: link));

    private static TransferObserved Transfer(long bytes, double bytesPerSecond) =>
        new(bytes, TimeSpan.FromMilliseconds(40) + TimeSpan.FromSeconds(bytes / bytesPerSecond));

    [Fact]
    public void Answers_unknown_until_it_has_seen_a_transfer()
    {
        var device = Device();
        device.Tell(GetLinkView.Instance);
        Assert.Equal(LinkView.Unknown, ExpectMsg<LinkView>());
    }

    [Fact]
    public void Learns_the_link_from_reported_transfers()
    {
        var device = Device();
        foreach (var bytes in new long[] { 30_000, 90_000, 60_000 }) device.Tell(Transfer(bytes, 125_000));

        device.Tell(GetLinkView.Instance);
        var view = ExpectMsg<LinkView>();
        Assert.InRange(view.BytesPerSecond, 125_000 * 0.98, 125_000 * 1.02);
        Assert.InRange(view.RoundTrip.TotalMilliseconds, 35, 45);
        Assert.InRange(view.Confidence, 0.5, 1);
    }

    [Fact]
    public void Ignores_and_logs_an_invalid_report_keeping_what_it_learned()
    {
        var device = Device();
        device.Tell(Transfer(60_000, 125_000));
        device.Tell(GetLinkView.Instance);
        var learned = ExpectMsg<LinkView>();

        EventFilter.Warning(contains: "at least one byte").ExpectOne(() => device.Tell(new TransferObserved(0, TimeSpan.FromSeconds(1))));
        EventFilter.Warning(contains: "positive time").ExpectOne(() => device.Tell(new TransferObserved(1_000, TimeSpan.FromSeconds(-1))));

        device.Tell(GetLinkView.Instance);
        Assert.Equal(learned, ExpectMsg<LinkView>());
    }

    [Fact]
    public void Refuses_invalid_settings_at_creation()
    {
        var error = Assert.Throws<ArgumentException>(() => EdgeDevice.Props(new EdgeId("cam-1"), _servers.Ref, new EdgeSettings(), Sys.Materializer(),
            link: new LinkEstimatorSettings { WindowSize = 0 }));
        Assert.Contains("Link:WindowSize", error.Message);
    }

    [Fact]
    public async Task Learns_from_the_global_upload_of_its_own_query()
    {
        var device = Device();
        device.Tell(new AskQuestion(TestData.Jpeg(640, 480), "what?"));
        var submit = _servers.ExpectMsg<SubmitQuery>();
        device.Tell(GetLinkView.Instance);
        Assert.Equal(LinkView.Unknown, ExpectMsg<LinkView>());

        // Accepted: the query timed its global image's upload and reported it to the device.
        device.Tell(new QueryAccepted(submit.QueryId), _servers.Ref);
        await AwaitAssertAsync(async () =>
        {
            var view = await device.Ask<LinkView>(GetLinkView.Instance, TimeSpan.FromSeconds(5));
            Assert.True(view.Confidence > 0, $"still {view}");
            Assert.NotEqual(LinkView.Unknown.BytesPerSecond, view.BytesPerSecond);
        }, TimeSpan.FromSeconds(20)); // a bound on waiting, not a timing: the report is one local message
    }
}
