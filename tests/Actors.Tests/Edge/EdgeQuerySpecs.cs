using System.Collections.Immutable;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Edge;

/// <summary>The device's one actor per query: that it ends with its outcome, frees its id and slot, and is reachable by servers directly.</summary>
public sealed class EdgeQuerySpecs : TestKit
{
    private static readonly EdgeSettings Settings = new()
    {
        GlobalLongSide = 256,
        AcceptTimeout = TimeSpan.FromSeconds(5),
        RetryDelay = TimeSpan.FromMilliseconds(100),
        MaxAttempts = 2,
        MaxPendingQueries = 1,
    };

    private readonly Akka.TestKit.TestProbe _servers;
    private readonly IActorRef _device;

    public EdgeQuerySpecs()
    {
        _servers = CreateTestProbe();
        _device = Sys.ActorOf(EdgeDevice.Props(new EdgeId("cam-1"), _servers.Ref, Settings, Sys.Materializer()));
    }

    private static QueryAnswered Answered(QueryId id, string text) =>
        new(id, new Answer(text, AnswerStage.Global, 0, 0, 0.35, 1, 0, 0, null, null, StageTimings.Zero));

    /// <summary>The device's only query actor (call while exactly one query runs).</summary>
    private async Task<IActorRef> OnlyQuery()
    {
        var identity = await Sys.ActorSelection(_device.Path / "*").Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3));
        return identity.Subject ?? throw new InvalidOperationException("the device runs no query");
    }

    private async Task<(ISinkRef<LayerChunk> Sink, Task<IImmutableList<LayerChunk>> Received)> NewSink()
    {
        var (sinkRef, received) = StreamRefs.SinkRef<LayerChunk>().ToMaterialized(Sink.Seq<LayerChunk>(), Keep.Both).Run(Sys.Materializer());
        return (await sinkRef, received);
    }

    [Fact]
    public async Task The_query_stops_with_its_outcome_and_its_id_may_be_asked_again_at_once()
    {
        var id = QueryId.New();
        _device.Tell(new AskQuestion(TestData.Jpeg(400, 300), "what?", QueryId: id));
        _servers.ExpectMsg<SubmitQuery>();
        var query = await OnlyQuery();
        Watch(query);

        _device.Tell(Answered(id, "first"));
        Assert.Equal("first", ExpectMsg<QueryOutcome>().Answered!.Answer.Text);
        // Asked again under the same id while the ended query (and with it the frame) goes away.
        _device.Tell(new AskQuestion(TestData.Jpeg(400, 300), "and now?", QueryId: id));
        var again = _servers.ExpectMsg<SubmitQuery>();
        Assert.Equal((id, 1, "and now?"), (again.QueryId, again.Attempt, again.Question));
        ExpectTerminated(query);

        _device.Tell(Answered(id, "second"));
        Assert.Equal("second", ExpectMsg<QueryOutcome>().Answered!.Answer.Text);
    }

    [Fact]
    public async Task Region_request_for_an_answered_query_is_declined_and_its_stream_failed()
    {
        _device.Tell(new AskQuestion(TestData.Jpeg(400, 300), "what?"));
        var submit = _servers.ExpectMsg<SubmitQuery>();
        _device.Tell(new QueryAccepted(submit.QueryId), _servers.Ref);
        _device.Tell(Answered(submit.QueryId, "done"));
        ExpectMsg<QueryOutcome>();

        var (sink, received) = await NewSink();
        _device.Tell(new RoiRequest(submit.QueryId, NormalizedBox.Create(0, 0, 1, 1), TimeSpan.FromSeconds(5), 1000, 90, 2_000_000, sink), TestActor);
        Assert.Contains($"holds no frame for query {submit.QueryId}", ExpectMsg<RoiDeclined>().Reason);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => received.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("holds no frame", error.GetBaseException().Message);
    }

    [Fact]
    public async Task Servers_reply_to_the_device_and_messages_straight_to_the_query_work_too()
    {
        _device.Tell(new AskQuestion(TestData.Jpeg(800, 600), "what?"));
        var submit = _servers.ExpectMsg<SubmitQuery>();
        // Submitted on the device's behalf: a late region request then reaches the device, which outlives the
        // query and declines it at once (the test above). The query's own actor also takes what is sent to it.
        Assert.Equal(_device, _servers.LastSender);
        var query = await OnlyQuery();
        var coordinator = CreateTestProbe();
        query.Tell(new QueryAccepted(submit.QueryId), coordinator.Ref);

        var (sink, received) = await NewSink();
        query.Tell(new RoiRequest(submit.QueryId, NormalizedBox.Create(0.25, 0.25, 0.75, 0.75), TimeSpan.FromSeconds(5), 1000, 90, 2_000_000, sink), coordinator.Ref);
        var plan = coordinator.ExpectMsg<LocalImagePlan>(TimeSpan.FromSeconds(20)); // a bound on waiting, not a timing
        var chunks = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(plan.TotalBytes, chunks.Sum(c => (long)c.Bytes.Length));

        query.Tell(new LocalImageReceived(submit.QueryId, plan.TotalBytes, plan.Layers, Complete: true), coordinator.Ref);
        query.Tell(Answered(submit.QueryId, "OK"), coordinator.Ref);
        var outcome = ExpectMsg<QueryOutcome>();
        Assert.Equal("OK", outcome.Answered!.Answer.Text);
        Assert.NotNull(outcome.LocalUpload);
        Assert.True(outcome.LocalUpload > TimeSpan.Zero);
    }

    [Fact]
    public void Holds_at_most_MaxPendingQueries_and_frees_the_slot_when_a_query_ends()
    {
        _device.Tell(new AskQuestion(TestData.Jpeg(400, 300), "first?"));
        var first = _servers.ExpectMsg<SubmitQuery>();

        _device.Tell(new AskQuestion(TestData.Jpeg(400, 300), "second?"));
        var refused = ExpectMsg<QueryOutcome>();
        Assert.Equal(FailureReason.Busy, refused.Failed!.Reason);
        Assert.Contains("holds 1 unanswered queries (limit 1)", refused.Failed.Message);
        _servers.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _device.Tell(new QueryFailed(first.QueryId, FailureReason.Timeout, "too slow"));
        Assert.Equal(FailureReason.Timeout, ExpectMsg<QueryOutcome>().Failed!.Reason);
        _device.Tell(new AskQuestion(TestData.Jpeg(400, 300), "second?"));
        Assert.Equal("second?", _servers.ExpectMsg<SubmitQuery>().Question);
    }
}
