using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.TwoStage;
using Xunit;
using static CollabVlm.Actors.Server.InferenceProtocol;
using static CollabVlm.Actors.Server.ShutdownProtocol;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>Admission by predicted wait, and the gateway's and scheduler's part of a clean shutdown.</summary>
public sealed class AdmissionAndShutdownSpecs : TestKit
{
    private readonly Akka.TestKit.TestProbe _scheduler;
    private readonly Akka.TestKit.TestProbe _edge;

    public AdmissionAndShutdownSpecs()
    {
        _scheduler = CreateTestProbe();
        _edge = CreateTestProbe();
    }

    private IActorRef Gateway(ServerSettings settings) => Sys.ActorOf(QueryGateway.Props(_scheduler.Ref, settings, Sys.Materializer()));

    private static SubmitQuery Submit(double deadlineSeconds) => TestData.Submit(options: QueryOptions.Default with { Deadline = TimeSpan.FromSeconds(deadlineSeconds) });

    [Fact]
    public void A_query_the_model_cannot_reach_before_its_deadline_is_refused_at_once_naming_the_predicted_wait()
    {
        // 5 s per model call (no call timed yet); the scheduler probe never reports, so the gateway counts what it admitted.
        var gateway = Gateway(new ServerSettings { ServiceTimePrior = TimeSpan.FromSeconds(5), AdmissionDeadlineShare = 1.0 });
        gateway.Tell(Submit(8), _edge.Ref);                      // nothing ahead: 5 s ≤ 8 s
        _edge.ExpectMsg<QueryAccepted>();
        var second = Submit(8);
        gateway.Tell(second, _edge.Ref);                         // one ahead: 5 + 5 s > 8 s
        var busy = _edge.ExpectMsg<QueryFailed>();
        Assert.Equal((second.QueryId, FailureReason.Busy), (busy.QueryId, busy.Reason));
        Assert.Contains("predicted wait 5.0 s", busy.Message);
        gateway.Tell(Submit(11), _edge.Ref);                     // a longer deadline still fits behind it
        _edge.ExpectMsg<QueryAccepted>();
    }

    [Fact]
    public void The_scheduler_s_timed_calls_and_queue_drive_the_prediction()
    {
        var gateway = Gateway(new ServerSettings { ServiceTimePrior = TimeSpan.FromSeconds(0.1), AdmissionDeadlineShare = 1.0 });
        // Three jobs ahead at 2 s a call (weight 0.3 from the prior: a few calls to learn). Published until the gateway,
        // which subscribes as it starts, has heard them; a scheduler that has received more global runs than the
        // gateway admitted leaves nothing uncounted.
        AwaitAssert(() =>
        {
            for (var i = 0; i < 20; i++) Sys.EventStream.Publish(new InferenceLoad(3, 1_000, TimeSpan.FromSeconds(2)));
            var probe = CreateTestProbe();
            gateway.Tell(Submit(5), probe.Ref);
            var busy = probe.ExpectMsg<QueryFailed>();
            Assert.Contains("3 model job(s) ahead", busy.Message);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void While_shutting_down_new_queries_are_refused_and_running_ones_are_handed_back_after_the_drain_timeout()
    {
        var gateway = Gateway(new ServerSettings { ShutdownDrainTimeout = TimeSpan.FromMilliseconds(300) });
        var running = Submit(30);
        gateway.Tell(running, _edge.Ref);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();

        gateway.Tell(StopAdmitting.Instance);
        gateway.Tell(Submit(30), _edge.Ref);
        Assert.Equal(FailureReason.ShuttingDown, _edge.ExpectMsg<QueryFailed>().Reason);

        gateway.Tell(DrainQueries.Instance, TestActor);
        var handedBack = _edge.ExpectMsg<QueryFailed>(TimeSpan.FromSeconds(5));
        Assert.Equal((running.QueryId, FailureReason.ShuttingDown), (handedBack.QueryId, handedBack.Reason));
        Assert.Equal(1, ExpectMsg<QueriesDrained>(TimeSpan.FromSeconds(5)).HandedBack);
    }

    [Fact]
    public void A_query_that_finishes_within_the_drain_timeout_is_answered_and_then_the_drain_completes()
    {
        var gateway = Gateway(new ServerSettings { ShutdownDrainTimeout = TimeSpan.FromSeconds(30) });
        var running = Submit(30) with { Options = QueryOptions.Default with { Policy = Primitives.RetransmitPolicy.Never } };
        gateway.Tell(running, _edge.Ref);
        _edge.ExpectMsg<QueryAccepted>();
        _scheduler.ExpectMsg<Run>();
        gateway.Tell(DrainQueries.Instance, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _scheduler.Reply(new Completed(running.QueryId, TestData.Output("OPEN", 0.99)));
        _edge.ExpectMsg<QueryAnswered>();
        Assert.Equal(0, ExpectMsg<QueriesDrained>(TimeSpan.FromSeconds(5)).HandedBack);
    }

    [Fact]
    public void The_scheduler_drains_by_failing_queued_jobs_and_answers_only_after_the_running_call_returned()
    {
        var blocked = new TaskCompletionSource<ModelOutput>();
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(new BlockingModel(blocked.Task), capacity: 4));
        var probe = CreateTestProbe();
        scheduler.Tell(new Run(QueryId.New(), new ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref); // runs
        var queued = QueryId.New();
        scheduler.Tell(new Run(queued, new ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref);       // waits

        scheduler.Tell(Drain.Instance, TestActor);
        probe.ExpectMsg<Failed>(f => Assert.Equal((queued, FailureReason.ShuttingDown), (f.QueryId, f.Reason)));
        scheduler.Tell(new Run(QueryId.New(), new ModelInput("q", []), DateTime.UtcNow.AddMinutes(1)), probe.Ref);
        Assert.Equal(FailureReason.ShuttingDown, probe.ExpectMsg<Failed>().Reason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the call still runs

        blocked.SetResult(TestData.Output("x", 0.9));
        probe.ExpectMsg<Completed>();
        ExpectMsg<Drained>(TimeSpan.FromSeconds(5));
    }
}
