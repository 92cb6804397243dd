using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using Xunit;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>
/// The coordinator's local stage with progressive layers: which prefix each refined pass sees, early
/// stop in <see cref="RefineOn.EachLayer"/> mode, the transfer deadline, an edge that goes away
/// mid-stream, a broken stream, and the node's byte budget. Probes stand in for edge and scheduler;
/// the edge side of the stream is a queue the test offers chunks to, so the order of events is exact.
/// </summary>
public sealed class QueryCoordinatorLayerSpecs : TestKit
{
    private static readonly ServerSettings Settings = new()
    {
        Threshold = 0.35,
        GlobalInferenceTimeout = TimeSpan.FromSeconds(2),
        // Long enough that a CPU stalled by the tests starting beside these (CI's two cores) never cuts a transfer
        // the test is still feeding; the tests about the transfer deadline set their own short one.
        LocalStageTimeout = TimeSpan.FromSeconds(20),
        RefinedInferenceTimeout = TimeSpan.FromSeconds(10),
    };

    private readonly Akka.TestKit.TestProbe _edge;
    private readonly Akka.TestKit.TestProbe _scheduler;
    private readonly Akka.TestKit.TestProbe _gateway;

    public QueryCoordinatorLayerSpecs()
    {
        _edge = CreateTestProbe();
        _scheduler = CreateTestProbe();
        _gateway = CreateTestProbe();
    }

    /// <summary>Starts a query whose global answer is unsure; returns the region request and the coordinator.</summary>
    private (RoiRequest Request, IActorRef Coordinator, SubmitQuery Query) StartUnsure(ServerSettings? settings = null, QueryOptions? options = null, LocalByteBudget? budget = null)
    {
        var s = settings ?? Settings;
        var query = TestData.Submit(options: options);
        var coordinator = _gateway.ChildActorOf(QueryCoordinator.Props(query, _edge.Ref, _scheduler.Ref, s, Sys.Materializer(),
            budget ?? new LocalByteBudget(s.MaxLocalBytesInFlight)));
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));
        return (_edge.ExpectMsg<RoiRequest>(), coordinator, query);
    }

    /// <summary>The edge's end of the stream: a queue to offer chunks to, and a task that ends when the stream does.</summary>
    private (ISourceQueueWithComplete<LayerChunk> Queue, Task Done) Open(RoiRequest request)
    {
        var (queue, done) = Source.Queue<LayerChunk>(16, OverflowStrategy.Backpressure)
            .WatchTermination(Keep.Both)
            .To(request.Sink.Sink)
            .Run(Sys.Materializer());
        return (queue, done);
    }

    /// <summary>A layer of <paramref name="bytes"/> bytes of <paramref name="fill"/>; layer 0 starts like a JPEG (SOI marker).</summary>
    private static LayerChunk[] Layer(int index, int bytes, byte fill)
    {
        var content = Enumerable.Repeat(fill, bytes).ToArray();
        if (index == 0) (content[0], content[1]) = ((byte)0xFF, (byte)0xD8);
        var parts = content.Chunk(LayerChunk.MaxBytes).ToArray();
        return parts.Select((c, i) => new LayerChunk(index, i == parts.Length - 1, c)).ToArray();
    }

    /// <summary>
    /// Waits for the edge's stream to end. A SinkRef whose receiver stops ends the sender's stream with
    /// a <see cref="RemoteStreamRefActorTerminatedException"/>, so ending by failure counts too.
    /// </summary>
    private static async Task Ended(Task done)
    {
        await Record.ExceptionAsync(() => done.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(done.IsCompleted, "the edge's stream is still running");
    }

    /// <summary>The final answer, skipping the stream receipt that precedes it.</summary>
    private QueryAnswered ExpectAnswer() => _edge.FishForMessage<QueryAnswered>(m => m is QueryAnswered, TimeSpan.FromSeconds(5));

    private static async Task Offer(ISourceQueueWithComplete<LayerChunk> queue, IEnumerable<LayerChunk> chunks)
    {
        foreach (var chunk in chunks)
            Assert.IsType<QueueOfferResult.Enqueued>(await queue.OfferAsync(chunk).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Refine_on_last_runs_once_on_all_layers_and_reports_the_plan()
    {
        var (request, coordinator, query) = StartUnsure();
        Assert.Equal(Settings.MaxLocalBytes, request.MaxBytes);
        Assert.InRange(request.Deadline, TimeSpan.FromSeconds(1), Settings.LocalStageTimeout);
        coordinator.Tell(new LocalImagePlan(query.QueryId, 3, 160_000, 40_000, 1024, 85), _edge.Ref);

        var (queue, _) = Open(request);
        await Offer(queue, Layer(0, 10_000, 1).Concat(Layer(1, 50_000, 2)).Concat(Layer(2, 100_000, 3)));
        queue.Complete();

        var run = _scheduler.ExpectMsg<Run>();
        Assert.Equal(160_002, run.Input.Local!.Length); // all three layers + End-Of-Image
        Assert.Equal(3, run.Input.Local[^3]);
        var receipt = _edge.ExpectMsg<LocalImageReceived>();
        Assert.Equal((160_000L, 3, true), (receipt.Bytes, receipt.Layers, receipt.Complete));
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT", 0.99)));

        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal((AnswerStage.Refined, 3, 3), (answer.Stage, answer.LayersUsed, answer.LayersPlanned));
        Assert.Equal((160_000L, 0L), (answer.BytesLocal, answer.BytesLocalSaved));
        Assert.Equal(query.Global.Quality, answer.GlobalQuality);
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // one refined pass only
    }

    [Fact]
    public async Task Refine_on_each_layer_stops_the_stream_when_a_prefix_is_sure_enough()
    {
        var (request, coordinator, query) = StartUnsure(options: QueryOptions.Default with { RefineOn = RefineOn.EachLayer });
        coordinator.Tell(new LocalImagePlan(query.QueryId, 3, 300_000, 0, 1280, 90), _edge.Ref);
        var (queue, done) = Open(request);

        await Offer(queue, Layer(0, 20_000, 1));
        var first = _scheduler.ExpectMsg<Run>();
        Assert.Equal(20_002, first.Input.Local!.Length);
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXlT", 0.6))); // still unsure

        await Offer(queue, Layer(1, 80_000, 2));
        var second = _scheduler.ExpectMsg<Run>();
        Assert.Equal(100_002, second.Input.Local!.Length);
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT", 0.99))); // sure: stop

        // The edge sees its stream cancelled: the third layer is never sent.
        await Ended(done);
        var receipt = _edge.ExpectMsg<LocalImageReceived>();
        Assert.False(receipt.Complete);
        var answer = _edge.ExpectMsg<QueryAnswered>().Answer;
        Assert.Equal(("EXIT", AnswerStage.Refined, 2), (answer.Text, answer.Stage, answer.LayersUsed));
        Assert.Equal(100_000, answer.BytesLocal);
        Assert.Equal(200_000, answer.BytesLocalSaved);
    }

    [Fact]
    public async Task At_the_transfer_deadline_it_refines_on_the_complete_layers_it_has()
    {
        var (request, _, query) = StartUnsure(Settings with { LocalStageTimeout = TimeSpan.FromMilliseconds(800) });
        var (queue, done) = Open(request);
        await Offer(queue, Layer(0, 30_000, 1).Concat(Layer(1, 70_000, 2).Take(1))); // layer 1 only half sent

        var run = _scheduler.ExpectMsg<Run>(TimeSpan.FromSeconds(3));
        Assert.Equal(30_002, run.Input.Local!.Length); // the half layer is not used
        await Ended(done); // the stream was stopped
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT", 0.9)));

        var answer = ExpectAnswer().Answer;
        Assert.Equal((AnswerStage.Refined, 1), (answer.Stage, answer.LayersUsed));
        Assert.Equal(30_000 + LayerChunk.MaxBytes, answer.BytesLocal); // what the edge did send
    }

    [Fact]
    public async Task Edge_going_away_mid_stream_refines_on_what_arrived()
    {
        var (request, _, query) = StartUnsure();
        var (queue, _) = Open(request);
        await Offer(queue, Layer(0, 30_000, 1).Concat(Layer(1, 70_000, 2).Take(1)));
        queue.Fail(new IOException("edge node crashed"));

        var run = _scheduler.ExpectMsg<Run>();
        Assert.Equal(30_002, run.Input.Local!.Length);
        var receipt = _edge.ExpectMsg<LocalImageReceived>();
        Assert.Equal((1, false), (receipt.Layers, receipt.Complete));
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT", 0.95)));
        Assert.Equal(AnswerStage.Refined, _edge.ExpectMsg<QueryAnswered>().Answer.Stage);
    }

    [Fact]
    public async Task Edge_going_away_before_a_whole_layer_degrades_to_the_global_answer()
    {
        var (request, _, _) = StartUnsure();
        var (queue, _) = Open(request);
        await Offer(queue, Layer(0, 100_000, 1).Take(1));
        queue.Fail(new IOException("edge node crashed"));

        var answer = ExpectAnswer().Answer;
        Assert.Equal(("EX1T", AnswerStage.Degraded), (answer.Text, answer.Stage));
        Assert.Contains("edge node crashed", answer.DegradedReason);
        _scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_chunk_out_of_layer_order_stops_the_stream_with_a_clear_reason()
    {
        var (request, _, _) = StartUnsure();
        var (queue, done) = Open(request);
        await Offer(queue, [new LayerChunk(0, false, [0xFF, 0xD8, 3]), new LayerChunk(2, true, [4])]);

        var answer = ExpectAnswer().Answer;
        Assert.Equal(AnswerStage.Degraded, answer.Stage);
        Assert.Contains("layer 2 arrived while layer 0", answer.DegradedReason);
        await Ended(done);
    }

    [Fact]
    public async Task More_bytes_than_granted_stop_the_stream()
    {
        var (request, _, query) = StartUnsure(Settings with { MaxLocalBytes = 100_000, MinLocalBytes = 10_000 });
        Assert.Equal(100_000, request.MaxBytes);
        var (queue, _) = Open(request);
        await Offer(queue, Layer(0, 60_000, 1));
        _ = Offer(queue, Layer(1, 60_000, 2)); // crosses the grant

        var run = _scheduler.ExpectMsg<Run>();
        Assert.Equal(60_002, run.Input.Local!.Length);
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT", 0.9)));
        var answer = ExpectAnswer().Answer;
        Assert.Equal((AnswerStage.Refined, 1), (answer.Stage, answer.LayersUsed));
    }

    [Fact]
    public void With_the_byte_budget_taken_until_the_transfer_time_ends_the_query_is_answered_degraded()
    {
        var budget = new LocalByteBudget(Settings.MaxLocalBytes);
        Assert.Equal(Settings.MaxLocalBytes, budget.TryReserve(Settings.MaxLocalBytes, 1)); // someone else holds it all
        var query = TestData.Submit();
        _gateway.ChildActorOf(QueryCoordinator.Props(query, _edge.Ref, _scheduler.Ref, Settings with { LocalStageTimeout = TimeSpan.FromMilliseconds(500) },
            Sys.Materializer(), budget));
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));

        var answer = _edge.ExpectMsg<QueryAnswered>(TimeSpan.FromSeconds(3)).Answer;
        Assert.Equal(AnswerStage.Degraded, answer.Stage);
        Assert.Contains("stayed taken by other queries", answer.DegradedReason);
    }

    [Fact]
    public void A_query_waiting_for_the_byte_budget_goes_on_when_bytes_free_up()
    {
        var budget = new LocalByteBudget(Settings.MaxLocalBytes);
        var taken = budget.TryReserve(Settings.MaxLocalBytes, 1);
        var query = TestData.Submit();
        _gateway.ChildActorOf(QueryCoordinator.Props(query, _edge.Ref, _scheduler.Ref, Settings, Sys.Materializer(), budget));
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EX1T", 0.4)));
        _edge.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // waiting: no request yet

        budget.Release(taken, 0);
        var request = _edge.ExpectMsg<RoiRequest>();
        Assert.Equal(Settings.MaxLocalBytes, request.MaxBytes);
        Assert.InRange(request.Deadline, TimeSpan.FromSeconds(2), Settings.LocalStageTimeout); // the wait came out of the transfer time
    }

    [Fact]
    public async Task Finished_coordinators_return_their_bytes_to_the_budget()
    {
        var budget = new LocalByteBudget(Settings.MaxLocalBytesInFlight);
        var (request, _, query) = StartUnsure(budget: budget);
        Assert.Equal(Settings.MaxLocalBytes, budget.Reserved);
        var (queue, _) = Open(request);
        await Offer(queue, Layer(0, 70_000, 1));
        queue.Complete();
        _scheduler.ExpectMsg<Run>();
        _scheduler.Reply(new Completed(query.QueryId, TestData.Output("EXIT", 0.9)));
        _edge.ExpectMsg<LocalImageReceived>();
        _edge.ExpectMsg<QueryAnswered>();

        AwaitAssert(() => Assert.Equal((0L, 0L), (budget.Reserved, budget.Held)), TimeSpan.FromSeconds(3));
        Assert.Equal(70_000, budget.PeakHeld);
    }
}
