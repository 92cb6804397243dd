using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Inference;
using CollabVlm.Messages;
using Xunit;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>
/// A waiting job that the queue can no longer bring to the model in time is failed as busy while its deadline still
/// has time left, instead of expiring in the queue; the jobs that can make it keep their places.
/// </summary>
public sealed class InferenceSchedulerSheddingSpecs : TestKit
{
    private static Run Job(TimeSpan deadlineIn) => new(QueryId.New(), new ModelInput("q", TestData.Jpeg()), DateTime.UtcNow + deadlineIn);

    [Fact]
    public void A_job_that_would_finish_after_its_deadline_is_shed_as_busy_while_the_model_is_still_busy()
    {
        var model = new GatedModel();
        // Five minutes per call assumed: a job queued behind the running call cannot make a two-minute deadline.
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(model, capacity: 10, serviceTimePrior: TimeSpan.FromMinutes(5)));
        var running = Job(TimeSpan.FromHours(1));
        var patient = Job(TimeSpan.FromHours(1));
        var hurried = Job(TimeSpan.FromMinutes(2));
        scheduler.Tell(running, TestActor);
        AwaitCondition(() => model.Started.Count == 1, TimeSpan.FromSeconds(10));
        scheduler.Tell(patient, TestActor);
        scheduler.Tell(hurried, TestActor);

        var shed = ExpectMsg<Failed>(TimeSpan.FromSeconds(10));
        Assert.Equal(hurried.QueryId, shed.QueryId);
        Assert.Equal(FailureReason.Busy, shed.Reason);
        Assert.Contains("another server", shed.Message);
        Assert.Single(model.Started); // the running call has not ended: the shed did not wait for it

        scheduler.Tell(GetDepth.Instance, TestActor);
        Assert.Equal(new Depth(1, true), ExpectMsg<Depth>());
        model.Started.TryDequeue(out var first);
        first!.SetResult(TestData.Output("A", 0.9));
        Assert.Equal(running.QueryId, ExpectMsg<Completed>().QueryId);
        AwaitCondition(() => model.Started.Count == 1, TimeSpan.FromSeconds(10)); // the patient job runs
    }

    [Fact]
    public void A_job_whose_deadline_passed_while_it_waited_is_never_run()
    {
        var model = new GatedModel();
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(model, capacity: 10, serviceTimePrior: TimeSpan.FromMilliseconds(1)));
        scheduler.Tell(Job(TimeSpan.FromHours(1)), TestActor);
        AwaitCondition(() => model.Started.Count == 1, TimeSpan.FromSeconds(10));
        var stale = Job(TimeSpan.FromMilliseconds(-1));
        scheduler.Tell(stale, TestActor);

        var failed = ExpectMsg<Failed>(TimeSpan.FromSeconds(10));
        Assert.Equal(stale.QueryId, failed.QueryId);
        Assert.Equal(FailureReason.Timeout, failed.Reason);
        Assert.Single(model.Started);
    }
}
