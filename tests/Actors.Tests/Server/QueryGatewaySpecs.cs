using System.Buffers.Binary;
using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Messages;
using CollabVlm.TwoStage;
using Xunit;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>Validation, deduplication and admission control at the server's entry point.</summary>
public sealed class QueryGatewaySpecs : TestKit
{
    private readonly Akka.TestKit.TestProbe _scheduler;
    private readonly Akka.TestKit.TestProbe _edge;

    public QueryGatewaySpecs()
    {
        _scheduler = CreateTestProbe();
        _edge = CreateTestProbe();
    }

    private IActorRef Gateway(ServerSettings? settings = null) =>
        Sys.ActorOf(QueryGateway.Props(_scheduler.Ref, settings ?? new ServerSettings { MaxQuestionLength = 100 }, Sys.Materializer()));

    public static TheoryData<string, FailureReason, string> BadQueries => new()
    {
        { "empty question", FailureReason.InvalidInput, "question is empty" },
        { "long question", FailureReason.InvalidInput, "the limit is 100" },
        { "garbage image", FailureReason.InvalidImage, "unusable" },
        { "truncated jpeg", FailureReason.InvalidImage, "unusable" },
        { "png bomb", FailureReason.InvalidImage, "100000" },
        { "zero original size", FailureReason.InvalidInput, "not positive" },
        { "negative deadline", FailureReason.InvalidInput, "deadline" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public void Bad_submission_gets_a_clear_error_and_the_gateway_keeps_serving(string what, FailureReason reason, string mentions)
    {
        var gateway = Gateway();
        var bad = what switch
        {
            "empty question" => TestData.Submit(question: "  "),
            "long question" => TestData.Submit(question: new string('x', 101)),
            "garbage image" => TestData.Submit(jpeg: "definitely not an image"u8.ToArray()),
            "truncated jpeg" => TestData.Submit(jpeg: TestData.Jpeg()[..3]),
            "png bomb" => TestData.Submit(jpeg: PngHeader(100_000, 100_000)),
            "zero original size" => TestData.Submit(originalWidth: 0),
            _ => TestData.Submit(options: new QueryOptions(TimeSpan.FromSeconds(-1))),
        };
        gateway.Tell(bad, _edge.Ref);
        var failed = _edge.ExpectMsg<QueryFailed>();
        Assert.Equal(bad.QueryId, failed.QueryId);
        Assert.Equal(reason, failed.Reason);
        Assert.Contains(mentions, failed.Message);
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Still serving: the next good query is accepted and reaches the model.
        var good = TestData.Submit();
        gateway.Tell(good, _edge.Ref);
        _edge.ExpectMsg<QueryAccepted>(a => Assert.Equal(good.QueryId, a.QueryId));
        _scheduler.ExpectMsg<Run>(r => Assert.Equal(good.QueryId, r.QueryId));
    }

    [Fact]
    public void Duplicate_submission_is_computed_and_answered_once()
    {
        var gateway = Gateway();
        var query = TestData.Submit();
        gateway.Tell(query, _edge.Ref);
        gateway.Tell(query with { Attempt = 2 }, _edge.Ref);
        _edge.ExpectMsg<QueryAccepted>();
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("OPEN", 0.99)));
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // one model run for two submissions
        _edge.ExpectMsg<QueryAnswered>(a => Assert.Equal("OPEN", a.Answer.Text));
        _edge.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // ... and one answer

        // After completion a duplicate gets the remembered result, still without a model run.
        gateway.Tell(query with { Attempt = 3 }, _edge.Ref);
        _edge.ExpectMsg<QueryAnswered>(a => Assert.Equal("OPEN", a.Answer.Text));
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Over_the_in_flight_limit_the_answer_is_busy()
    {
        var gateway = Gateway(new ServerSettings { MaxInFlight = 1 });
        gateway.Tell(TestData.Submit(), _edge.Ref);
        _edge.ExpectMsg<QueryAccepted>();
        var second = TestData.Submit();
        gateway.Tell(second, _edge.Ref);
        var busy = _edge.ExpectMsg<QueryFailed>();
        Assert.Equal((second.QueryId, FailureReason.Busy), (busy.QueryId, busy.Reason));
        Assert.Contains("limit 1", busy.Message);
    }

    [Fact]
    public void Full_inference_queue_refuses_as_busy()
    {
        var blocked = new TaskCompletionSource<Inference.ModelOutput>();
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(new BlockingModel(blocked.Task), capacity: 1));
        var probe = CreateTestProbe();
        scheduler.Tell(new Run(QueryId.New(), new Inference.ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref); // runs
        scheduler.Tell(new Run(QueryId.New(), new Inference.ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref); // waits
        var third = QueryId.New();
        scheduler.Tell(new Run(third, new Inference.ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref);
        probe.ExpectMsg<Failed>(f => Assert.Equal((third, FailureReason.Busy), (f.QueryId, f.Reason)));
        scheduler.Tell(GetDepth.Instance, probe.Ref);
        probe.ExpectMsg<Depth>(d => Assert.Equal((1, true), (d.Queued, d.Running)));
        blocked.SetResult(TestData.Output("x", 0.9));
        probe.ExpectMsg<Completed>();
        probe.ExpectMsg<Completed>();
    }

    /// <summary>A PNG signature and IHDR claiming the given size; no pixel data follows.</summary>
    private static byte[] PngHeader(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; bytes[25] = 2; // 8-bit RGB
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(12, 17)));
        return bytes;
    }
}
