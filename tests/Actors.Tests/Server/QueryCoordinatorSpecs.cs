using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Admission;
using Xunit;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>
/// The coordinator's state machine, with test probes standing in for the edge, the scheduler and
/// the gateway (its parent). η = 0.35 bits: p = 0.99 → H∞ 0.014 (sure); p = 0.4 → H∞ 1.32 (unsure).
/// </summary>
public sealed class QueryCoordinatorSpecs : TestKit
{
    private static readonly ServerSettings Settings = new()
    {
        Threshold = 0.35,
        GlobalInferenceTimeout = TimeSpan.FromSeconds(2),
        LocalStageTimeout = TimeSpan.FromSeconds(1),
        RefinedInferenceTimeout = TimeSpan.FromSeconds(2),
    };

    private readonly Akka.TestKit.TestProbe _edge;
    private readonly Akka.TestKit.TestProbe _scheduler;
    private readonly Akka.TestKit.TestProbe _gateway;

    public QueryCoordinatorSpecs()
    {
        _edge = CreateTestProbe();
        _scheduler = CreateTestProbe();
        _gateway = CreateTestProbe();
    }

    private IActorRef Start(SubmitQuery query, ServerSettings? settings = null, LocalByteBudget? budget = null, ModelWaitForecast? forecast = null) =>
        _gateway.ChildActorOf(QueryCoordinator.Props(query, _edge.Ref, _scheduler.Ref, settings ?? Settings, Sys.Materializer(),
            budget ?? new LocalByteBudget((settings ?? Settings).MaxLocalBytesInFlight), forecast: forecast));

    [Fact]
    public void A_saturated_model_answers_an_unsure_query_with_its_global_answer_without_asking_the_edge_for_bytes()
    {
        var forecast = new ModelWaitForecast();
        forecast.Update(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2)); // far beyond the query's deadline
        var query = TestData.Submit();
        Start(query, forecast: forecast);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));

        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EX1T", AnswerStage.Degraded), (answer.Text, answer.Stage));
        Assert.Contains("saturated", answer.DegradedReason);
        Assert.Equal(0, answer.BytesLocal);
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no refined pass queued either
    }

    [Fact]
    public void Confident_global_answer_is_final()
    {
        var query = TestData.Submit();
        Start(query);
        _edge.ExpectMsg<QueryAccepted>(a => Assert.Equal(query.QueryId, a.QueryId));
        var run = _scheduler.ExpectMsg<Run>();
        Assert.Null(run.Input.Local);
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT 24", 0.99)));

        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EXIT 24", AnswerStage.Global), (answer.Text, answer.Stage));
        Assert.InRange(answer.Uncertainty, 0.0, 0.02);
        Assert.Equal(0, answer.BytesLocal);
        Assert.Equal(query.Global.Jpeg.Length, answer.BytesGlobal);
        _gateway.ExpectMsg<CoordinatorFinished>(f => Assert.IsType<QueryAnswered>(f.Result));
        _edge.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Unsure_global_answer_requests_the_region_and_answers_from_the_refined_pass()
    {
        var query = TestData.Submit();
        Start(query);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));

        var request = _edge.ExpectMsg<RoiRequest>();
        Assert.Equal(query.QueryId, request.QueryId);
        Assert.Null(request.Box.Validate());
        // The blob sits at cell (20, 6) of a 32×24 map: the region must cover it.
        Assert.InRange(20.5 / 32, request.Box.X0, request.Box.X1);
        Assert.InRange(6.5 / 24, request.Box.Y0, request.Box.Y1);
        // With it goes the map, shrunk for the wire, peaking where the blob is: the edge ranks its own text finds by it.
        Assert.NotNull(request.Relevance);
        Assert.Null(request.Relevance.Validate());
        Assert.True(request.Relevance.Cells.Length <= 24 * 24, $"{request.Relevance.Cells.Length} cells");
        Assert.Equal(1.0, request.Relevance.At(20.5 / 32, 6.5 / 24));

        var local = Enumerable.Range(0, 150_000).Select(i => (byte)i).ToArray();
        (local[0], local[1]) = (0xFF, 0xD8); // starts like a JPEG
        var chunks = local.Chunk(LayerChunk.MaxBytes).Select((c, i) => new LayerChunk(0, i == 2, c)).ToList();
        Source.From(chunks).RunWith(request.Sink.Sink, Sys.Materializer());

        var refined = _scheduler.ExpectMsg<Run>();
        Assert.Equal([.. local, 0xFF, 0xD9], refined.Input.Local); // a layer prefix gets its End-Of-Image marker
        Assert.Equal(request.Box, refined.Input.LocalBox);
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT 24", 0.98)));

        var receipt = _edge.ExpectMsg<LocalImageReceived>();
        Assert.Equal((local.Length, 1, true), (receipt.Bytes, receipt.Layers, receipt.Complete));
        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EXIT 24", AnswerStage.Refined), (answer.Text, answer.Stage));
        Assert.Equal(local.Length, answer.BytesLocal);
        Assert.True(answer.GlobalUncertainty > Settings.Threshold);
        Assert.True(answer.Uncertainty < answer.GlobalUncertainty);
        Assert.Equal(1, answer.LayersUsed);
    }

    [Fact]
    public void Edge_that_never_streams_gets_the_global_answer_marked_degraded()
    {
        var query = TestData.Submit();
        Start(query);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));
        _edge.ExpectMsg<RoiRequest>(); // ... and the edge does nothing with it

        Assert.Equal(0, _edge.ExpectMsg<LocalImageReceived>(TimeSpan.FromSeconds(5)).Layers);
        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EX1T", AnswerStage.Degraded), (answer.Text, answer.Stage));
        Assert.Contains("no complete layer", answer.DegradedReason);
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no refined pass was attempted
    }

    [Fact]
    public void A_deadline_that_leaves_no_transfer_time_degrades_at_once_without_asking_the_edge()
    {
        // 1 s left of the deadline (a late re-submission) is under the refined pass's 1.5 s reserve.
        var query = TestData.Submit(options: QueryOptions.Default with { Deadline = TimeSpan.FromSeconds(1) });
        Start(query);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));

        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EX1T", AnswerStage.Degraded), (answer.Text, answer.Stage));
        Assert.Contains("no time to transfer the local image", answer.DegradedReason);
        Assert.NotNull(answer.Roi); // the region was chosen; there was no time to fetch it
    }

    [Fact]
    public void Edge_that_declines_gets_the_global_answer_marked_degraded()
    {
        var query = TestData.Submit();
        var coordinator = Start(query);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));
        _edge.ExpectMsg<RoiRequest>();
        coordinator.Tell(new RoiDeclined(query.QueryId, "frame evicted"), _edge.Ref);

        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(AnswerStage.Degraded, answer.Stage);
        Assert.Contains("frame evicted", answer.DegradedReason);
    }

    [Fact]
    public void Model_that_throws_fails_the_query_with_the_reason()
    {
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(new ThrowingModel(), capacity: 4));
        var query = TestData.Submit();
        _gateway.ChildActorOf(QueryCoordinator.Props(query, _edge.Ref, scheduler, Settings, Sys.Materializer(), new LocalByteBudget(Settings.MaxLocalBytesInFlight)));
        _edge.ExpectMsg<QueryAccepted>();

        var failed = _edge.ExpectMsg<QueryFailed>();
        Assert.Equal(FailureReason.InferenceFailed, failed.Reason);
        Assert.Contains("weights are corrupt", failed.Message);
        _gateway.ExpectMsg<CoordinatorFinished>(f => Assert.IsType<QueryFailed>(f.Result));
    }

    [Fact]
    public void Model_that_throws_before_returning_a_task_fails_only_that_query()
    {
        var calls = 0;
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(new SyncThrowingModel(() => ++calls == 1), capacity: 4));
        var probe = CreateTestProbe();
        var first = QueryId.New();
        scheduler.Tell(new Run(first, new Inference.ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref);
        probe.ExpectMsg<Failed>(f => Assert.Equal((first, FailureReason.InferenceFailed), (f.QueryId, f.Reason)));

        // The scheduler survived: the next job runs and completes.
        var second = QueryId.New();
        scheduler.Tell(new Run(second, new Inference.ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref);
        probe.ExpectMsg<Completed>(c => Assert.Equal(second, c.QueryId));
    }

    private sealed class SyncThrowingModel(Func<bool> shouldThrow) : Inference.IVisionLanguageModel
    {
        public string Name => "sync-throwing";
        public int GlobalLongSide => 64;
        public Task<Inference.ModelOutput> AnswerAsync(Inference.ModelInput input, CancellationToken cancellationToken) =>
            shouldThrow() ? throw new InvalidOperationException("native crash") : Task.FromResult(TestData.Output("ok", 0.99));
        public void Dispose() { }
    }

    [Fact]
    public void Silent_model_fails_the_query_with_a_timeout()
    {
        var query = TestData.Submit();
        Start(query, Settings with { GlobalInferenceTimeout = TimeSpan.FromMilliseconds(300) });
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>(); // never answered

        var failed = _edge.ExpectMsg<QueryFailed>(TimeSpan.FromSeconds(3));
        Assert.Equal(FailureReason.Timeout, failed.Reason);
        Assert.Contains("global inference", failed.Message);
    }

    [Fact]
    public void Refined_pass_failure_falls_back_to_the_global_answer()
    {
        var query = TestData.Submit(options: new QueryOptions(TimeSpan.FromSeconds(30), RetransmitPolicy.Always));
        Start(query);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT 24", 0.99))); // sure, but policy says always
        var request = _edge.ExpectMsg<RoiRequest>();
        Source.Single(new LayerChunk(0, true, [0xFF, 0xD8, 3])).RunWith(request.Sink.Sink, Sys.Materializer());
        _scheduler.ExpectMsg<Run>(r => Assert.NotNull(r.Input.Local));
        _scheduler.Reply(new Failed(query.QueryId, FailureReason.InvalidImage, "not a JPEG"));

        _edge.ExpectMsg<LocalImageReceived>();
        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EXIT 24", AnswerStage.Degraded), (answer.Text, answer.Stage));
        Assert.Contains("not a JPEG", answer.DegradedReason);
        Assert.Equal(3, answer.BytesLocal);
    }

    [Fact]
    public void Never_policy_keeps_even_an_unsure_answer()
    {
        var query = TestData.Submit(options: new QueryOptions(TimeSpan.FromSeconds(30), RetransmitPolicy.Never));
        Start(query);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("", 0.4)));
        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(AnswerStage.Global, answer.Stage);
        Assert.Equal(Math.Log2(TestData.Vocabulary), answer.Uncertainty, 6); // empty answer = maximally unsure
    }

    [Fact]
    public void A_node_budget_decides_for_gated_queries_without_their_own_eta()
    {
        // A budget of every query: after the first (held to η), even a sure answer asks for detail.
        var settings = Settings with { RetransmitBudget = 1.0 };
        var gate = TwoStage.Gate.RetransmitBudget.For(settings);
        Answer? Ask(QueryOptions? options)
        {
            var query = TestData.Submit(options: options);
            var edge = CreateTestProbe(); // one per query: a retransmitting one keeps talking to its own
            var parent = CreateTestProbe();
            parent.ChildActorOf(QueryCoordinator.Props(query, edge.Ref, _scheduler.Ref, settings, Sys.Materializer(),
                new LocalByteBudget(settings.MaxLocalBytesInFlight), gate));
            edge.ExpectMsg<QueryAccepted>();
            // The previous query's coordinator may still tell the shared scheduler probe that it finished: skip that.
            _scheduler.FishForMessage<Run>(r => r.QueryId == query.QueryId);
            _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT 24", 0.99)));
            var reply = edge.ExpectMsg<object>();
            return (reply as QueryAnswered)?.Answer;
        }

        Assert.Equal(AnswerStage.Global, Ask(null)!.Stage);                  // first: η = 0.35 keeps it
        Assert.Null(Ask(null));                                              // second: the budget retransmits (a RoiRequest, not an answer)
        var own = Ask(new QueryOptions(TimeSpan.FromSeconds(30), RetransmitPolicy.Gated, Threshold: 0.35));
        Assert.Equal(AnswerStage.Global, own!.Stage);                        // a query's own η wins over the budget
        Assert.Equal(2, gate!.Decisions);
    }
}
